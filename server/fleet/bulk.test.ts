/**
 * Bulk actions and host groups through the fleet router, over a real sshd of the test's own and
 * the real root session daemon: groups edited and filtered; a session created from a saved
 * profile on a host over SSH, started and stopped on a group with a result (and an audit line)
 * per host while a host that stopped answering fails alone; a spike rule naming a group records
 * its snapshot on every host of the group.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapAdmin } from "../auth/bootstrap";
import { config } from "../config";
import { lttng } from "../lttng/instance";
import { uniqueName } from "../lttng/testing";
import { SpikeActions, spikeCause } from "../spikes/actions";
import { addRule } from "../spikes/rules";
import { tempDb } from "../testing/db";
import { createContext } from "../trpc/init";
import { createCaller } from "../trpc/root";
import { fleetInstance } from "./instance";
import { TestSshd } from "./testing/sshd";

const up = new TestSshd();
const dead = new TestSshd();
const store = tempDb();
const c = config();
const relayUrl = `net://127.0.0.1:${c.relayd.controlPort}:${c.relayd.dataPort}`;
const profile = uniqueName("fleet-prof");
const fromProfile = uniqueName("fleet-made");
const snapSession = uniqueName("fleet-spike");
const ctl = () => lttng().controller;
let operator: () => Promise<ReturnType<typeof createCaller>>;

const tmpProfiles = () => new Set(readdirSync("/tmp").filter((f) => /^tracedeck-[0-9a-f]{24}\.lttng$/.test(f)));

beforeAll(async () => {
  process.env.TRACEDECK_SECRET_KEY ??= randomBytes(32).toString("base64");
  await Promise.all([up.start(), dead.start()]);
  await bootstrapAdmin(store.db, "correct horse battery");
  const resHeaders = new Headers();
  await createCaller(await createContext({ headers: new Headers(), resHeaders, db: store.db })).auth.login({
    username: "admin",
    password: "correct horse battery",
  });
  const cookie = /td_session=[^;]*/.exec(resHeaders.get("set-cookie") ?? "")![0];
  operator = async () => createCaller(await createContext({ headers: new Headers({ cookie }), db: store.db }));
  const api = await operator();
  await api.fleet.addHost({ name: "db1", address: "127.0.0.1", port: up.port, user: "root", privateKey: up.privateKey.toString() });
  await api.fleet.addHost({ name: "db2", address: "127.0.0.1", port: dead.port, user: "root", privateKey: dead.privateKey.toString() });
  // db2 stops answering before anything keeps a connection to it (a stopped sshd still serves
  // the connections its children already hold).
  process.kill(dead.pid!, "SIGSTOP");

  // A saved profile: a session streaming to this machine's relay, saved, then destroyed.
  await ctl().createSession({ mode: "network", name: profile, url: relayUrl });
  await ctl().enableEvent({ session: profile, domain: "userspace", names: ["tracedeck_demo:*"] });
  await ctl().save(profile, true);
  await ctl().destroy(profile);

  await ctl().createSession({ mode: "snapshot", name: snapSession, url: relayUrl });
  await ctl().enableEvent({ session: snapSession, domain: "userspace", names: ["tracedeck_demo:*"] });
  await ctl().start(snapSession);
});

afterAll(async () => {
  if (dead.pid) process.kill(dead.pid, "SIGCONT");
  fleetInstance(store.db).fleet.stop();
  fleetInstance(store.db).hosts.close();
  for (const s of [profile, fromProfile, snapSession])
    await ctl()
      .destroy(s)
      .catch(() => undefined);
  await rm(join(ctl().savedSessionsDir, `${profile}.lttng`), { force: true });
  await Promise.all([up.dispose(), dead.dispose()]);
  await store.cleanup();
});

describe("host groups", () => {
  it("are edited per host (the local one too), listed, and filter the fleet view", async () => {
    const api = await operator();
    expect(await api.fleet.setGroups({ name: "db1", groups: ["ssh", "snap", "ssh"] })).toEqual(["snap", "ssh"]);
    await api.fleet.setGroups({ name: "db2", groups: ["ssh"] });
    await api.fleet.setGroups({ name: "local", groups: ["snap"] });
    expect(await api.fleet.groups()).toEqual(["snap", "ssh"]);
    const hosts = Object.fromEntries((await api.fleet.hosts()).map((h) => [h.name, h.groups]));
    expect(hosts).toEqual({ local: ["snap"], db1: ["snap", "ssh"], db2: ["ssh"] });
    expect((await api.fleet.overview({ group: "ssh" })).map((h) => h.host)).toEqual(["db1", "db2"]);
    expect((await api.fleet.overview({ group: "snap" })).map((h) => [h.host, h.groups])).toEqual([
      ["local", ["snap"]],
      ["db1", ["snap", "ssh"]],
    ]);
    expect((await api.fleet.overview()).map((h) => h.host)).toEqual(["local", "db1", "db2"]);
  });

  it("refuses a bad group name, an unknown host, and a bulk action on an empty group", async () => {
    const api = await operator();
    await expect(api.fleet.setGroups({ name: "db1", groups: ["Bad Group"] })).rejects.toThrow(/Lower-case letters/);
    await expect(api.fleet.setGroups({ name: "nope", groups: ["x"] })).rejects.toThrow(/No host named nope/);
    await expect(api.fleet.bulk({ target: { group: "nobody" }, action: { kind: "stop", session: fromProfile } })).rejects.toThrow(/No host is in group nobody/);
    expect((await api.fleet.hosts()).find((h) => h.name === "db1")!.groups).toEqual(["snap", "ssh"]);
  });
});

describe("bulk actions", () => {
  it("creates a session from a profile saved here on a host over SSH (the profile copied over and removed after)", async () => {
    const before = tmpProfiles();
    const api = await operator();
    const [r] = await api.fleet.bulk({ target: { hosts: ["db1"] }, action: { kind: "create", profile, name: fromProfile } });
    expect(r).toMatchObject({ host: "db1", ok: true, message: `created ${fromProfile} from profile ${profile}` });
    const made = await ctl().getSession(fromProfile);
    expect(made.name).toBe(fromProfile);
    expect(made.active).toBe(false);
    expect([...tmpProfiles()].filter((f) => !before.has(f))).toEqual([]);

    const [again] = await api.fleet.bulk({ target: { hosts: ["db1"] }, action: { kind: "create", profile, name: fromProfile } });
    expect(again).toMatchObject({ host: "db1", ok: false });
    const [missing] = await api.fleet.bulk({ target: { hosts: ["local"] }, action: { kind: "create", profile: uniqueName("no-such") } });
    expect(missing!.message).toMatch(/No saved profile named/);
  });

  it("starts and stops a session on every host of a group: a result and an audit line per host, the dead host failing alone", async () => {
    {
      const api = await operator();
      const started = await api.fleet.bulk({ target: { group: "ssh" }, action: { kind: "start", session: fromProfile } });
      expect(started.map((r) => [r.host, r.ok])).toEqual([
        ["db1", true],
        ["db2", false],
      ]);
      expect(started[1]!.message).toMatch(/handshake|answer|timed out|did not finish/i);
      expect((await ctl().getSession(fromProfile)).active).toBe(true);

      const stopped = await api.fleet.bulk({ target: { hosts: ["db1"] }, action: { kind: "stop", session: fromProfile } });
      expect(stopped).toMatchObject([{ host: "db1", ok: true, message: `stopped ${fromProfile}` }]);
      expect((await ctl().getSession(fromProfile)).active).toBe(false);

      const audit = await store.db.auditEntry.findMany({ where: { action: { startsWith: "fleet.bulk.start@" } }, orderBy: { id: "asc" } });
      expect(audit.map((a) => [a.action, a.ok])).toEqual([
        ["fleet.bulk.start@db1", true],
        ["fleet.bulk.start@db2", false],
      ]);
      expect(JSON.parse(audit[0]!.input)).toEqual({ kind: "start", session: fromProfile, host: "db1" });
      expect(audit[1]!.message).toBe(started[1]!.message);
      // The call itself is audited too (operatorProcedure), with its target.
      const call = await store.db.auditEntry.findFirst({ where: { action: "fleet.bulk" }, orderBy: { id: "desc" } });
      expect(JSON.parse(call!.input)).toMatchObject({ target: { hosts: ["db1"] }, action: { kind: "stop" } });
    }
  });

  it("a spike rule naming a host group records its snapshot on every host of the group", async () => {
    const fleet = fleetInstance(store.db).fleet;
    const noted = new Map<string, string>();
    const actions = new SpikeActions({
      db: store.db,
      controller: ctl(),
      noteRecorded: (p, cause) => noted.set(p, cause),
      groupSnapshot: (group, session, name) => fleet.bulk({ group }, { kind: "snapshot", session, name }),
    });
    const rule = await addRule(store.db, {
      name: "fleet-group",
      sourceId: 1,
      threshold: { kind: "absolute", ns: "50ms" },
      snapshotSession: snapSession,
      hostGroup: "snap",
    });
    expect(rule.hostGroup).toBe("snap");
    const s = await actions.act({ rule, tsNs: 1n, valueNs: 60_000_000, thresholdNs: 50_000_000, detection: "live" });
    expect(s.error).toBeNull();
    expect(s.outcome).toBe("snapshot");
    // One snapshot per host of the group (local, db1), each a directory of its own linked to the spike.
    expect(noted.size).toBe(2);
    for (const [path, cause] of noted) {
      expect(cause).toBe(spikeCause(s.id));
      expect(path).toMatch(new RegExp(`/spike-${s.id}-[0-9a-z]+-\\d{8}-\\d{6}-\\d+$`));
      expect(existsSync(path) && statSync(path).isDirectory()).toBe(true);
    }
    expect(noted.has(s.archivePath!)).toBe(true);
    const row = await store.db.spike.findUniqueOrThrow({ where: { id: s.id } });
    expect([row.outcome, row.archivePath]).toEqual(["snapshot", s.archivePath]);
  });

  it("a trigger rule cannot name a host group (LTTng's trigger snapshots its own host)", async () => {
    await expect(
      addRule(store.db, {
        name: "trig-group",
        sourceId: 1,
        detection: "trigger",
        threshold: { kind: "absolute", ns: "50ms" },
        snapshotSession: snapSession,
        hostGroup: "snap",
      }),
    ).rejects.toThrow(/host group target applies to the live path/);
  });
});
