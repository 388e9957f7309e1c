import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { DemoWorkloadManager, ZDemoStartOptions, demoArgs, type DemoProcessInfo } from "./manager";

const workDir = mkdtempSync(join(tmpdir(), "tracedeck-manager-"));
const managers: DemoWorkloadManager[] = [];
function manager(opts: { maxRunning?: number; maxHistory?: number } = {}): DemoWorkloadManager {
  const m = new DemoWorkloadManager({ workDir, ...opts });
  managers.push(m);
  return m;
}
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.stopAll()));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

async function until(m: DemoWorkloadManager, id: number, pred: (p: DemoProcessInfo) => boolean): Promise<DemoProcessInfo> {
  for (let i = 0; i < 100; i++) {
    const p = m.get(id);
    if (p && pred(p)) return p;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`process ${id} never reached the expected state: ${JSON.stringify(m.get(id))}`);
}

describe("ZDemoStartOptions", () => {
  it("fills defaults and refuses unbounded or absurd values", () => {
    expect(ZDemoStartOptions.parse({})).toMatchObject({ kind: "native", rate: 1000, threads: 2, duration: 60 });
    expect(ZDemoStartOptions.safeParse({ rate: 0 }).success).toBe(false);
    expect(ZDemoStartOptions.safeParse({ threads: 100 }).success).toBe(false);
    expect(ZDemoStartOptions.safeParse({ duration: -1 }).success).toBe(false);
    expect(ZDemoStartOptions.safeParse({ slowMs: 1e6 }).success).toBe(false);
    expect(ZDemoStartOptions.safeParse({ kind: "java" }).success).toBe(false);
  });

  it("maps options to the binary's flags", () => {
    const o = ZDemoStartOptions.parse({ rate: 2000, slowEvery: 2000, slowMs: 60 });
    expect(demoArgs(o)).toEqual(["--rate", "2000", "--threads", "2", "--duration", "60", "--slow-every", "2000", "--slow-ms", "60", "--tracef-every", "0"]);
  });
});

describe("DemoWorkloadManager", () => {
  it("starts a demo process, lists it with live counters, and stops it cleanly with SIGTERM", async () => {
    const m = manager();
    const started = await m.start({ rate: 500, duration: 0, slowEvery: 100, slowMs: 5 });
    expect(started.state).toBe("running");
    expect(started.pid).toBeGreaterThan(0);
    expect(m.list().map((p) => p.id)).toEqual([started.id]);
    expect(await m.status()).toMatchObject({ running: 1, maxRunning: 4, programs: { nativeBuilt: true, nativeProblem: null, pythonAgent: true } });

    const busy = await until(m, started.id, (p) => p.requests > 0);
    expect(busy.eventsEmitted).toBeGreaterThanOrEqual(busy.requests * 4);

    const stopped = await m.stop(started.id);
    expect(stopped).toMatchObject({ state: "exited", exitCode: 0, signal: null });
    expect(stopped.endedAt).toBeInstanceOf(Date);
    // the summary line at exit carries the final counters: 4 events per request + 1 per slow one
    expect(stopped.eventsEmitted).toBe(stopped.requests * 4 + stopped.slowRequests);
    expect(stopped.slowRequests).toBe(Math.floor(stopped.requests / 100));
    expect(m.runningCount()).toBe(0);
  });

  it("runs a bounded demo to its end and reports the exact request count", async () => {
    const m = manager();
    const p = await m.start({ rate: 1000, duration: 0.5, threads: 3 });
    const done = await m.waitForExit(p.id);
    expect(done).toMatchObject({ state: "exited", exitCode: 0, requests: 500, slowRequests: 0 });
  });

  it("refuses to run more than maxRunning processes at once", async () => {
    const m = manager({ maxRunning: 1 });
    const a = await m.start({ rate: 10, duration: 0 });
    await expect(m.start({ rate: 10, duration: 0 })).rejects.toMatchObject({ code: "LIMIT_REACHED" });
    await m.stop(a.id);
    const b = await m.start({ rate: 10, duration: 0 });
    expect(b.state).toBe("running");
  });

  it("keeps only maxHistory exited processes", async () => {
    const m = manager({ maxHistory: 2 });
    for (let i = 0; i < 3; i++) await m.waitForExit((await m.start({ rate: 100, duration: 0.05 })).id);
    expect(m.list().map((p) => p.id)).toEqual([3, 2]);
    await expect(m.stop(1)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("stops a program cleanly even when asked right after the start (it waits for the ready line)", async () => {
    const m = manager();
    for (const kind of ["native", "python"] as const) {
      const p = await m.start({ kind, rate: 10, duration: 0 });
      expect(await m.stop(p.id)).toMatchObject({ state: "exited", ready: true, exitCode: 0, signal: null });
    }
  });

  it("runs the Python demo and counts its logging records", async () => {
    const m = manager();
    const p = await m.start({ kind: "python", rate: 200, duration: 0, slowEvery: 10, slowMs: 1 });
    await until(m, p.id, (x) => x.requests > 0);
    const stopped = await m.stop(p.id);
    expect(stopped).toMatchObject({ state: "exited", exitCode: 0 });
    // one DEBUG record plus one INFO or WARNING per request
    expect(stopped.eventsEmitted).toBe(2 * stopped.requests);
    expect(stopped.slowRequests).toBe(Math.floor(stopped.requests / 10));
  });
});
