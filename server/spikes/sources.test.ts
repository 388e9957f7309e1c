/**
 * Latency sources: the schema's bounds, and each extractor against the analyses that own
 * the same numbers (kernel syscall latency against syscallstats on a shared kernel trace).
 * The field and period extractors on a real demo trace: timeline.oracle.test.ts.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openTraceSet } from "../ctf";
import type { AnalysisEvent } from "../analysis/event";
import { analyzeWithArgs } from "../analysis/testing/analyze";
import { TRACES } from "../testing/shared";
import type { WireEvent } from "../live/wire";
import { compileSource, describeSource, latencySourceSchema, wireToEvent, type LatencySource } from "./sources";
import { epochNs } from "../time";

const PAIRED = 'req:$evt.$name == "a:begin" : $evt.$name == "a:end" && $evt.id == $begin.$evt.id';

function ev(name: string, ts: number, payload: Record<string, unknown>): AnalysisEvent {
  return { name, ts, cpu: 0, payload: payload as AnalysisEvent["payload"], context: {} };
}

describe("latencySourceSchema", () => {
  it("takes the three kinds", () => {
    for (const s of [
      { kind: "field", event: "tracedeck_demo:request_end", field: "latency_ns", unit: "ns" },
      { kind: "period", definition: PAIRED },
      { kind: "kernel", what: "syscall", name: "read" },
      { kind: "kernel", what: "io" },
    ])
      expect(latencySourceSchema.safeParse(s).success, JSON.stringify(s)).toBe(true);
  });

  it("rejects what it cannot run, with a reason", () => {
    const bad: [unknown, RegExp][] = [
      [{ kind: "period", definition: 'x:$evt.$name == "a" : $evt.$name == "b"' }, /by key/],
      [{ kind: "period", definition: "x:$evt.$name ==" }, /period definition/],
      [{ kind: "period", definition: "a".repeat(5000) }, /2048/],
      [{ kind: "field", event: "e", field: "a.b", unit: "ns" }, /C identifier/],
      [{ kind: "field", event: "e", field: "f", unit: "s" }, /ns/],
      [{ kind: "field", event: "e", field: "f", unit: "ns", extra: 1 }, /extra|Unrecognized/i],
      [{ kind: "shell", cmd: "rm" }, /kind|discriminator|Invalid/i],
    ];
    for (const [s, why] of bad) {
      const r = latencySourceSchema.safeParse(s);
      expect(r.success, JSON.stringify(s).slice(0, 80)).toBe(false);
      expect(r.error?.message).toMatch(why);
    }
  });

  it("labels sources for humans", () => {
    expect(describeSource({ kind: "field", event: "p:e", field: "d", unit: "us" })).toBe("p:e.d");
    expect(describeSource({ kind: "period", definition: PAIRED })).toBe("period req");
    expect(describeSource({ kind: "kernel", what: "io" })).toBe("I/O *");
  });
});

describe("extractors", () => {
  it("field: scales the unit, ignores other events and non-numbers, reads live events", () => {
    const x = compileSource({ kind: "field", event: "p:end", field: "lat", unit: "us" });
    expect(x.push(ev("p:begin", 5, { lat: 3 }))).toBeUndefined();
    expect(x.push(ev("p:end", 7, { lat: "3" }))).toBeUndefined();
    expect(x.push(ev("p:end", 9, { lat: 3n }))).toEqual({ tsNs: 9, valueNs: 3000 });
    const wire: WireEvent = { seq: 1, tsNs: 1_700_000_000_123_456_789n, time: "", name: "p:end", cpu: 1, payload: { lat: 2 }, context: {} };
    expect(x.push(wireToEvent(wire, epochNs(1_700_000_000_000_000_000n)))).toEqual({ tsNs: 123_456_789, valueNs: 2000 });
  });

  it("period: pairs by key, returns every period one event ends, bounds the open ones", () => {
    const x = compileSource({ kind: "period", definition: 'r:$evt.$name == "b" : $evt.$name == "e" && $evt.k == $begin.$evt.k' }, { maxOpen: 3 });
    x.push(ev("b", 10, { k: 1 }));
    x.push(ev("b", 20, { k: 1 }));
    x.push(ev("b", 25, { k: 2 }));
    const got = [x.push(ev("e", 30, { k: 1 }))];
    for (let v = x.next(); v !== undefined; v = x.next()) got.push(v);
    expect(got).toEqual([
      { tsNs: 30, valueNs: 20 },
      { tsNs: 30, valueNs: 10 },
    ]);
    expect(x.push(ev("e", 31, { k: 9 }))).toBeUndefined();
    // Lost ends: past maxOpen the backlog is dropped and counted, not kept.
    for (let i = 0; i < 4; i++) x.push(ev("b", 40 + i, { k: 100 + i }));
    expect(x.dropped).toBe(4);
    expect(x.push(ev("e", 50, { k: 2 }))).toBeUndefined();
    x.push(ev("b", 60, { k: 7 }));
    expect(x.push(ev("e", 65, { k: 7 }))).toEqual({ tsNs: 65, valueNs: 5 });
  });

  it("kernel syscall: per-name count, min and max are syscallstats' (tc-many-threads)", () => {
    const trace = join(TRACES, "tc-many-threads");
    const oracle = new Map<string, { count: number; min: number; max: number }>();
    type Cell = { name?: string; value?: number };
    for (const t of analyzeWithArgs(trace, "syscallstats", ["--no-intersection"]).results) {
      // The per-thread tables (syscall, count, min, avg, max, …); the others summarise them.
      if (typeof t.class === "string" || t.class.inherit !== "per-tid") continue;
      for (const row of t.data as unknown as Cell[][]) {
        const name = row[0]!.name!;
        const o = oracle.get(name) ?? { count: 0, min: Infinity, max: -Infinity };
        o.count += row[1]!.value!;
        o.min = Math.min(o.min, row[2]!.value!);
        o.max = Math.max(o.max, row[4]!.value!);
        oracle.set(name, o);
      }
    }
    for (const name of ["open", "read", "futex", "ioctl"]) {
      const source: LatencySource = { kind: "kernel", what: "syscall", name };
      const set = openTraceSet([trace]);
      const x = compileSource(source, { tracerVersion: set.traces[0]?.tracerVersion ?? null });
      const got = { count: 0, min: Infinity, max: -Infinity };
      try {
        set.forEach((item) => {
          if (item.kind !== "event") return;
          for (let v = x.push(item); v !== undefined; v = x.next()) {
            got.count++;
            got.min = Math.min(got.min, v.valueNs);
            got.max = Math.max(got.max, v.valueNs);
          }
        });
      } finally {
        set.close();
      }
      expect(got, name).toEqual(oracle.get(name));
    }
  });

  it("kernel I/O: request latencies are positive and end after they begin (tc-many-threads)", () => {
    const set = openTraceSet([join(TRACES, "tc-many-threads")]);
    const x = compileSource({ kind: "kernel", what: "io", name: "read" });
    let n = 0;
    try {
      set.forEach((item) => {
        if (item.kind !== "event") return;
        for (let v = x.push(item); v !== undefined; v = x.next()) {
          n++;
          expect(v.valueNs).toBeGreaterThanOrEqual(0);
          expect(v.tsNs).toBe(item.ts);
        }
      });
    } finally {
      set.close();
    }
    expect(n).toBeGreaterThan(100);
  });
});
