/**
 * The sessions and triggers routers acting on a traced host: HTTP calls as the browser makes
 * them, a real SQLite file, a real sshd of the test's own (loopback, its own host key) logged
 * into as root, so the commands reach the real root session daemon through SSH, and sessions
 * stream to this machine's real relayd.
 */
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config } from "../../config";
import { fleetInstance } from "../../fleet/instance";
import { TestSshd } from "../../fleet/testing/sshd";
import { lttng } from "../../lttng/instance";
import { uniqueName } from "../../lttng/testing";
import { spawnDemo, until } from "../../live/testing";
import { tempDb } from "../../testing/db";
import { call, loginUsers, type Users } from "../testing";

process.env.TRACEDECK_SECRET_KEY ??= randomBytes(32).toString("base64");

const sshd = new TestSshd();
const store = tempDb();
const HOST = "loop";
const sessions: string[] = [];
const cleanup: (() => void)[] = [];
let users: Users;

const op = (path: string, input: unknown) => call(path, "mutation", input, { db: store.db, cookie: users.operator });
const read = (path: string, input: unknown) => call(path, "query", input, { db: store.db, cookie: users.operator });

/** Logins sshd accepted so far: each call below must add to them, or it did not go over SSH. */
const sshLogins = () => (sshd.log.match(/Accepted publickey/g) ?? []).length;

beforeAll(async () => {
  await sshd.start();
  users = await loginUsers(store.db, "sh");
  await fleetInstance(store.db).hosts.add({
    name: HOST,
    address: "127.0.0.1",
    port: sshd.port,
    user: "root",
    privateKey: sshd.privateKey.toString(),
    relayHost: "127.0.0.1",
  });
});

afterAll(async () => {
  for (const f of cleanup) f();
  for (const s of sessions)
    await lttng()
      .controller.destroy(s)
      .catch(() => undefined);
  fleetInstance(store.db).hosts.close();
  await sshd.dispose();
  await store.cleanup();
});

describe("sessions on a traced host", () => {
  it("creates, starts, snapshots, stops and destroys a session over SSH, recorded at the local relayd, audited with the host", async () => {
    const name = uniqueName("host-snap");
    sessions.push(name);
    const logins = sshLogins();
    // No output chosen: a traced host's snapshot session records to this machine's relayd.
    const created = await op("sessions.create", { host: HOST, mode: "snapshot", name });
    expect(created.status).toBe(200);
    expect(sshLogins()).toBeGreaterThan(logins);

    const got = await read("sessions.get", { host: HOST, name });
    expect(got.status).toBe(200);
    const state = (got.body as { result: { data: { json: { snapshotOutputs: { ctrlUrl: string }[] } } } }).result.data.json;
    expect(state.snapshotOutputs[0]?.ctrlUrl).toContain(`127.0.0.1:${config().relayd.controlPort}`);

    expect((await op("sessions.enableEvent", { host: HOST, session: name, domain: "userspace", names: ["tracedeck_demo:*"] })).status).toBe(200);
    expect((await op("sessions.start", { host: HOST, name })).status).toBe(200);
    const demo = await spawnDemo(["--rate", "200", "--duration", "0"]);
    cleanup.push(() => demo.kill());
    await until(async () => ((await lttng().runner.runText(["list", "-u"])).includes(`PID: ${demo.pid} `) ? true : undefined), "the demo registered");
    demo.release();

    const snap = await op("sessions.snapshot", { host: HOST, session: name, name: "over-host" });
    expect(snap.status).toBe(200);
    const path = (snap.body as { result: { data: { json: { path: string } } } }).result.data.json.path;
    // Written by this machine's relayd: Archives and reports read it like a local snapshot.
    const relayOut = (await lttng().daemons.relaydStatus()).outputDir ?? config().relaydOutputDir;
    expect(relative(relayOut, path).startsWith("..")).toBe(false);
    expect(
      readdirSync(path, { recursive: true })
        .map(String)
        .some((f) => f.endsWith("metadata")),
    ).toBe(true);

    expect((await op("sessions.stop", { host: HOST, name })).status).toBe(200);
    expect((await op("sessions.destroy", { host: HOST, name })).status).toBe(200);
    expect((await lttng().controller.listSessions()).some((s) => s.name === name)).toBe(false);

    const rows = await store.db.auditEntry.findMany({ where: { input: { contains: name } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.action, r.host, r.ok])).toEqual([
      ["sessions.create", HOST, true],
      ["sessions.enableEvent", HOST, true],
      ["sessions.start", HOST, true],
      ["sessions.snapshot", HOST, true],
      ["sessions.stop", HOST, true],
      ["sessions.destroy", HOST, true],
    ]);
  });

  it("streams network sessions to the relay address set for the host", async () => {
    const name = uniqueName("host-net");
    sessions.push(name);
    const { controlPort, dataPort } = config().relayd;
    expect((await op("sessions.create", { host: HOST, mode: "network", name })).status).toBe(200);
    const list = await read("sessions.list", { host: HOST });
    const row = (list.body as { result: { data: { json: { name: string; path: string }[] } } }).result.data.json.find((s) => s.name === name);
    expect(row?.path).toMatch(new RegExp(`^tcp4://127\\.0\\.0\\.1:${controlPort}/`));
    expect((await op("sessions.destroy", { host: HOST, name })).status).toBe(200);

    // The setting is the host's: another address changes what its sessions would run, not this machine's.
    expect((await op("fleet.setRelayHost", { name: HOST, relayHost: "10.9.8.7" })).status).toBe(200);
    const draft = { create: { mode: "network", name: uniqueName("host-plan") } };
    const remotePlan = await read("sessions.plan", { host: HOST, ...draft });
    const localPlan = await read("sessions.plan", draft);
    expect(JSON.stringify(remotePlan.body)).toContain(`--set-url=net://10.9.8.7:${controlPort}:${dataPort}`);
    expect(JSON.stringify(localPlan.body)).not.toContain("10.9.8.7");
    expect((await op("fleet.setRelayHost", { name: HOST, relayHost: "127.0.0.1" })).status).toBe(200);
    expect(JSON.stringify((await read("sessions.plan", { host: HOST, ...draft })).body)).not.toContain("10.9.8.7");
  });

  it("lists the host's triggers over SSH", async () => {
    const r = await read("triggers.list", { host: HOST });
    expect(r.status).toBe(200);
    expect(Array.isArray((r.body as { result: { data: { json: unknown } } }).result.data.json)).toBe(true);
  });
});

describe("refusals", () => {
  it("refuses a viewer before resolving the host, and audits the refusal with the host", async () => {
    const name = uniqueName("host-viewer");
    const r = await call("sessions.start", "mutation", { host: HOST, name }, { db: store.db, cookie: users.viewer });
    expect(r.status).toBe(403);
    const row = await store.db.auditEntry.findFirst({ where: { action: "sessions.start", input: { contains: name } } });
    expect(row).toMatchObject({ ok: false, host: HOST });
  });

  it("answers an unknown host with 404 naming it, and a malformed one with 400", async () => {
    const unknown = await read("sessions.get", { host: "no-such-host", name: "x" });
    expect(unknown.status).toBe(404);
    expect(unknown.message).toBe("No host named no-such-host");
    const create = await op("sessions.create", { host: "no-such-host", mode: "local", name: uniqueName("never") });
    expect(create.status).toBe(404);
    const bad = await read("sessions.list", { host: "Not A Host;" });
    expect(bad.status).toBe(400);
  });
});
