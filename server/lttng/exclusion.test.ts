/**
 * The --exclude crash of lttng-sessiond 2.13.9, on an ISOLATED daemon (user nobody, private
 * LTTNG_HOME) that this test may crash: never on the shared root daemon.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LttngController } from "./controller";
import { LttngRunner } from "./runner";
import { childrenOf, isolatedDaemon, reap, type IsolatedDaemon } from "./testing";

let iso: IsolatedDaemon;
let runner: LttngRunner;
let ctl: LttngController;

beforeAll(async () => {
  iso = await isolatedDaemon({ host: "127.0.0.1", controlPort: 65342, dataPort: 65343, livePort: 65344 });
  await iso.daemons.startSessiond();
  runner = new LttngRunner(iso.target);
  ctl = new LttngController(runner, {
    tracesDir: iso.home,
    relaydOutputDir: join(iso.home, "relayd"),
    relayd: { host: "127.0.0.1", controlPort: 65342, dataPort: 65343, livePort: 65344 },
    daemons: iso.daemons,
  });
});
afterAll(async () => {
  await iso?.cleanup();
});

describe("sessions with exclusions on sessiond 2.13.9", () => {
  it("lists a session without exclusions normally", async () => {
    await ctl.createSession({ mode: "local", name: "plain" });
    await ctl.enableEvent({ session: "plain", domain: "userspace", names: ["x:*"], filter: "a > 1" });
    expect((await ctl.getSession("plain")).domains[0]!.channels[0]!.events[0]!.filter).toBe("a > 1");
  });

  it("refuses to list a session whose rule has an exclusion (made outside Tracedeck), and the daemon survives", async () => {
    await runner.run(["create", "excl", `--output=${join(iso.home, "excl")}`]);
    // Bypass the controller's own refusal, as another tool would.
    await runner.run(["enable-event", "--session=excl", "-u", "--exclude=x:y", "x:*"]);
    await expect(ctl.getSession("excl")).rejects.toMatchObject({
      code: "NOT_ALLOWED",
      message: expect.stringContaining("would crash lttng-sessiond 2.13.9") as unknown as string,
    });
    await expect(ctl.sessionState("excl")).rejects.toMatchObject({ code: "NOT_ALLOWED" });
    expect((await iso.daemons.sessiondStatus()).running).toBe(true);
    expect((await ctl.listSessions()).map((s) => s.name).sort()).toEqual(["excl", "plain"]);
  });

  it("was right to: listing it directly kills this daemon", async () => {
    const st = await iso.daemons.sessiondStatus();
    const kids = await childrenOf(st.pid!);
    await expect(runner.run(["list", "excl"])).rejects.toBeDefined();
    let running = true;
    for (let i = 0; i < 50 && running; i++) {
      running = (await iso.daemons.sessiondStatus()).running;
      if (running) await new Promise((r) => setTimeout(r, 100));
    }
    expect(running).toBe(false);
    await reap([st.pid!, ...kids]);
  });
});
