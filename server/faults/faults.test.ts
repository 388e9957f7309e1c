/**
 * Faults against the real daemons and the real server, each in this file's PRIVATE root LTTng
 * (a mount + PID namespace, server/testing/private-lttng.ts): its own lttng-sessiond, its own
 * lttng-relayd on its own loopback ports and output directory, the server under test and the
 * demo workload inside the namespace. The shared daemons are never touched; the namespace and
 * everything in it ends with the file, also on failure.
 *
 * Each fault must be reported clearly by the API, recover once the fault is gone, and lose no
 * recording session, archive or file that existed before it.
 */
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueName } from "../lttng/testing";
import { privateLttng, type PrivateLttng } from "../testing/private-lttng";
import { Api, startServer, TrpcHttpError, type ServerUnderTest } from "../testing/server-under-test";
import { ensureWorkloadBuilt } from "../workload/build";

const PASSWORD = "faults-operator-pw";
// Ports of their own: the shared relayd has 5342-5344, Playwright 3100-3899, other tests 25342/45342.
const slot = process.pid % 40;
const PORT = 4100 + slot;
const RELAYD = { controlPort: 36000 + slot * 3, dataPort: 36001 + slot * 3, livePort: 36002 + slot * 3 };
const CLI = join(__dirname, "..", "..", "dist", "tracedeck.mjs");

let ns: PrivateLttng;
let dataDir: string;
let server: ServerUnderTest;
let api: Api;

const cliEnv = () => ({
  NODE_ENV: "production" as const,
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  TRACEDECK_DATA_DIR: dataDir,
  TRACEDECK_RELAYD_CONTROL_PORT: String(RELAYD.controlPort),
  TRACEDECK_RELAYD_DATA_PORT: String(RELAYD.dataPort),
  TRACEDECK_RELAYD_LIVE_PORT: String(RELAYD.livePort),
});
/** The tracedeck CLI inside the namespace. */
const cli = (args: string[]) => ns.exec(process.execPath, [CLI, ...args], { env: cliEnv(), timeoutMs: 60_000 });
/** `lttng` inside the namespace (text output: what an operator would see). */
const lttngList = async () => (await ns.exec("lttng", ["--no-sessiond", "list"], { env: cliEnv() })).stdout;

async function boot(): Promise<void> {
  server = await startServer(ns, { dataDir, port: PORT, relayd: RELAYD, adminPassword: PASSWORD });
  api = new Api(server.url);
  await api.login("admin", PASSWORD);
}

/** Session and process id of a host pid (/proc/PID/stat fields 5 and 6). */
async function groupOf(pid: number): Promise<{ pgrp: number; session: number }> {
  const s = await readFile(`/proc/${pid}/stat`, "utf8");
  const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
  return { pgrp: Number(f[2]), session: Number(f[3]) };
}

/** The parent of a host pid (/proc/PID/stat field 4). */
async function ppidOf(pid: number): Promise<number> {
  const s = await readFile(`/proc/${pid}/stat`, "utf8");
  return Number(s.slice(s.lastIndexOf(")") + 2).split(" ")[1]);
}

/** The main daemon of that name (its children, consumerd and run-as helpers, share the comm). */
async function mainPid(comm: string): Promise<number> {
  const pids = await ns.pidsOf(comm);
  for (const p of pids) if (!pids.includes(await ppidOf(p))) return p;
  throw new Error(`no ${comm} in the namespace`);
}

/** The demo workload inside the namespace for `seconds`, registered with the private sessiond. */
async function demo(seconds: number, rate = 2000) {
  const bin = await ensureWorkloadBuilt();
  return ns.exec(bin, ["--rate", String(rate), "--duration", String(seconds), "--threads", "1"], {
    env: { NODE_ENV: "production", PATH: process.env.PATH, HOME: process.env.HOME, LTTNG_UST_REGISTER_TIMEOUT: "-1" },
    cwd: dataDir,
    timeoutMs: (seconds + 30) * 1000,
  });
}

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function filesUnder(dir: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = join(e.parentPath, e.name);
    out.set(p, (await stat(p)).size);
  }
  return out;
}

type Health = {
  ok: boolean;
  sessiond: { running: boolean; pid: number | null; message: string; ownedByTracedeck: boolean };
  relayd: { running: boolean; pid: number | null; message: string; ownedByTracedeck: boolean };
};
type SessionSummary = { name: string; active: boolean };

beforeAll(async () => {
  ns = await privateLttng();
  dataDir = await mkdtemp(join(tmpdir(), "td-faults-"));
  const r = await cli(["daemons", "ensure", "--json"]);
  if (r.code !== 0) throw new Error(`daemons ensure failed: ${r.stderr}`);
  await boot();
});

afterAll(async () => {
  await server?.crash();
  await ns?.dispose();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("daemons outlive the server (finding 6)", () => {
  it("runs the daemons it starts in sessions of their own, so no Ctrl-C or kill of the server's group reaches them", async () => {
    const sessiond = await mainPid("lttng-sessiond");
    const relayd = await mainPid("lttng-relayd");
    const srv = await groupOf(server.child.pid!);
    for (const pid of [sessiond, relayd]) {
      const g = await groupOf(pid);
      expect(g.session).not.toBe(srv.session);
      expect(g.pgrp).not.toBe(srv.pgrp);
    }
    const h = await api.query<Health>("daemons.health");
    expect(h).toMatchObject({ ok: true, sessiond: { running: true, ownedByTracedeck: true }, relayd: { running: true, ownedByTracedeck: true } });
  });

  it("keeps the daemons and a recording session through a crash of the server", async () => {
    const name = uniqueName("crash");
    await api.mutate("sessions.create", { mode: "local", name });
    await api.mutate("sessions.enableEvent", { session: name, domain: "userspace", names: ["tracedeck_demo:*"] });
    await api.mutate("sessions.start", { name });
    const before = { sessiond: await mainPid("lttng-sessiond"), relayd: await mainPid("lttng-relayd") };

    await server.crash();
    expect(await mainPid("lttng-sessiond")).toBe(before.sessiond);
    expect(await mainPid("lttng-relayd")).toBe(before.relayd);
    expect(await lttngList()).toMatch(new RegExp(`${name} \\[active\\]`));

    await boot();
    const sessions = await api.query<SessionSummary[]>("sessions.list");
    expect(sessions.find((s) => s.name === name)).toMatchObject({ active: true });
    await api.mutate("sessions.destroy", { name });
  });

  it("stops a daemon from the CLI only with --yes", async () => {
    const pid = await mainPid("lttng-relayd");
    const refused = await cli(["daemons", "stop", "relayd"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("Refusing without --yes");
    expect(await mainPid("lttng-relayd")).toBe(pid);
    const stopped = await cli(["daemons", "stop", "relayd", "--yes"]);
    expect(stopped.stdout).toContain("relayd: stopped");
    expect(await ns.pidsOf("lttng-relayd")).toEqual([]);
    const again = await api.mutate<{ running: boolean; ownedByTracedeck: boolean }>("daemons.start", { daemon: "relayd" });
    expect(again).toMatchObject({ running: true, ownedByTracedeck: true });
  });
});

describe("fault: lttng-sessiond killed mid-session", () => {
  it("is reported by the API, recovers from the API once restarted, and keeps every trace file and saved profile", async () => {
    const name = uniqueName("sdkill");
    await api.mutate("sessions.create", { mode: "local", name });
    await api.mutate("sessions.enableEvent", { session: name, domain: "userspace", names: ["tracedeck_demo:*"] });
    await api.mutate("sessions.start", { name });
    await api.mutate("sessions.save", { name });
    expect((await demo(1)).code).toBe(0);
    const traceDir = join(dataDir, "traces", name);
    const before = await waitFor("the consumer to write the trace", async () => {
      const f = await filesUnder(traceDir).catch(() => null);
      return f && [...f.keys()].some((p) => p.endsWith("metadata")) && [...f.values()].some((s) => s > 4096) ? f : null;
    });

    const pid = await mainPid("lttng-sessiond");
    process.kill(pid, "SIGKILL");
    await waitFor("the sessiond to die", async () => !(await ns.pidsOf("lttng-sessiond")).includes(pid));

    // Reported: red health with the reason, and LTTng's own message on every session call.
    const h = await waitFor("the health to turn red", async () => {
      const x = await api.query<Health>("daemons.health");
      return x.sessiond.running ? null : x;
    });
    expect(h).toMatchObject({ ok: false, sessiond: { running: false, pid: null, message: "session daemon not running" } });
    const err = await api.query("sessions.list").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrpcHttpError);
    expect(err).toMatchObject({ code: "PRECONDITION_FAILED", message: "No session daemon is available" });
    // The server itself keeps answering.
    expect((await fetch(`${server.url}/login`)).ok).toBe(true);

    // Nothing on disk was lost: every file is still there, none shorter than before the kill.
    const after = await filesUnder(traceDir);
    for (const [p, size] of before) expect(after.get(p) ?? -1).toBeGreaterThanOrEqual(size);

    // Recovery from the API: start the daemon again; the saved profile brings the session back
    // (LTTng keeps sessions in the daemon's memory only), into a new directory so that the
    // recorded one is never overwritten.
    const started = await api.mutate<{ running: boolean; ownedByTracedeck: boolean }>("daemons.start", { daemon: "sessiond" });
    expect(started).toMatchObject({ running: true, ownedByTracedeck: true });
    expect((await api.query<Health>("daemons.health")).sessiond.running).toBe(true);
    expect((await api.query<SessionSummary[]>("sessions.list")).map((s) => s.name)).not.toContain(name);
    const profiles = await api.query<Array<{ name: string }>>("sessions.profiles");
    expect(profiles.map((p) => p.name)).toContain(name);
    await api.mutate("sessions.load", { session: name, overrideOutputDir: `${name}-restored` });
    const restored = await api.query<{
      session: { name: string; path: string; active: boolean; domains: Array<{ channels: Array<{ events: Array<{ name: string }> }> }> };
    }>("sessions.get", { name });
    // Saved while recording, so loaded recording.
    expect(restored.session).toMatchObject({ active: true, path: join(dataDir, "traces", `${name}-restored`) });
    expect(restored.session.domains[0]?.channels[0]?.events.map((e) => e.name)).toEqual(["tracedeck_demo:*"]);
    expect((await demo(0.5)).code).toBe(0);
    await api.mutate("sessions.stop", { name });
    const again = await filesUnder(join(dataDir, "traces", `${name}-restored`));
    expect([...again.keys()].some((p) => p.endsWith("metadata"))).toBe(true);
    // The first recording is untouched by the second.
    const last = await filesUnder(traceDir);
    for (const [p, size] of after) expect(last.get(p)).toBe(size);
    await api.mutate("sessions.destroy", { name });
  });
});

describe("fault: lttng-relayd killed mid-stream (network session)", () => {
  type Got = { session: { active: boolean }; relay: { ok: boolean; message: string | null } | null };
  const relayOut = () => join(dataDir, "relayd");
  const withData = async (name: string) => {
    const f = await filesUnder(relayOut()).catch(() => new Map<string, number>());
    const mine = [...f].filter(([p]) => p.includes(`/${name}-`));
    return mine.some(([p, n]) => /channel0_\d+$/.test(p) && n > 0) ? new Map(mine) : null;
  };

  it("is reported on the session (LTTng still says 'recording'), keeps what the relay wrote, and recovers through the saved profile", async () => {
    const name = uniqueName("rdkill");
    await api.mutate("sessions.create", { mode: "network", name });
    // Small sub-buffers and a switch timer: data reaches the relay within the test's second.
    await api.mutate("sessions.enableChannel", {
      session: name,
      domain: "userspace",
      name: "channel0",
      subbufSize: "64k",
      numSubbuf: 4,
      switchTimerUs: "200ms",
    });
    await api.mutate("sessions.enableEvent", { session: name, domain: "userspace", channel: "channel0", names: ["tracedeck_demo:*"] });
    await api.mutate("sessions.start", { name });
    await api.mutate("sessions.save", { name });
    expect((await demo(1)).code).toBe(0);
    const before = await waitFor("the relay to write stream data", () => withData(name));
    expect((await api.query<Got>("sessions.get", { name })).relay).toEqual({ ok: true, message: null });

    const pid = await mainPid("lttng-relayd");
    process.kill(pid, "SIGKILL");
    await waitFor("the relayd to die", async () => !(await ns.pidsOf("lttng-relayd")).includes(pid));
    expect((await demo(0.5)).code).toBe(0); // the traced application is never blocked by the dead relay

    // Reported: red health, and on the session, which LTTng still lists as recording.
    const h = await waitFor("the health to turn red", async () => {
      const x = await api.query<Health>("daemons.health");
      return x.relayd.running ? null : x;
    });
    expect(h.relayd.message).toBe(`relay daemon not running on 127.0.0.1:${RELAYD.controlPort}`);
    const down = await api.query<Got>("sessions.get", { name });
    expect(down.session.active).toBe(true);
    expect(down.relay?.ok).toBe(false);
    expect(down.relay?.message).toMatch(
      /^The relay daemon is not running \(127\.0\.0\.1:\d+\): everything this session records now is dropped\. LTTng does not reconnect/,
    );

    // Restarted from the API: health is green again, and the session is still said to be cut off.
    expect(await api.mutate("daemons.start", { daemon: "relayd" })).toMatchObject({ running: true, ownedByTracedeck: true });
    const cut = await api.query<Got>("sessions.get", { name });
    expect(cut.relay?.ok).toBe(false);
    expect(cut.relay?.message).toMatch(/^The relay daemon was restarted at .*, after this session connected to it/);

    // Nothing the first relay wrote was lost.
    const after = await filesUnder(relayOut());
    for (const [p, size] of before) expect(after.get(p) ?? -1).toBeGreaterThanOrEqual(size);

    // Recovery as the message says: stop and destroy, load the profile: it streams again.
    await api.mutate("sessions.stop", { name });
    const destroyed = await api.mutate("sessions.destroy", { name }).catch((e: unknown) => e);
    // LTTng 2.13.9 answers the destroy of a cut-off session with an error, but does destroy it.
    if (destroyed instanceof TrpcHttpError) expect(destroyed.message).toMatch(/Rotation failure on consumer|relay/i);
    expect((await api.query<SessionSummary[]>("sessions.list")).map((s) => s.name)).not.toContain(name);
    await api.mutate("sessions.load", { session: name });
    expect((await demo(1)).code).toBe(0);
    const fresh = await waitFor("the new relay to write stream data", async () => {
      const f = await withData(name);
      return f && [...f.keys()].some((p) => !before.has(p)) ? f : null;
    });
    expect(fresh.size).toBeGreaterThan(before.size);
    expect((await api.query<Got>("sessions.get", { name })).relay).toEqual({ ok: true, message: null });
    await api.mutate("sessions.stop", { name });
    await api.mutate("sessions.destroy", { name });
  });
});

describe("fault: disk full (a small tmpfs as the session's output)", () => {
  type Disk = { low: boolean; freeBytes: number; message: string | null } | null;
  type Got = { session: { active: boolean }; disk: Disk };
  /** Fills the tmpfs at `dir` (inside the namespace) with one file, until ENOSPC. */
  async function fill(dir: string): Promise<string> {
    const filler = ns.hostPath(join(dir, "filler"));
    await writeFile(filler, Buffer.alloc(64 << 20)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "ENOSPC") throw e;
    });
    return filler;
  }
  const inNs = async (dir: string) => {
    const out = new Map<string, number>();
    for (const [p, n] of await filesUnder(ns.hostPath(dir))) if (!p.endsWith("/filler")) out.set(p, n);
    return out;
  };

  it("during a snapshot: refused with the cause named, earlier snapshots kept, works again once space is freed", async () => {
    const name = uniqueName("dfsnap");
    const dir = join(dataDir, "traces", name);
    await ns.mountTmpfs(dir, 4 << 20);
    try {
      await api.mutate("sessions.create", { mode: "snapshot", name });
      await api.mutate("sessions.enableChannel", { session: name, domain: "userspace", name: "channel0", subbufSize: "64k", numSubbuf: 4 });
      await api.mutate("sessions.enableEvent", { session: name, domain: "userspace", channel: "channel0", names: ["tracedeck_demo:*"] });
      await api.mutate("sessions.start", { name });
      expect((await demo(1)).code).toBe(0);
      const first = await api.mutate<{ path: string }>("sessions.snapshot", { session: name });
      const kept = await inNs(first.path);
      expect([...kept.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(8192);
      expect((await api.query<Got>("sessions.get", { name })).disk).toMatchObject({ low: false, message: null });

      const filler = await fill(dir);
      expect((await demo(0.5)).code).toBe(0);
      const got = await api.query<Got>("sessions.get", { name });
      expect(got.disk).toMatchObject({
        low: true,
        message: expect.stringMatching(/^The output file system is full or nearly so \(0\.0 MiB free of 4\.0 MiB at /) as unknown as string,
      });
      const err = await api.mutate("sessions.snapshot", { session: name }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TrpcHttpError);
      expect((err as TrpcHttpError).message).toMatch(/^Snapshot record failed\. The output file system is full or nearly so/);
      expect(got.session.active).toBe(true);
      // The earlier snapshot is intact, and still listed as an archive.
      expect(await inNs(first.path)).toEqual(kept);
      // The archive index finds it on its next scan of the roots.
      const indexed = await waitFor("the first snapshot in the archive index", async () => {
        const r = await api.query<{ archives: Array<{ path: string }> }>("archives.list", { pageSize: 100 });
        return r.archives.find((a) => a.path === first.path);
      });
      expect(indexed.path).toBe(first.path);

      await rm(filler);
      const again = await api.mutate<{ path: string }>("sessions.snapshot", { session: name });
      expect([...(await inNs(again.path)).keys()].some((p) => p.endsWith("/metadata"))).toBe(true);
      expect((await api.query<Got>("sessions.get", { name })).disk).toMatchObject({ low: false });
    } finally {
      await api.mutate("sessions.destroy", { name }).catch(() => undefined);
    }
  });

  it("during a rotation: reported on the session, rotation refused before it breaks the session, archives kept, rotates again once space is freed", async () => {
    const name = uniqueName("dfrot");
    const dir = join(dataDir, "traces", name);
    await ns.mountTmpfs(dir, 4 << 20);
    try {
      await api.mutate("sessions.create", { mode: "local", name });
      await api.mutate("sessions.enableChannel", {
        session: name,
        domain: "userspace",
        name: "channel0",
        subbufSize: "64k",
        numSubbuf: 4,
        switchTimerUs: "200ms",
      });
      await api.mutate("sessions.enableEvent", { session: name, domain: "userspace", channel: "channel0", names: ["tracedeck_demo:*"] });
      await api.mutate("sessions.start", { name });
      expect((await demo(1)).code).toBe(0);
      const first = await api.mutate<{ state: string; archivePath: string }>("sessions.rotate", { name });
      expect(first.state).toBe("COMPLETED");
      const kept = await inNs(first.archivePath);
      expect([...kept.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(8192);

      const filler = await fill(dir);
      const got = await api.query<Got>("sessions.get", { name });
      expect(got.disk?.low).toBe(true);
      expect(got.disk?.message).toMatch(/LTTng drops trace data silently when it cannot write/);
      const err = await api.mutate("sessions.rotate", { name }).catch((e: unknown) => e);
      expect(err).toMatchObject({
        code: "PRECONDITION_FAILED",
        message: expect.stringMatching(/^Rotation refused\. The output file system is full/) as unknown as string,
      });
      expect((await api.query<Got>("sessions.get", { name })).session.active).toBe(true);
      expect(await inNs(first.archivePath)).toEqual(kept);

      await rm(filler);
      expect((await demo(0.5)).code).toBe(0);
      const second = await api.mutate<{ state: string; archivePath: string }>("sessions.rotate", { name });
      expect(second.state).toBe("COMPLETED");
      expect([...(await inNs(second.archivePath)).keys()].some((p) => p.endsWith("/metadata"))).toBe(true);
      expect(await inNs(first.archivePath)).toEqual(kept);
      await api.mutate("sessions.stop", { name });
    } finally {
      await api.mutate("sessions.destroy", { name }).catch(() => undefined);
    }
  });
});

describe("fault: the server killed during a rotation", () => {
  it("leaves the session recording and the rotation completing; the restarted server lists the archive and rotates again", async () => {
    const name = uniqueName("srvrot");
    const dir = join(dataDir, "traces", name);
    await api.mutate("sessions.create", { mode: "local", name });
    await api.mutate("sessions.enableChannel", {
      session: name,
      domain: "userspace",
      name: "channel0",
      subbufSize: "64k",
      numSubbuf: 4,
      switchTimerUs: "200ms",
    });
    await api.mutate("sessions.enableEvent", { session: name, domain: "userspace", channel: "channel0", names: ["tracedeck_demo:*"] });
    await api.mutate("sessions.start", { name });
    expect((await demo(1)).code).toBe(0);

    // Kill the whole server (and so its `lttng rotate` child) while the rotation is under way.
    const rotating = api.mutate("sessions.rotate", { name }).catch((e: unknown) => e);
    const isRotate = async (pid: number) => (await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")).split("\0").includes("rotate");
    const rotatePid = await waitFor(
      "`lttng rotate` to run",
      async () => {
        for (const p of await ns.pidsOf("lttng")) if (await isRotate(p)) return p;
        return null;
      },
      15_000,
    );
    // Forked by the server's process helper, not by the ~1 GB server itself (spawn-helper.ts).
    const parent = await ppidOf(rotatePid);
    expect((await readFile(`/proc/${parent}/cmdline`, "utf8")).split("\0")).toContain(join(__dirname, "..", "..", "dist", "workers", "spawn-helper.mjs"));
    // The client process existing is not enough: killed before it reached the session daemon,
    // no rotation would happen at all. A rotation under way shows as .tmp_old_chunk (once done,
    // archives/) in the session's directory.
    await waitFor(
      "the session daemon to begin the rotation",
      async () => {
        const names = await readdir(dir).catch(() => [] as string[]);
        return names.includes(".tmp_old_chunk") || names.includes("archives");
      },
      15_000,
      10,
    );
    await server.crash();
    expect(await rotating).toBeInstanceOf(Error); // the browser sees the connection drop

    // The session daemon finishes the rotation on its own; the session keeps recording.
    const archives = join(dir, "archives");
    const archive = await waitFor("the archive of the interrupted rotation", async () => {
      const names = await readdir(archives).catch(() => [] as string[]);
      const done = names.find((n) => /^\d{8}T\d{6}[+-]\d{4}-\d{8}T\d{6}[+-]\d{4}-0$/.test(n));
      return done ? join(archives, done) : null;
    });
    const kept = await filesUnder(archive);
    expect([...kept.keys()].some((p) => p.endsWith("/metadata"))).toBe(true);
    expect(await lttngList()).toMatch(new RegExp(`${name} \\[active\\]`));

    await boot();
    expect((await api.query<SessionSummary[]>("sessions.list")).find((s) => s.name === name)).toMatchObject({ active: true });
    const listed = await waitFor("the archive of the interrupted rotation in the index", async () => {
      const r = await api.query<{ archives: Array<{ path: string; kind: string }> }>("archives.list", { pageSize: 100 });
      return r.archives.find((a) => a.path === archive);
    });
    expect(listed.kind).toBe("rotation");
    expect((await demo(0.5)).code).toBe(0);
    const next = await api.mutate<{ state: string; archivePath: string }>("sessions.rotate", { name });
    expect(next.state).toBe("COMPLETED");
    expect(next.archivePath).toMatch(/-1$/);
    expect(await filesUnder(archive)).toEqual(kept);
    await api.mutate("sessions.stop", { name });
    await api.mutate("sessions.destroy", { name });
  });
});
