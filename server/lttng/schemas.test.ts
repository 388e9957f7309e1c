import { describe, expect, it } from "vitest";
import {
  ZAddTrigger,
  ZContextType,
  ZCreateSession,
  ZDurationUs,
  ZEnableChannel,
  ZEnableEvent,
  ZNetUrl,
  ZRelativePath,
  ZSessionName,
  ZSize,
  ZTrack,
} from "./schemas";

describe("input schemas", () => {
  it("converts LTTng sizes and durations", () => {
    expect(ZSize.parse("4k")).toBe(4096);
    expect(ZSize.parse("1M")).toBe(1048576);
    expect(ZSize.parse("2G")).toBe(2147483648);
    expect(ZSize.parse(512)).toBe(512);
    expect(ZSize.safeParse("1.5M").success).toBe(false);
    expect(ZDurationUs.parse("100ms")).toBe(100000);
    expect(ZDurationUs.parse("2s")).toBe(2000000);
    expect(ZDurationUs.parse("500")).toBe(500);
    expect(ZDurationUs.safeParse("1d").success).toBe(false);
  });

  it("accepts LTTng session names and refuses slashes and option-like names", () => {
    expect(ZSessionName.safeParse("my-session_1").success).toBe(true);
    for (const bad of ["", "a/b", "-h", ".hidden", "x".repeat(255), "auto", "auto-20261126-000000"]) expect(ZSessionName.safeParse(bad).success).toBe(false);
    // Only exactly 'auto' and 'auto-…' are reserved (checked with lttng create).
    for (const ok of ["automatic", "a b", "é", "x:y"]) expect(ZSessionName.safeParse(ok).success).toBe(true);
  });

  it("accepts relay URLs and refuses others", () => {
    for (const ok of ["net://127.0.0.1", "net://host:5342:5343/dir/sub", "net6://[::1]:5342"]) expect(ZNetUrl.safeParse(ok).success).toBe(true);
    for (const bad of ["http://x", "net://", "net://h:99999", "file:///tmp"]) expect(ZNetUrl.safeParse(bad).success).toBe(false);
  });

  it("keeps relative paths from escaping their root", () => {
    expect(ZRelativePath.safeParse("a/b").success).toBe(true);
    for (const bad of ["/etc", "../x", "a/../../x"]) expect(ZRelativePath.safeParse(bad).success).toBe(false);
    expect(ZCreateSession.safeParse({ mode: "local", name: "s", outputDir: "../up" }).success).toBe(false);
  });

  it("accepts the 2.13 context types, perf counters and app contexts", () => {
    for (const ok of ["vpid", "callstack-user", "time_ns", "perf:thread:instructions", "perf:cpu:raw:r0110:ins", "$app.myprov:ctx"])
      expect(ZContextType.safeParse(ok).success).toBe(true);
    for (const bad of ["vpidx", "perf:thread:nope", "$app.x"]) expect(ZContextType.safeParse(bad).success).toBe(false);
  });

  it("checks channel option combinations per domain", () => {
    expect(ZEnableChannel.safeParse({ session: "s", domain: "userspace", name: "c", subbufSize: "100k" }).success).toBe(false);
    expect(ZEnableChannel.safeParse({ session: "s", domain: "userspace", name: "c", output: "splice" }).success).toBe(false);
    expect(ZEnableChannel.safeParse({ session: "s", domain: "kernel", name: "c", buffers: "pid" }).success).toBe(false);
    expect(ZEnableChannel.parse({ session: "s", domain: "userspace", name: "c", subbufSize: "64k", switchTimerUs: "1s" })).toMatchObject({
      subbufSize: 65536,
      switchTimerUs: 1000000,
    });
  });

  it("checks event rule combinations", () => {
    expect(ZEnableEvent.safeParse({ session: "s", domain: "userspace", names: [] }).success).toBe(false);
    expect(ZEnableEvent.safeParse({ session: "s", domain: "userspace", kind: "syscall", names: ["open"] }).success).toBe(false);
    expect(ZEnableEvent.safeParse({ session: "s", domain: "kernel", kind: "probe", names: ["p"] }).success).toBe(false);
    expect(ZEnableEvent.safeParse({ session: "s", domain: "userspace", names: ["a:b"], exclude: ["a:c"] }).success).toBe(false);
    expect(ZEnableEvent.safeParse({ session: "s", domain: "userspace", names: ["a:*"], exclude: ["a:c"] }).success).toBe(true);
    expect(ZEnableEvent.safeParse({ session: "s", domain: "userspace", names: ["a,b"] }).success).toBe(false);
  });

  it("bounds what one browser request may list, so it cannot build an unbounded lttng command line", () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `ev${i}`);
    expect(ZEnableEvent.safeParse({ session: "s", domain: "userspace", names: names(256) }).success).toBe(true);
    expect(ZEnableEvent.safeParse({ session: "s", domain: "userspace", names: names(257) }).success).toBe(false);
    expect(ZTrack.safeParse({ session: "s", domain: "userspace", attr: "vpid", values: Array.from({ length: 257 }, (_, i) => i) }).success).toBe(false);
    const trigger = { name: "t", ruleType: "user", pattern: "a:*", actions: [{ type: "notify" }] };
    expect(ZAddTrigger.safeParse(trigger).success).toBe(true);
    expect(ZAddTrigger.safeParse({ ...trigger, actions: Array.from({ length: 33 }, () => ({ type: "notify" })) }).success).toBe(false);
    expect(ZAddTrigger.safeParse({ ...trigger, captures: Array.from({ length: 65 }, () => "f") }).success).toBe(false);
    expect(ZNetUrl.safeParse(`net://127.0.0.1/${"d".repeat(1100)}`).success).toBe(false);
  });
});
