import { describe, expect, it } from "vitest";
import { ConditionError, parseCondition } from "./condition";

describe("parseCondition", () => {
  it("reads FUNC(EVENT.FIELD) OP VALUE with a time unit in ns", () => {
    expect(parseCondition("p99(request_end.latency_ns) > 50ms")).toEqual({
      text: "p99(request_end.latency_ns) > 50ms",
      fn: "p99",
      event: "request_end",
      field: "latency_ns",
      op: ">",
      value: 50_000_000,
    });
    expect(parseCondition(" max(tracedeck_demo:io.latency_ns)<=1.5us ")).toMatchObject({ fn: "max", event: "tracedeck_demo:io", op: "<=", value: 1500 });
    expect(parseCondition("count(request_end.status) != 0")).toMatchObject({ fn: "count", value: 0, op: "!=" });
  });

  it("refuses anything else with the expected form in the message", () => {
    for (const bad of ["p99(latency_ns) > 1", "p98(a.b) > 1", "p99(a.b) > 1h", "p99(a.b) >", "p99(a.b) > 1; rm -rf /", "x".repeat(600)]) {
      expect(() => parseCondition(bad), bad).toThrow(ConditionError);
    }
    expect(() => parseCondition("p99(x) > 1")).toThrow(/write FUNC\(EVENT.FIELD\) OP VALUE/);
  });
});
