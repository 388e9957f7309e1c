import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { AnalysisError } from "../analysis/errors";
import { ArchiveError } from "../archives/store";
import { PasswordBusyError } from "../auth/password";
import { UserChangeError } from "../auth/users";
import { CtfError } from "../ctf/errors";
import { LiveError } from "../live/errors";
import { LttngError } from "../lttng/errors";
import { QuotaError } from "../quota";
import { TraceCatalogError } from "../traces/catalog";
import { WorkloadError } from "../workload/manager";
import { INTERNAL_MESSAGE, isDomainError, mappingErrors, toTRPCError } from "./errors";

describe("the error map (server/trpc/errors.ts)", () => {
  const cases: [Error, TRPCError["code"], string][] = [
    [new LttngError("SESSIOND_UNAVAILABLE", "No session daemon is available"), "PRECONDITION_FAILED", "No session daemon is available"],
    [new LttngError("NOT_FOUND", "Session 'x' not found"), "NOT_FOUND", "Session 'x' not found"],
    [new LttngError("ALREADY_EXISTS", "Session name x already exists"), "CONFLICT", "Session name x already exists"],
    [new LttngError("INVALID_FILTER", "Invalid filter at character 3", { field: "filter" }), "BAD_REQUEST", "Invalid filter at character 3"],
    [new LttngError("TIMEOUT", "lttng did not answer in 30 s"), "TIMEOUT", "lttng did not answer in 30 s"],
    // A tool failure is a server-side error whose message the operator still needs.
    [new LttngError("TOOL_FAILURE", "lttng printed no MI document"), "INTERNAL_SERVER_ERROR", "lttng printed no MI document"],
    [new LiveError("RELAY_UNREACHABLE", "No relay listens on 127.0.0.1:5344"), "BAD_GATEWAY", "No relay listens on 127.0.0.1:5344"],
    [new LiveError("NOT_LIVE", 'Session "s" is not a live session'), "PRECONDITION_FAILED", 'Session "s" is not a live session'],
    [new LiveError("ALREADY_ATTACHED", "already read by another live viewer"), "CONFLICT", "already read by another live viewer"],
    [new LiveError("INVALID_INPUT", "Bad filter expression"), "BAD_REQUEST", "Bad filter expression"],
    [new TraceCatalogError("OUTSIDE_ROOTS", "'/etc' is outside the trace roots", { path: "/etc" }), "FORBIDDEN", "'/etc' is outside the trace roots"],
    [new TraceCatalogError("NOT_FOUND", "No trace 'x'", { path: "x" }), "NOT_FOUND", "No trace 'x'"],
    [new TraceCatalogError("UNREADABLE", "Cannot read the trace b: bad magic", { path: "b" }), "UNPROCESSABLE_CONTENT", "Cannot read the trace b: bad magic"],
    [new ArchiveError("GONE", "The archive's directory is gone."), "NOT_FOUND", "The archive's directory is gone."],
    [new ArchiveError("BUSY", "Archive 3 is still being written."), "CONFLICT", "Archive 3 is still being written."],
    [new WorkloadError("LIMIT_REACHED", "4 demo processes run already"), "CONFLICT", "4 demo processes run already"],
    [new WorkloadError("START_FAILED", "the demo did not start"), "PRECONDITION_FAILED", "the demo did not start"],
    [new UserChangeError("LAST_OPERATOR", "One enabled operator must remain."), "CONFLICT", "One enabled operator must remain."],
    [new UserChangeError("NOT_FOUND", "No user 9."), "NOT_FOUND", "No user 9."],
    [new PasswordBusyError("Too many logins at once"), "TOO_MANY_REQUESTS", "Too many logins at once"],
    [new QuotaError("You already have 2 analyses running"), "TOO_MANY_REQUESTS", "You already have 2 analyses running"],
    [new AnalysisError("INVALID_DATE", "Unrecognised date format: x"), "UNPROCESSABLE_CONTENT", "Analysis failed: Unrecognised date format: x"],
    [new AnalysisError("NO_INTERSECTION", "Trace has no intersection"), "UNPROCESSABLE_CONTENT", "Analysis failed: Trace has no intersection"],
    [new AnalysisError("RUN_FAILED", "bad packet magic"), "UNPROCESSABLE_CONTENT", "Analysis failed: bad packet magic"],
    [new AnalysisError("TIME_LIMIT", "Analysis stopped after 10 min (the limit)"), "TIMEOUT", "Analysis stopped after 10 min (the limit)"],
    [new AnalysisError("RESULT_TOO_LARGE", "Analysis result too large"), "UNPROCESSABLE_CONTENT", "Analysis result too large"],
    // The CTF reader's location names a host path: only its sentence goes out.
    [
      new CtfError("bad-packet", "Bad packet magic", { file: "/srv/traces/s/kernel/channel0_0", offsetBytes: 4096 }),
      "UNPROCESSABLE_CONTENT",
      "Cannot read the trace: Bad packet magic",
    ],
  ];

  it.each(cases)("%s → its code and the user's message, the error kept as cause", (err, code, message) => {
    const mapped = toTRPCError(err);
    expect(mapped).toBeInstanceOf(TRPCError);
    expect({ code: mapped.code, message: mapped.message }).toEqual({ code, message });
    expect(mapped.cause).toBe(err);
    expect(isDomainError(err)).toBe(true);
  });

  it("answers anything else INTERNAL_SERVER_ERROR without its message", () => {
    for (const err of [
      new Error("ENOENT: /var/lib/secret/path"),
      new TypeError("x.y is undefined"),
      Object.assign(new Error("LttngError look-alike"), { name: "LttngError" }),
    ]) {
      const mapped = toTRPCError(err);
      expect({ code: mapped.code, message: mapped.message }).toEqual({ code: "INTERNAL_SERVER_ERROR", message: INTERNAL_MESSAGE });
      expect(mapped.cause).toBe(err);
      expect(isDomainError(err)).toBe(false);
    }
  });

  it("maps the error tRPC wrapped a resolver's throw in, and leaves a router's own TRPCError alone", () => {
    const lttng = new LttngError("NOT_FOUND", "Session 'x' not found");
    expect(toTRPCError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: lttng.message, cause: lttng }))).toMatchObject({ code: "NOT_FOUND" });
    const own = new TRPCError({ code: "UNAUTHORIZED", message: "Log in first." });
    expect(toTRPCError(own)).toBe(own);
  });

  it("maps what a subscription's stream throws after its first values", async () => {
    async function* stream() {
      yield 1;
      throw new LiveError("SESSION_NOT_FOUND", 'No session "s"');
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const v of mappingErrors(stream())) seen.push(v);
      })(),
    ).rejects.toMatchObject({ code: "NOT_FOUND", message: 'No session "s"' });
    expect(seen).toEqual([1]);
  });
});
