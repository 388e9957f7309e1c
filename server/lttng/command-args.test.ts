import { describe, expect, it } from "vitest";
import {
  addContextArgs,
  addTriggerArgs,
  createArgs,
  disableChannelArgs,
  disableEventArgs,
  disableRotationArgs,
  enableChannelArgs,
  enableEventArgs,
  enableRotationArgs,
  listAvailableArgs,
  loadArgs,
  saveArgs,
  shellCommand,
  snapshotAddOutputArgs,
  snapshotRecordArgs,
  trackArgs,
} from "./command-args";
import type { SnapshotOutput } from "./mi/outputs";
import {
  ZAddContext,
  ZAddTrigger,
  ZCreateSession,
  ZDisableChannel,
  ZDisableEvent,
  ZDisableRotation,
  ZEnableChannel,
  ZEnableEvent,
  ZEnableRotation,
  ZLoadSession,
  ZSnapshotAddOutput,
  ZTrack,
} from "./schemas";

// The builders take parsed input: each case goes through the same schema the controller uses,
// so sizes and durations arrive normalised (1M → 1048576, 30s → 30000000 µs).
const where = { localDir: "/srv/traces/s1", defaultRelayUrl: "net://127.0.0.1:5342:5343" };

describe("createArgs", () => {
  it("writes a local session to the directory the caller resolved", () => {
    expect(createArgs(ZCreateSession.parse({ mode: "local", name: "s1" }), where)).toEqual(["create", "s1", "--output=/srv/traces/s1"]);
  });

  it("sends a streaming session to Tracedeck's relay unless given a URL, and a live one with its timer", () => {
    expect(createArgs(ZCreateSession.parse({ mode: "network", name: "s1" }), where)).toEqual(["create", "s1", "--set-url=net://127.0.0.1:5342:5343"]);
    expect(createArgs(ZCreateSession.parse({ mode: "live", name: "s1", liveTimerUs: "2s", url: "net://10.0.0.1" }), where)).toEqual([
      "create",
      "s1",
      "--live=2000000",
      "--set-url=net://10.0.0.1",
    ]);
    expect(createArgs(ZCreateSession.parse({ mode: "network", name: "s1", ctrlUrl: "tcp://10.0.0.1:5342", dataUrl: "tcp://10.0.0.1:5343" }), where)).toEqual([
      "create",
      "s1",
      "--ctrl-url=tcp://10.0.0.1:5342",
      "--data-url=tcp://10.0.0.1:5343",
    ]);
  });

  it("gives a snapshot session no output, a relay, or the local directory, in that order of choice", () => {
    expect(createArgs(ZCreateSession.parse({ mode: "snapshot", name: "s1", noOutput: true }), where)).toEqual(["create", "s1", "--snapshot", "--no-output"]);
    expect(createArgs(ZCreateSession.parse({ mode: "snapshot", name: "s1", url: "net://10.0.0.1" }), where)).toEqual([
      "create",
      "s1",
      "--snapshot",
      "--set-url=net://10.0.0.1",
    ]);
    expect(createArgs(ZCreateSession.parse({ mode: "snapshot", name: "s1" }), where)).toEqual(["create", "s1", "--snapshot", "--output=/srv/traces/s1"]);
  });
});

describe("channels and event rules", () => {
  it("passes only the channel options given, the name last", () => {
    expect(enableChannelArgs(ZEnableChannel.parse({ session: "s1", domain: "userspace", name: "ch0" }))).toEqual([
      "enable-channel",
      "--session=s1",
      "-u",
      "ch0",
    ]);
    expect(
      enableChannelArgs(
        ZEnableChannel.parse({ session: "s1", domain: "kernel", name: "k", mode: "overwrite", subbufSize: "1M", numSubbuf: 8, switchTimerUs: "10ms" }),
      ),
    ).toEqual(["enable-channel", "--session=s1", "-k", "--overwrite", "--subbuf-size=1048576", "--num-subbuf=8", "--switch-timer=10000", "k"]);
    expect(disableChannelArgs(ZDisableChannel.parse({ session: "s1", domain: "kernel", names: ["a", "b"] }))).toEqual([
      "disable-channel",
      "--session=s1",
      "-k",
      "a,b",
    ]);
  });

  it("enables rules by kind, with filter, log level and exclusions", () => {
    expect(enableEventArgs(ZEnableEvent.parse({ session: "s1", domain: "kernel", names: ["sched_switch"] }))).toEqual([
      "enable-event",
      "--session=s1",
      "-k",
      "--tracepoint",
      "sched_switch",
    ]);
    expect(enableEventArgs(ZEnableEvent.parse({ session: "s1", domain: "kernel", kind: "probe", location: "do_sys_open+0x10", names: ["open"] }))).toEqual([
      "enable-event",
      "--session=s1",
      "-k",
      "--probe=do_sys_open+0x10",
      "open",
    ]);
    expect(
      enableEventArgs(
        ZEnableEvent.parse({
          session: "s1",
          domain: "userspace",
          channel: "ch0",
          names: ["app:*"],
          filter: "x > 1",
          loglevel: "TRACE_INFO",
          loglevelOnly: true,
          exclude: ["app:noisy", "app:chatty"],
        }),
      ),
    ).toEqual([
      "enable-event",
      "--session=s1",
      "-u",
      "--channel=ch0",
      "--filter=x > 1",
      "--loglevel-only=TRACE_INFO",
      "--exclude=app:noisy,app:chatty",
      "app:*",
    ]);
    expect(enableEventArgs(ZEnableEvent.parse({ session: "s1", domain: "python", all: true }))).toEqual(["enable-event", "--session=s1", "-p", "--all"]);
  });

  it("disables the named rules of a kind, or every rule without names", () => {
    expect(disableEventArgs(ZDisableEvent.parse({ session: "s1", domain: "kernel", names: ["open"], kind: "syscall", channel: "k" }))).toEqual([
      "disable-event",
      "--session=s1",
      "-k",
      "--channel=k",
      "--syscall",
      "open",
    ]);
    expect(disableEventArgs(ZDisableEvent.parse({ session: "s1", domain: "kernel", names: ["sched_switch"], kind: "tracepoint" }))).toEqual([
      "disable-event",
      "--session=s1",
      "-k",
      "--tracepoint",
      "sched_switch",
    ]);
    // A user-space tracepoint needs no kind flag (LTTng has none for it).
    expect(disableEventArgs(ZDisableEvent.parse({ session: "s1", domain: "userspace", kind: "tracepoint" }))).toEqual([
      "disable-event",
      "--session=s1",
      "-u",
      "--all-events",
    ]);
  });

  it("adds one --type per context", () => {
    expect(addContextArgs(ZAddContext.parse({ session: "s1", domain: "userspace", channel: "ch0", types: ["vpid", "procname"] }))).toEqual([
      "add-context",
      "--session=s1",
      "-u",
      "--channel=ch0",
      "--type=vpid",
      "--type=procname",
    ]);
  });

  it("lists a domain's available events, with fields or system calls", () => {
    expect(listAvailableArgs("userspace", { fields: true })).toEqual(["list", "-u", "-f"]);
    expect(listAvailableArgs("kernel", { syscalls: true })).toEqual(["list", "-k", "--syscall"]);
  });
});

describe("trackers", () => {
  it("tracks the given values, or every process of the attribute", () => {
    expect(trackArgs("track", ZTrack.parse({ session: "s1", domain: "userspace", attr: "vpid", values: [12, 34] }))).toEqual([
      "track",
      "--session=s1",
      "-u",
      "--vpid=12,34",
    ]);
    expect(trackArgs("untrack", ZTrack.parse({ session: "s1", domain: "kernel", attr: "uid", all: true }))).toEqual([
      "untrack",
      "--session=s1",
      "-k",
      "--all",
      "--uid",
    ]);
  });
});

describe("snapshots, rotation, save and load", () => {
  it("adds a snapshot output with its name and size before the destination", () => {
    const o = ZSnapshotAddOutput.parse({ session: "s1", name: "out", maxSize: "64M", outputDir: "snaps" });
    expect(snapshotAddOutputArgs(o, "/srv/traces/snaps")).toEqual([
      "snapshot",
      "add-output",
      "--session=s1",
      "--name=out",
      "--max-size=67108864",
      "/srv/traces/snaps",
    ]);
  });

  it("records a snapshot under the unique name, with a size only when given", () => {
    expect(snapshotRecordArgs("s1", "snap-abc", undefined)).toEqual(["snapshot", "record", "--session=s1", "--name=snap-abc"]);
    expect(snapshotRecordArgs("s1", "snap-abc", 4096)).toEqual(["snapshot", "record", "--session=s1", "--name=snap-abc", "--max-size=4096"]);
  });

  it("sets and removes rotation schedules", () => {
    expect(enableRotationArgs(ZEnableRotation.parse({ session: "s1", timerUs: "30s", size: "64M" }))).toEqual([
      "enable-rotation",
      "--session=s1",
      "--timer=30000000",
      "--size=67108864",
    ]);
    expect(disableRotationArgs(ZDisableRotation.parse({ session: "s1", size: true }))).toEqual(["disable-rotation", "--session=s1", "--size"]);
  });

  it("saves one session or all of them", () => {
    expect(saveArgs("s1", "/srv/sessions", false)).toEqual(["save", "--output-path=/srv/sessions", "s1"]);
    expect(saveArgs(null, "/tmp/x", true)).toEqual(["save", "--output-path=/tmp/x", "--force", "--all"]);
  });

  it("loads with overrides; a relay URL wins over a local directory", () => {
    const file = "/srv/sessions/s1.lttng";
    expect(loadArgs(ZLoadSession.parse({ session: "s1", overrideName: "s2", force: true }), file, "/srv/traces/s2")).toEqual([
      "load",
      "--input-path=/srv/sessions/s1.lttng",
      "--force",
      "--override-name=s2",
      "--override-url=file:///srv/traces/s2",
      "s1",
    ]);
    expect(loadArgs(ZLoadSession.parse({ session: "s1", overrideUrl: "net://10.0.0.1" }), file, "/ignored")).toEqual([
      "load",
      "--input-path=/srv/sessions/s1.lttng",
      "--override-url=net://10.0.0.1",
      "s1",
    ]);
  });
});

describe("addTriggerArgs", () => {
  const output = (ctrlUrl: string, dataUrl: string | null = null): SnapshotOutput =>
    ({ id: 1, name: "out", ctrlUrl, dataUrl, maxSizeBytes: null }) as SnapshotOutput;

  it("builds the condition, then each action with its rate policy", () => {
    const t = ZAddTrigger.parse({
      name: "slow",
      ruleType: "user",
      pattern: "app:request_end",
      filter: "latency_ns > 50000000",
      logLevel: { level: "TRACE_INFO" },
      captures: ["latency_ns", "$ctx.vpid"],
      actions: [{ type: "notify" }, { type: "stop-session", session: "s1", ratePolicy: { kind: "once-after", count: 3 } }],
    });
    expect(addTriggerArgs(t)).toEqual([
      "add-trigger",
      "--name=slow",
      "--condition=event-rule-matches",
      "--type=user",
      "--name=app:request_end",
      "--filter=latency_ns > 50000000",
      "--log-level=TRACE_INFO..",
      "--capture=latency_ns",
      "--capture=$ctx.vpid",
      "--action=notify",
      "--action=stop-session",
      "s1",
      "--rate-policy=once-after:3",
    ]);
  });

  it("gives probes a location and an event name, and system calls their site", () => {
    expect(
      addTriggerArgs(ZAddTrigger.parse({ name: "p", ruleType: "kprobe", pattern: "open", location: "do_sys_open", actions: [{ type: "notify" }] })),
    ).toEqual(["add-trigger", "--name=p", "--condition=event-rule-matches", "--type=kprobe", "--location=do_sys_open", "--event-name=open", "--action=notify"]);
    expect(
      addTriggerArgs(ZAddTrigger.parse({ name: "s", ruleType: "syscall", syscallSite: "entry", pattern: "openat", actions: [{ type: "notify" }] })),
    ).toEqual(["add-trigger", "--name=s", "--condition=event-rule-matches", "--type=syscall:entry", "--name=openat", "--action=notify"]);
  });

  it("repeats the session's output for a named snapshot: a path locally, both URLs at a relay", () => {
    const t = ZAddTrigger.parse({
      name: "snap",
      ruleType: "user",
      pattern: "app:*",
      actions: [
        { type: "snapshot-session", session: "local", snapshotName: "spike", maxSize: "1M" },
        { type: "snapshot-session", session: "relay", snapshotName: "spike" },
        { type: "snapshot-session", session: "plain" },
      ],
    });
    const outputs = new Map([
      ["local", output("/srv/traces/local")],
      ["relay", output("tcp4://127.0.0.1:5342/", "tcp4://127.0.0.1:5343/")],
    ]);
    expect(addTriggerArgs(t, outputs).slice(3)).toEqual([
      "--type=user",
      "--name=app:*",
      "--action=snapshot-session",
      "local",
      "--path=/srv/traces/local",
      "--name=spike",
      "--max-size=1048576",
      "--action=snapshot-session",
      "relay",
      "--ctrl-url=tcp4://127.0.0.1:5342/",
      "--data-url=tcp4://127.0.0.1:5343/",
      "--name=spike",
      // Neither name nor size: LTTng uses the session's output by itself.
      "--action=snapshot-session",
      "plain",
    ]);
  });
});

describe("shellCommand", () => {
  it("quotes only what a shell would split or expand, and a --option's value alone", () => {
    expect(shellCommand(["enable-event", "--session=s1", "-u", "--filter=a == 'b'", "app:*"])).toBe(
      `lttng enable-event --session=s1 -u --filter='a == '\\''b'\\''' 'app:*'`,
    );
  });
});
