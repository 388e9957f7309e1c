import { describe, expect, it } from "vitest";
import { compileLiveFilter } from "./filter";

const ev = (name: string, payload: Record<string, unknown>, context: Record<string, unknown> = {}) => ({ name, ts: 0, cpu: 1, payload, context }) as never;
const end = ev("tracedeck_demo:request_end", { status: 503, latency_ns: 60_000_000n, path: "/api/export" }, { vpid: 42 });
const begin = ev("tracedeck_demo:request_begin", { id: 7, path: "/api/users" });

describe("live filters", () => {
  it("match names by LTTng globs", () => {
    const f = compileLiveFilter({ names: ["tracedeck_demo:request_*"] });
    expect(f(end)).toBe(true);
    expect(f(ev("tracedeck_demo:io", {}))).toBe(false);
    expect(compileLiveFilter({ names: ["a.b"] })(ev("aXb", {}))).toBe(false);
  });

  it("evaluate period-language predicates on payload and context, bigints included", () => {
    const f = compileLiveFilter({ where: "$evt.status == 503 && $evt.latency_ns > 50000000 && $evt.$ctx.vpid == 42" });
    expect(f(end)).toBe(true);
    expect(f(begin)).toBe(false);
    expect(compileLiveFilter({ where: '$evt.path =* "/api/*"' })(begin)).toBe(true);
  });

  it("combine globs and predicate; an empty filter passes everything", () => {
    expect(compileLiveFilter({ names: ["*:request_begin"], where: "$evt.id == 7" })(begin)).toBe(true);
    expect(compileLiveFilter({ names: ["*:request_begin"], where: "$evt.id == 8" })(begin)).toBe(false);
    expect(compileLiveFilter({})(end)).toBe(true);
  });

  it("refuse malformed, too deep, too long or out-of-scope input with a reason", () => {
    expect(() => compileLiveFilter({ where: "$evt.status ==" })).toThrow(/Bad filter expression/);
    expect(() => compileLiveFilter({ where: "$begin.$evt.id == 1" })).toThrow(/current event only/);
    expect(() => compileLiveFilter({ where: "!".repeat(20) + "($evt.a == 1)" })).toThrow(/nests deeper/);
    expect(() => compileLiveFilter({ where: "x".repeat(2000) })).toThrow(/Bad live filter/);
    expect(() => compileLiveFilter({ names: Array(40).fill("a") })).toThrow(/Bad live filter/);
    expect(() => compileLiveFilter({ names: ["has space"] })).toThrow(/Bad live filter/);
  });
});
