import { describe, expect, it } from "vitest";
import { safeNextPath } from "./next-path";

describe("safeNextPath (issue #9: /login?next=/\\evil.com redirected off-site)", () => {
  it("refuses every form that a browser would take to another host", () => {
    for (const raw of [
      "/\\evil.com",
      "//evil.com",
      "/\\/evil.com",
      "/\t/evil.com",
      "https://evil.com",
      "http:/evil.com",
      "\\\\evil.com",
      "/%5Cevil.com".replace("%5C", "\\"),
      " /x",
      "javascript:alert(1)",
      "",
      null,
      undefined,
    ]) {
      expect([raw, safeNextPath(raw)]).toEqual([raw, "/"]);
    }
  });

  it("keeps paths of this site, with their query", () => {
    expect(safeNextPath("/sessions/abc?tab=events#x")).toBe("/sessions/abc?tab=events#x");
    expect(safeNextPath("/")).toBe("/");
    expect(safeNextPath("/archives/../settings")).toBe("/settings");
  });
});
