import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TRACES } from "../../testing/shared";
import { openTraceSet } from "../index";

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
