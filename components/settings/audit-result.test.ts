import { describe, expect, it } from "vitest";
import { z } from "zod";
import { auditResult } from "./audit-result";

describe("auditResult", () => {
  it("turns a recorded validation failure (zod's issues as JSON) into one sentence, JSON kept", () => {
    const r = z
      .object({ username: z.string().regex(/^[a-z]+$/, "Letters only."), password: z.string().min(8, "At least 8 characters") })
      .safeParse({ username: "A B", password: "x" });
    // What tRPC puts in the error message of a bad input, and the audit log records.
    const message = JSON.stringify(r.error!.issues, null, 2);
    const out = auditResult(false, message);
    expect(out.sentence).toBe("Invalid input: username: Letters only; password: At least 8 characters.");
    expect(JSON.parse(out.json!)).toEqual(JSON.parse(message));
  });

  it("keeps LTTng's and the server's sentences as they are", () => {
    expect(auditResult(false, "Session s1 not found")).toEqual({ sentence: "Session s1 not found", json: null });
    expect(auditResult(false, "This action needs the operator role.")).toEqual({ sentence: "This action needs the operator role.", json: null });
    expect(auditResult(false, "[not json")).toEqual({ sentence: "[not json", json: null });
    expect(auditResult(false, "")).toEqual({ sentence: "failed", json: null });
    expect(auditResult(true, "")).toEqual({ sentence: "ok", json: null });
  });
});
