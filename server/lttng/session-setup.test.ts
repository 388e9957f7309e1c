import { describe, expect, it } from "vitest";
import { shellCommand } from "./command-args";
import { LttngController } from "./controller";
import type { LttngRunner } from "./runner";
import { checkSessionSetup, planSessionSetup } from "./session-setup";

// createArgsFor needs no daemon: a controller whose runner must never be called.
const ctl = new LttngController(
  {
    run: () => {
      throw new Error("no lttng in this test");
    },
  } as unknown as LttngRunner,
  {
    tracesDir: "/srv/traces",
    relaydOutputDir: "/srv/relayd",
    relayd: { host: "127.0.0.1", controlPort: 5342, dataPort: 5343, livePort: 5344 },
  },
);

describe("planSessionSetup", () => {
  it("lists the commands the controller runs, in order, with sizes and durations normalised", () => {
    const plan = planSessionSetup(ctl, {
      create: { mode: "local", name: "s1" },
      channels: [{ session: "s1", domain: "userspace", name: "ch0", mode: "discard", subbufSize: "1M", numSubbuf: 4, tracefileSize: "16M", tracefileCount: 8 }],
      events: [{ session: "s1", domain: "userspace", channel: "ch0", names: ["app:*"], filter: 'path == "/x y"' }],
      contexts: [{ session: "s1", domain: "userspace", types: ["vpid", "procname"] }],
      rotation: { session: "s1", timerUs: "30s" },
    });
    expect(plan.issues).toEqual([]);
    expect(plan.commands).toEqual([
      "lttng create s1 --output=/srv/traces/s1",
      "lttng enable-channel --session=s1 -u --discard --subbuf-size=1048576 --num-subbuf=4 --tracefile-size=16777216 --tracefile-count=8 ch0",
      `lttng enable-event --session=s1 -u --channel=ch0 --filter='path == "/x y"' 'app:*'`,
      "lttng add-context --session=s1 -u --type=vpid --type=procname",
      "lttng enable-rotation --session=s1 --timer=30000000",
    ]);
  });

  it("uses Tracedeck's relay when a streaming or live session gives no URL", () => {
    expect(planSessionSetup(ctl, { create: { mode: "live", name: "l", liveTimerUs: "200ms" } }).commands).toEqual([
      "lttng create l --live=200000 --set-url=net://127.0.0.1:5342:5343",
    ]);
    expect(planSessionSetup(ctl, { create: { mode: "snapshot", name: "sn" } }).commands).toEqual(["lttng create sn --snapshot --output=/srv/traces/sn"]);
  });

  it("says once that an empty name is required (issue 11: two messages at once)", () => {
    const issues = checkSessionSetup({ create: { mode: "local", name: "" }, channels: [{ session: "", domain: "userspace", name: "ch0" }] });
    expect(issues).toEqual([{ path: "create.name", message: "A name is required" }]);
  });

  it("reports each bad part by its path and lists no command", () => {
    const plan = planSessionSetup(ctl, {
      create: { mode: "local", name: "a/b" },
      channels: [{ session: "a/b", domain: "userspace", name: "ch0", subbufSize: "12Q" }],
      events: [{ session: "a/b", domain: "userspace", names: ["x:y"], filter: "latency_ns > && status == 503" }],
    });
    expect(plan.commands).toEqual([]);
    const byPath = Object.fromEntries(plan.issues.map((i) => [i.path, i.message]));
    expect(byPath["create.name"]).toMatch(/No '\/'/);
    // Said once, not again for every part that names the session.
    expect(byPath["channels.0.session"]).toBeUndefined();
    // The union's own "Invalid input" is replaced by the message of the string branch.
    expect(byPath["channels.0.subbufSize"]).toBe("A size such as 4096, 4k, 1M or 2G");
    // '&&' is the 14th character: the operand of '>' is missing.
    expect(byPath["events.0.filter"]).toMatch(/^Invalid filter at character 14/);
  });

  it("refuses a rotation schedule on a snapshot session, parts of another session, and paths out of the traces root", () => {
    const issues = checkSessionSetup({
      create: { mode: "snapshot", name: "s" },
      channels: [{ session: "other", domain: "userspace", name: "ch0" }],
      rotation: { session: "s", size: "1M" },
    });
    expect(issues.map((i) => i.path).sort()).toEqual(["channels.0.session", "rotation"]);
    expect(planSessionSetup(ctl, { create: { mode: "local", name: "s", outputDir: "a/../../x" } }).issues[0]?.path).toBe("create.outputDir");
  });
});

describe("shellCommand", () => {
  it("quotes only what a shell would split or expand", () => {
    expect(shellCommand(["enable-event", "-u", "a:*"])).toBe("lttng enable-event -u 'a:*'");
    expect(shellCommand(["--filter=x == 'y'"])).toBe(`lttng --filter='x == '\\''y'\\'''`);
  });
});
