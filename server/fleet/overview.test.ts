/**
 * The fleet view and a bulk snapshot over three hosts: this machine, the same machine over a
 * real sshd, and a host that stopped answering (a SIGSTOPped sshd: TCP accepted, no reply).
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config } from "../config";
import { lttng } from "../lttng/instance";
import { uniqueName } from "../lttng/testing";
import { tempDb } from "../testing/db";
import { HostControllers } from "./controllers";
import { HostRegistry } from "./hosts";
import { Fleet } from "./overview";
import { TestSshd } from "./testing/sshd";

const up = new TestSshd();
const dead = new TestSshd();
const store = tempDb();
const env = { TRACEDECK_SECRET_KEY: randomBytes(32).toString("base64") };
// Generous limits: the machine running the tests may be loaded; the dead host fails by them anyway.
const hosts = new HostRegistry(store.db, { env, connectTimeoutMs: 8_000 });
const c = config();
const controllerOptions = { tracesDir: c.tracesDir, relaydOutputDir: c.relaydOutputDir, relayd: c.relayd, daemons: lttng().daemons };
const fleet = new Fleet(hosts, new HostControllers(hosts, { controllerOptions }), { hostTimeoutMs: 10_000 });
const session = uniqueName("fleet-snap");

beforeAll(async () => {
  await Promise.all([up.start(), dead.start()]);
  const key = (s: TestSshd) => s.privateKey.toString();
  await hosts.add({ name: "db1", address: "127.0.0.1", port: up.port, user: "root", privateKey: key(up) });
  await hosts.add({ name: "db2", address: "127.0.0.1", port: dead.port, user: "root", privateKey: key(dead) });
  const r = c.relayd;
  await lttng().controller.createSession({ mode: "snapshot", name: session, url: `net://127.0.0.1:${r.controlPort}:${r.dataPort}` });
  await lttng().controller.enableEvent({ session, domain: "userspace", names: ["tracedeck_demo:*"] });
  await lttng().controller.start(session);
  process.kill(dead.pid!, "SIGSTOP");
});

afterAll(async () => {
  if (dead.pid) process.kill(dead.pid, "SIGCONT");
  fleet.stop();
  hosts.close();
  await lttng()
    .controller.destroy(session)
    .catch(() => undefined);
  await Promise.all([up.dispose(), dead.dispose()]);
  await store.cleanup();
});

describe("fleet", () => {
  it("answers from what it knows while a dead host is still being asked, then marks it down", async () => {
    let done = false;
    const refreshing = fleet.refresh().then(() => (done = true));
    const early = await fleet.view();
    expect(done).toBe(false);
    expect(early.map((h) => h.host)).toEqual(["local", "db1", "db2"]);
    await refreshing;
    const states = Object.fromEntries((await fleet.view()).map((h) => [h.host, h]));
    expect(states.local).toMatchObject({ state: "up", lttngVersion: expect.stringMatching(/^2\./) as string, kernelTracer: false });
    expect(states.db1).toMatchObject({ state: "up", lttngVersion: states.local!.lttngVersion });
    expect(states.db1!.sessions.map((s) => s.name)).toContain(session);
    expect(states.db1!.error).toBeNull();
    expect(states.db2).toMatchObject({ state: "down" });
    expect(states.db2!.error).toMatch(/did not answer within|no SSH handshake/);
  });

  it("records a snapshot on every chosen host at once, with a result per host", async () => {
    const results = await fleet.snapshotAll(["local", "db1", "db2"], session);
    const by = Object.fromEntries(results.map((r) => [r.host, r]));
    expect(by.local).toMatchObject({ ok: true });
    expect(by.db1).toMatchObject({ ok: true });
    expect(by.local!.snapshot!.path).not.toBe(by.db1!.snapshot!.path);
    expect(by.db2).toMatchObject({ ok: false });
    expect(by.db2!.message).toMatch(/handshake|answer|timed out|did not finish/i);
  });

  it("asks the hosts at most once a refresh period, however often the view is read", async () => {
    const own = tempDb();
    const registry = new HostRegistry(own.db, { env });
    let asked = 0;
    class Counting extends HostControllers {
      override withTimeLimit(host: string, timeoutMs: number) {
        asked++;
        return super.withTimeLimit(host, timeoutMs);
      }
    }
    const f = new Fleet(registry, new Counting(registry, { controllerOptions }), { refreshMs: 60_000 });
    try {
      await f.view(); // never refreshed: asks in the background
      await f.refresh(); // joins that refresh
      const once = asked;
      expect(once).toBeGreaterThan(0);
      expect((await f.view()).map((h) => h.state)).toEqual(["up"]);
      for (let i = 0; i < 5; i++) await f.view();
      await new Promise((r) => setTimeout(r, 50));
      expect(asked).toBe(once);
      await f.refresh(); // asked for: always asks
      expect(asked).toBe(2 * once);
    } finally {
      registry.close();
      await own.cleanup();
    }
  });
});
