import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LttngRunner } from "./runner";
import { childrenOf, isolatedDaemon, reap, type IsolatedDaemon } from "./testing";
import { DaemonManager } from "./daemons";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

// These tests start their OWN session daemon (user `nobody`, private LTTNG_HOME) and kill it;
// the shared root daemon is only ever observed.
describe("daemon lifecycle (isolated session daemon)", () => {
  let iso: IsolatedDaemon;
  beforeAll(async () => {
    iso = await isolatedDaemon();
  });
  afterAll(async () => {
    await iso?.cleanup();
  });

  it("reports a missing daemon as not running", async () => {
    const st = await iso.daemons.sessiondStatus();
    expect(st).toMatchObject({ running: false, pid: null, message: "session daemon not running" });
    const r = new LttngRunner(iso.target);
    await expect(r.run(["list"])).rejects.toMatchObject({ code: "SESSIOND_UNAVAILABLE", message: "No session daemon is available" });
  });

  it("starts a daemon, records it as ours, reads its pid, version and agent port", async () => {
    const st = await iso.daemons.startSessiond();
    expect(st.running).toBe(true);
    expect(st.ownedByTracedeck).toBe(true);
    expect(st.uid).toBe(65534);
    expect(st.version).toBe("2.13.9");
    expect(st.rundir).toBe(join(iso.home, ".lttng"));
    expect(st.agentPort).toBeGreaterThan(0);
    const [pid, startTime] = (await readFile(join(iso.runDir, "sessiond.pid"), "utf8")).trim().split(" ").map(Number);
    expect(pid).toBe(st.pid);
    expect(startTime).toBeGreaterThan(0);
    // The isolated daemon answers lttng commands run as its user.
    const r = await new LttngRunner(iso.target).run(["list"]);
    expect(r.doc.command).toBe("list");
  });

  it("turns health red when the daemon dies, and green again after a restart", async () => {
    const before = await iso.daemons.sessiondStatus();
    expect(before.running).toBe(true);
    const kids = await childrenOf(before.pid!);
    process.kill(before.pid!, "SIGKILL");
    await reap([before.pid!], 5_000);
    const h = await iso.daemons.health();
    expect(h.ok).toBe(false);
    expect(h.sessiond).toMatchObject({ running: false, message: "session daemon not running" });
    await reap(kids);
    const after = await iso.daemons.startSessiond();
    expect(after.running).toBe(true);
    expect(after.pid).not.toBe(before.pid);
    expect(after.ownedByTracedeck).toBe(true);
  });

  it("yields a health change from watch() when the daemon dies", async () => {
    const ac = new AbortController();
    const it = iso.daemons.watch(100, ac.signal);
    const first = await it.next();
    expect(first.value?.sessiond.running).toBe(true);
    const pid = first.value!.sessiond.pid!;
    const kids = await childrenOf(pid);
    process.kill(pid, "SIGKILL");
    const second = await it.next();
    expect(second.value?.sessiond.running).toBe(false);
    ac.abort();
    await it.return(undefined);
    await reap([pid, ...kids]);
    await iso.daemons.startSessiond();
  });

  it("shares one health poll between concurrent watchers", async () => {
    class CountingManager extends DaemonManager {
      calls = 0;
      override async health() {
        this.calls++;
        return super.health();
      }
    }
    const m = new CountingManager({
      target: iso.target,
      runDir: iso.runDir,
      relaydOutputDir: join(iso.home, "relayd"),
      relayd: { host: "127.0.0.1", controlPort: 25342, dataPort: 25343, livePort: 25344 },
    });
    const ac = new AbortController();
    const tabs = [m.watch(60_000, ac.signal), m.watch(60_000, ac.signal), m.watch(60_000, ac.signal)];
    const firsts = await Promise.all(tabs.map((w) => w.next()));
    expect(firsts.map((f) => f.value?.sessiond.running)).toEqual([true, true, true]);
    expect(m.calls).toBe(1);
    ac.abort();
    await Promise.all(tabs.map((w) => w.return(undefined)));
  });

  it("refuses to stop a daemon it did not start", async () => {
    // Same isolated daemon, but a manager with an empty run dir has no record of starting it.
    const otherRun = await mkdtemp(join(tmpdir(), "td-lttng-run-"));
    try {
      const stranger = new DaemonManager({
        target: iso.target,
        runDir: otherRun,
        relaydOutputDir: join(iso.home, "relayd"),
        relayd: { host: "127.0.0.1", controlPort: 25342, dataPort: 25343, livePort: 25344 },
      });
      const st = await stranger.sessiondStatus();
      expect(st).toMatchObject({ running: true, ownedByTracedeck: false });
      await expect(stranger.stopSessiond()).rejects.toMatchObject({ code: "NOT_ALLOWED" });
      expect((await stranger.sessiondStatus()).running).toBe(true);
    } finally {
      await rm(otherRun, { recursive: true, force: true });
    }
  });

  it("stops the daemon it started", async () => {
    const st = await iso.daemons.sessiondStatus();
    const kids = await childrenOf(st.pid!);
    const after = await iso.daemons.stopSessiond();
    expect(after.running).toBe(false);
    await reap(kids);
  });

  it("starts a relay daemon bound to loopback on the configured ports, and stops it; after a restart the status names the new process", async () => {
    const st = await iso.daemons.startRelayd();
    try {
      expect(st).toMatchObject({ running: true, ownedByTracedeck: true, version: "2.13.9" });
      const ports = st.listening.map((l) => `${l.address}:${l.port}`).sort();
      expect(ports).toEqual(["127.0.0.1:25342", "127.0.0.1:25343", "127.0.0.1:25344"]);
      // Found again from the remembered process (no walk of /proc): the same answer.
      expect(await iso.daemons.relaydStatus()).toMatchObject({ running: true, pid: st.pid, listening: st.listening });
      // Its descriptors against its limit, as /proc says (near the limit: proc.test.ts).
      const limit = Number(/^Max open files\s+(\d+)/m.exec(await readFile(`/proc/${st.pid}/limits`, "utf8"))![1]);
      expect(st.fds).toMatchObject({ limit, nearLimit: false });
      expect(st.fds!.open).toBeGreaterThan(3);
    } finally {
      const after = await iso.daemons.stopRelayd();
      expect(after.running).toBe(false);
    }
    // The remembered relay is gone: the next status finds the new one, never the old pid.
    const again = await iso.daemons.startRelayd();
    try {
      expect(again.pid).not.toBe(st.pid);
      expect(await iso.daemons.relaydStatus()).toMatchObject({ running: true, pid: again.pid });
    } finally {
      expect((await iso.daemons.stopRelayd()).running).toBe(false);
    }
  });
});

describe("the shared root daemon", () => {
  it("is seen but never claimed as ours", async () => {
    const run = await mkdtemp(join(tmpdir(), "td-lttng-run-"));
    try {
      const m = new DaemonManager({
        runDir: run,
        relaydOutputDir: join(run, "relayd"),
        relayd: { host: "127.0.0.1", controlPort: 5342, dataPort: 5343, livePort: 5344 },
      });
      const st = await m.sessiondStatus();
      if (st.running) {
        expect(st.ownedByTracedeck).toBe(false);
        expect(st.uid).toBe(0);
        expect(st.rundir).toBe("/var/run/lttng");
        await expect(m.stopSessiond()).rejects.toMatchObject({ code: "NOT_ALLOWED" });
      } else {
        expect(st.message).toBe("session daemon not running");
      }
    } finally {
      await rm(run, { recursive: true, force: true });
    }
  });
});
