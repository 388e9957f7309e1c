import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classifyFailure, lttngMessage } from "./errors";
import { LTTNG_MI } from "../testing/shared";

const stderrOf = (step: string) => readFileSync(`${LTTNG_MI}/${step}.stderr`, "utf8");

describe("LTTng failure classification", () => {
  it("keeps only LTTng's Error: lines of a bad filter, and points at the filter field", () => {
    const e = classifyFailure(stderrOf("10-err-enable-event-badfilter"), { command: "enable-event", exitCode: 106 });
    expect(e.code).toBe("INVALID_FILTER");
    expect(e.field).toBe("filter");
    expect(e.message).toBe("Event webapp:*: Invalid filter bytecode (channel channel0, session s-snap, filter 'latency_ns >')");
    expect(e.details.exitCode).toBe(106);
  });

  it("recognises a missing session, a duplicate session and a duplicate trigger", () => {
    expect(classifyFailure(stderrOf("10-err-list-nosuch"), {}).code).toBe("NOT_FOUND");
    expect(classifyFailure(stderrOf("10-err-destroy-nosuch"), {}).code).toBe("NOT_FOUND");
    expect(classifyFailure(stderrOf("06-remove-trigger-nonexist"), {}).code).toBe("NOT_FOUND");
    const dup = classifyFailure(stderrOf("10-err-create-dup"), {});
    expect([dup.code, dup.field, dup.message]).toEqual(["ALREADY_EXISTS", "name", "Session name already exists"]);
    expect(classifyFailure(stderrOf("06-add-trigger-dup"), {}).code).toBe("ALREADY_EXISTS");
  });

  it("recognises an unreachable relay daemon and the frozen-after-start refusals", () => {
    expect(classifyFailure(stderrOf("11-enable-norelayd"), {}).code).toBe("RELAYD_UNREACHABLE");
    expect(classifyFailure(stderrOf("12-enable-channel-after-start"), {}).code).toBe("NOT_ALLOWED");
    expect(classifyFailure(stderrOf("12-add-context-after-start"), {}).code).toBe("NOT_ALLOWED");
    expect(classifyFailure(stderrOf("07-rotate-snapshot-session"), {}).code).toBe("NOT_ALLOWED");
  });

  it("recognises the kernel tracer being unavailable (recorded on this machine)", () => {
    const s = readFileSync(new URL("./mi/testdata/list-k-unavailable.stderr", import.meta.url), "utf8");
    const e = classifyFailure(s, { command: "list" });
    expect(e.code).toBe("KERNEL_TRACER_UNAVAILABLE");
    expect(e.message).toBe("Unable to list kernel events: Kernel tracer not available");
  });

  it("blames max size for a snapshot that cannot fit one packet per stream", () => {
    const e = classifyFailure(stderrOf("05-record-maxsize-small"), {});
    expect(e.field).toBe("maxSize");
    expect(e.message).toContain("Cannot fit at least one packet per stream");
  });

  it("recognises a missing session daemon", () => {
    expect(classifyFailure("Error: No session daemon is available\n", {}).code).toBe("SESSIOND_UNAVAILABLE");
  });

  it("falls back to the whole stderr, or the exit code, when there is no Error: line", () => {
    expect(lttngMessage("something odd\n")).toBe("something odd");
    expect(classifyFailure("", { command: "start", exitCode: 3 }).message).toBe("lttng start failed with exit code 3");
  });
});
