import { describe, expect, it } from "vitest";
import { MAX_COMMAND_BYTES, QuoteError, shellQuote, shellQuoteArg } from "./quote";

describe("shellQuote", () => {
  it("leaves plain words bare and single-quotes the rest", () => {
    expect(shellQuote(["lttng", "--mi", "xml", "list", "--name=a.b-c_1"])).toBe("lttng --mi xml list --name=a.b-c_1");
    expect(shellQuoteArg("")).toBe("''");
    expect(shellQuoteArg("a b")).toBe("'a b'");
    expect(shellQuoteArg("it's")).toBe("'it'\\''s'");
    expect(shellQuoteArg("$HOME")).toBe("'$HOME'");
    expect(shellQuoteArg("a\nb")).toBe("'a\nb'");
  });

  it("refuses what no remote command can receive", () => {
    expect(() => shellQuoteArg("a\0b")).toThrow(QuoteError);
    expect(() => shellQuote([])).toThrow(QuoteError);
    expect(() => shellQuote(["x".repeat(MAX_COMMAND_BYTES + 1)])).toThrow(/longer than/);
  });
});
