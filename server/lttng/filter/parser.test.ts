import { describe, expect, it } from "vitest";
import { checkFilterSyntax } from "./parser";

describe("LTTng filter syntax check", () => {
  it.each([
    "latency_ns > 50000000",
    "status >= 500 || $ctx.vtid > 0 && latency_ns > 1000000",
    'msg != "x"',
    'path == "/api/*"',
    "latency_ns > 0 || id >= 0",
    "status == 503",
    "!(a & 0x1f) && b << 2 >= -3",
    '$ctx.procname == "demo"',
    "$app.myprovider:mycontext == 42",
    "arr[3] == 1 && s.field > 1.5e3",
    "intfield == 'a'",
    "~x % 2 == 1 ^ y | z",
    '"str\\"ing" == name',
  ])("accepts %s", (f) => {
    expect(checkFilterSyntax(f)).toBeNull();
  });

  it("rejects a dangling operator at the end, pointing at the end", () => {
    expect(checkFilterSyntax("latency_ns >")).toEqual({ offset: 12, message: "The filter ends too early" });
  });

  it("rejects a single '=' with a hint", () => {
    expect(checkFilterSyntax("status = 500")).toEqual({ offset: 7, message: "Use '==' to compare" });
  });

  it("rejects unbalanced parentheses", () => {
    expect(checkFilterSyntax("(a > 1")).toEqual({ offset: 6, message: "Expected ')' but found the end of the filter" });
    expect(checkFilterSyntax("a > 1)")).toEqual({ offset: 5, message: "Unexpected ')'" });
  });

  it("rejects an unterminated string", () => {
    expect(checkFilterSyntax('msg == "abc')).toEqual({ offset: 7, message: "Unterminated string" });
  });

  it("rejects unknown $ scopes and a missing context name", () => {
    expect(checkFilterSyntax("$foo.bar == 1")?.message).toMatch(/Unknown '\$foo'/);
    expect(checkFilterSyntax("$ctx. == 1")?.message).toBe("Expected a field name but found '=='");
  });

  it("rejects two operands without an operator, and an empty filter", () => {
    expect(checkFilterSyntax("a b")).toEqual({ offset: 2, message: "Unexpected 'b'" });
    expect(checkFilterSyntax("   ")?.message).toBe("The filter is empty");
  });

  it("rejects malformed numbers", () => {
    expect(checkFilterSyntax("a > 12abc")?.message).toMatch(/Malformed number/);
  });
});
