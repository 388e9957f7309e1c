import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TRACES } from "../../testing/shared";
import { openTraceSet } from "../index";
import { compiledDecoderSources } from "./codegen";

// Event classes with the same layout and field names share one generated decoder
// (codegen.ts DecoderCache; server/ctf/README.md "Speed"): fewer functions for V8 to warm up.
describe("generated decoders are shared by event classes of identical layout", () => {
  it("tc-many-threads: the 181 classes its events use need 105 distinct decoders", () => {
    const set = openTraceSet([join(TRACES, "tc-many-threads")]);
    const used = new Set<string>();
    set.forEach((item) => {
      if (item.kind === "event") used.add(item.name);
    });
    const classes = set.eventClasses(0).filter((c) => used.has(c.name));
    const decoders = new Set(classes.map((c) => c.decoder()));
    set.close();
    expect(classes).toHaveLength(181);
    expect(decoders.size).toBe(105);
  });
});

// A session's snapshots share their metadata: the Nth one's decoders come from the sources the
// first compiled (codegen.ts `instantiate`), bound to its own clock, already hot.
describe("generated decoder sources are reused by every trace of the same metadata", () => {
  it("a second open of tc-many-threads compiles no source and decodes the same events with its own decoders", () => {
    const decodeAll = () => {
      const set = openTraceSet([join(TRACES, "tc-many-threads")]);
      let events = 0;
      let lastTs = 0;
      set.forEach((item) => {
        if (item.kind !== "event") return;
        events++;
        lastTs = item.ts;
      });
      const decoders = set.eventClasses(0).map((c) => c.decoder());
      set.close();
      return { events, lastTs, decoders };
    };
    const first = decodeAll();
    const compiled = compiledDecoderSources();
    const second = decodeAll();
    expect(compiledDecoderSources()).toBe(compiled);
    expect(second.events).toBe(first.events);
    expect(second.lastTs).toBe(first.lastTs);
    // Each trace binds its own clock base: the functions differ, their source does not.
    expect(second.decoders[0]).not.toBe(first.decoders[0]);
  });
});
