/**
 * The controller against the real root session daemon, in the UST domain, with the demo
 * workload: one test per session mode, plus snapshot, rotation, trigger and error paths.
 * Every session/trigger has a unique per-run name and is destroyed in afterEach/finally.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir, hostname } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureSessiond } from "../testing/record";
import { babeltraceLines } from "../testing/babeltrace";
import { ensureWorkloadBuilt, findWorkloadDir } from "../workload/build";
import { LttngController, pathUnder } from "./controller";
import { LttngError } from "./errors";
import { DaemonManager } from "./daemons";
import { execBounded } from "./exec";
import { LttngRunner } from "./runner";
import { reap, uniqueName } from "./testing";

let tracesDir: string;
let runDir: string;
let demo: string;
const created: string[] = [];
const triggers: string[] = [];
const runner = new LttngRunner();
// Tests' own relayd on loopback ports that do not collide with the set-up's 5342-5344.
const RELAY = { host: "127.0.0.1", controlPort: 35342, dataPort: 35343, livePort: 35344 };
let daemons: DaemonManager;
let ctl: LttngController;

/**
 * Runs the demo and returns its summary line and pid. Other engineers' tests run the same demo
 * against the same root daemon, and per-UID buffers record every root process: tests count
 * only events whose vpid context is this run's pid.
 */
function runDemo(args: string[]): Promise<{ summary: Record<string, number>; pid: number }> {
  return new Promise((done, fail) => {
    // Wait for the session daemon's registration however long it takes on a loaded machine:
    // by default lttng-ust gives up after 3 s and the first events are lost.
    const env = { ...process.env, LTTNG_UST_REGISTER_TIMEOUT: "-1" };
    const child = spawn(demo, [...args, "--dir", tracesDir], { cwd: tracesDir, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", fail);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) return fail(new Error(`demo exited ${code}: ${err}`));
      done({ summary: JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as Record<string, number>, pid: child.pid! });
    });
  });
}

/** Events named `name` emitted by process `pid` (needs the vpid context). */
function ours(lines: string[], pid: number, name: string): string[] {
  const re = new RegExp(`vpid = ${pid}[, ]`);
  return lines.filter((l) => l.includes(` ${name}: `) && re.test(l));
}

function session(tag: string): string {
  const n = uniqueName(tag);
  created.push(n);
  return n;
}

beforeAll(async () => {
  await ensureSessiond();
  demo = await ensureWorkloadBuilt();
  tracesDir = await mkdtemp(join(tmpdir(), "td-ctl-traces-"));
  runDir = await mkdtemp(join(tmpdir(), "td-ctl-run-"));
  daemons = new DaemonManager({ runDir, relaydOutputDir: join(tracesDir, "relayd"), relayd: RELAY });
  ctl = new LttngController(runner, { tracesDir, relaydOutputDir: join(tracesDir, "relayd"), relayd: RELAY, daemons });
});

afterEach(async () => {
  for (const t of triggers.splice(0)) await ctl.removeTrigger(t).catch(() => undefined);
  for (const s of created.splice(0)) await ctl.destroy(s).catch(() => undefined);
});

afterAll(async () => {
  const st = await daemons?.relaydStatus();
  if (st?.running && st.ownedByTracedeck) {
    const pid = st.pid!;
    await daemons.stopRelayd();
    await reap([pid]);
  }
  await rm(tracesDir, { recursive: true, force: true });
  await rm(runDir, { recursive: true, force: true });
});

const DEMO_EVENTS = ["tracedeck_demo:request_begin", "tracedeck_demo:io"];

describe("local session", () => {
  it("create → channel with options → events with filter → contexts → start → workload → stop → decodes", async () => {
    const name = session("local");
    const s = await ctl.createSession({ mode: "local", name });
    expect(s).toMatchObject({ name, mode: "local", path: join(tracesDir, name), active: false });

    const ch = await ctl.enableChannel({
      session: name,
      domain: "userspace",
      name: "ch0",
      mode: "discard",
      subbufSize: "64k",
      numSubbuf: 8,
      switchTimerUs: "100ms",
      monitorTimerUs: "500ms",
      tracefileSize: "4M",
      tracefileCount: 4,
      buffers: "uid",
      blockingTimeoutUs: 0,
    });
    expect(ch.attributes).toMatchObject({
      subbufSizeBytes: 65536,
      subbufCount: 8,
      switchTimerUs: 100000,
      monitorTimerUs: 500000,
      tracefileSizeBytes: 4194304,
      tracefileCount: 4,
      overwrite: false,
    });

    await ctl.enableEvent({ session: name, domain: "userspace", channel: "ch0", names: DEMO_EVENTS });
    const [end] = await ctl.enableEvent({ session: name, domain: "userspace", channel: "ch0", names: ["tracedeck_demo:request_end"], filter: "status == 503" });
    expect(end).toMatchObject({ name: "tracedeck_demo:request_end", success: true });
    const ctx = await ctl.addContext({ session: name, domain: "userspace", channel: "ch0", types: ["vpid", "vtid", "procname"] });
    expect(ctx.map((c) => [c.symbol, c.success])).toEqual([
      ["vpid", true],
      ["vtid", true],
      ["procname", true],
    ]);

    let st = await ctl.sessionState(name);
    expect(st.actions.enableChannel.allowed).toBe(true);
    expect(st.session.domains[0]!.channels[0]!.events.find((e) => e.name === "tracedeck_demo:request_end")!.filter).toBe("status == 503");

    await ctl.start(name);
    st = await ctl.sessionState(name);
    expect(st.actions.enableChannel).toEqual({ allowed: false, reason: expect.stringContaining("first start") as unknown as string });
    expect(st.actions.addContext.allowed).toBe(false);

    const { summary, pid } = await runDemo(["--rate", "2000", "--duration", "1", "--slow-every", "100", "--slow-ms", "1"]);
    await ctl.stop(name);
    // Stopped but started once: still frozen.
    expect((await ctl.sessionState(name)).actions.enableChannel.allowed).toBe(false);
    await expect(ctl.enableChannel({ session: name, domain: "userspace", name: "late" })).rejects.toMatchObject({ code: "NOT_ALLOWED" });

    const lines = await babeltraceLines(join(tracesDir, name));
    expect(ours(lines, pid, "tracedeck_demo:request_begin")).toHaveLength(summary.requests!);
    // The filter kept only the slow requests' ends.
    const ends = ours(lines, pid, "tracedeck_demo:request_end");
    expect(ends).toHaveLength(summary.slow!);
    expect(summary.slow).toBeGreaterThan(0);
    const endLine = ends[0]!;
    expect(endLine).toMatch(/status = 503/);
    expect(endLine).toMatch(/vpid = \d+/);
    expect(endLine).toMatch(/procname = "tracedeck-demo"/);
  });

  it("refuses an output directory outside the traces directory", async () => {
    await expect(ctl.createSession({ mode: "local", name: uniqueName("esc"), outputDir: "../outside" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
      details: { field: "outputDir" },
    });
  });

  it("reports a duplicate session name on the name field", async () => {
    const name = session("dup");
    await ctl.createSession({ mode: "local", name });
    await expect(ctl.createSession({ mode: "local", name })).rejects.toMatchObject({
      code: "ALREADY_EXISTS",
      message: "Session name already exists",
      details: { field: "name" },
    });
  });

  it("checks filter syntax before LTTng, and shows LTTng's own rejection on the filter field", async () => {
    const name = session("filt");
    await ctl.createSession({ mode: "local", name });
    await expect(ctl.enableEvent({ session: name, domain: "userspace", names: ["tracedeck_demo:*"], filter: "latency_ns >" })).rejects.toMatchObject({
      code: "INVALID_FILTER",
      details: { field: "filter" },
      message: "Invalid filter at character 13: The filter ends too early",
    });
    // Syntactically fine, refused by LTTng's IR generator: its message comes through.
    await expect(ctl.enableEvent({ session: name, domain: "userspace", names: ["tracedeck_demo:*"], filter: 'latency_ns == "a" + 1' })).rejects.toMatchObject({
      code: "INVALID_FILTER",
      details: { field: "filter", exitCode: 106 },
      message: expect.stringContaining("Invalid filter bytecode") as unknown as string,
    });
  });

  it("refuses --exclude on sessiond 2.13.9 before sending anything", async () => {
    const name = session("excl");
    await ctl.createSession({ mode: "local", name });
    await expect(ctl.enableEvent({ session: name, domain: "userspace", names: ["tracedeck_demo:*"], exclude: ["tracedeck_demo:io"] })).rejects.toMatchObject({
      code: "NOT_ALLOWED",
      details: { field: "exclude" },
    });
    // Nothing was created, so listing the session is safe.
    expect((await ctl.getSession(name)).domains).toEqual([]);
  });

  it("rotates: the archive path exists and decodes; a timer rotation produces archives", async () => {
    const name = session("rot");
    await ctl.createSession({ mode: "local", name });
    await ctl.enableEvent({ session: name, domain: "userspace", names: ["tracedeck_demo:*"] });
    await ctl.addContext({ session: name, domain: "userspace", types: ["vpid"] });
    expect((await ctl.sessionState(name)).actions.rotate).toMatchObject({ allowed: false });
    await ctl.start(name);
    const { pid } = await runDemo(["--rate", "1000", "--duration", "0.5"]);
    const r = await ctl.rotate(name);
    expect(r.state).toBe("COMPLETED");
    expect(r.archivePath).toMatch(new RegExp(`^${join(tracesDir, name, "archives")}/`));
    expect((await stat(r.archivePath!)).isDirectory()).toBe(true);
    expect(ours(await babeltraceLines(r.archivePath!), pid, "tracedeck_demo:request_begin")).toHaveLength(500);

    const sched = await ctl.enableRotation({ session: name, timerUs: "1s" });
    expect(sched.results).toEqual([{ periodicUs: 1000000, sizeBytes: null, success: true }]);
    expect((await ctl.getSession(name)).rotation.periodicUs).toBe(1000000);
    // Serve requests until the timer has closed two more chunks: how many runs that takes is
    // the machine's business (bounded, so a broken timer fails instead of hanging).
    const archivesDir = join(tracesDir, name, "archives");
    const pids: number[] = [];
    for (let i = 0; i < 60 && (await readdir(archivesDir)).length < 3; i++) pids.push((await runDemo(["--rate", "200", "--duration", "0.5"])).pid);
    await ctl.disableRotation({ session: name, timer: true });
    await ctl.stop(name);
    const archives = (await readdir(archivesDir)).sort();
    expect(archives.length).toBeGreaterThanOrEqual(3);
    // What the archives say: each decodes, and no request of ours is in two of them (each
    // chunk holds what was recorded between two rotations).
    const seen = new Map<string, string>();
    for (const a of archives) {
      const lines = await babeltraceLines(join(archivesDir, a));
      for (const pid of pids)
        for (const l of ours(lines, pid, "tracedeck_demo:request_begin")) {
          const key = `${pid}/${/\bid = (\d+)/.exec(l)?.[1]}`;
          expect(seen.get(key), `${key} in ${a}`).toBeUndefined();
          seen.set(key, a);
        }
    }
    expect(seen.size).toBeGreaterThan(0);
  });
});

describe("snapshot session", () => {
  it("records a snapshot and returns the directory it wrote; guards the mode's rules", async () => {
    const name = session("snap");
    const s = await ctl.createSession({ mode: "snapshot", name });
    expect(s.mode).toBe("snapshot");
    await ctl.enableChannel({ session: name, domain: "userspace", name: "snapch", subbufSize: "256k", numSubbuf: 4 });
    await ctl.enableEvent({ session: name, domain: "userspace", channel: "snapch", names: ["tracedeck_demo:*"], filter: "id >= 0" });
    await ctl.addContext({ session: name, domain: "userspace", channel: "snapch", types: ["vpid", "vtid"] });
    let st = await ctl.sessionState(name);
    expect(st.snapshotOutputs).toHaveLength(1);
    expect(st.snapshotOutputs[0]!.ctrlUrl).toBe(join(tracesDir, name));
    expect(st.actions.rotate).toEqual({ allowed: false, reason: "Rotation is not available for snapshot sessions." });
    expect(st.actions.snapshotAddOutput).toMatchObject({ allowed: false, reason: expect.stringContaining("only one snapshot output") as unknown as string });
    expect(st.actions.snapshotRecord.allowed).toBe(false);
    await ctl.start(name);
    st = await ctl.sessionState(name);
    expect(st.actions.snapshotRecord.allowed).toBe(true);
    const { pid } = await runDemo(["--rate", "1000", "--duration", "0.5"]);
    const snap = await ctl.snapshotRecord({ session: name, name: "manual" });
    expect(snap.path.startsWith(join(tracesDir, name, `${snap.name}-`))).toBe(true);
    // Written by the consumer before `snapshot record` returned: complete now.
    expect(snap.local).toBe(true);
    expect(ours(await babeltraceLines(snap.path), pid, "tracedeck_demo:request_begin")).toHaveLength(500);
    // LTTng itself refuses rotation here too, with its own message.
    await expect(runner.run(["rotate", name])).rejects.toMatchObject({
      code: "NOT_ALLOWED",
      message: "Rotation feature not available for this session's creation mode",
    });

    // Replace the output (one per session): delete, then add another under the traces dir.
    await ctl.snapshotDelOutput(name, 1);
    expect((await ctl.sessionState(name)).actions.snapshotRecord).toMatchObject({ allowed: false });
    const out = await ctl.snapshotAddOutput({ session: name, outputDir: `${name}-second`, name: "second" });
    expect(out).toMatchObject({ name: "second", maxSizeBytes: null });
    const snap2 = await ctl.snapshotRecord({ session: name });
    expect(snap2.path.startsWith(join(tracesDir, `${name}-second`, `${snap2.name}-`))).toBe(true);
    await ctl.stop(name);
  });

  it("a trigger with snapshot-session takes a snapshot when a slow request happens", async () => {
    const name = session("trig");
    await ctl.createSession({ mode: "snapshot", name });
    await ctl.enableEvent({ session: name, domain: "userspace", names: ["tracedeck_demo:*"] });
    const tname = uniqueName("slowsnap");
    triggers.push(tname);
    const t = await ctl.addTrigger({
      name: tname,
      ruleType: "user",
      pattern: "tracedeck_demo:request_end",
      filter: "latency_ns > 50000000",
      captures: ["id", "latency_ns", "$ctx.vpid"],
      actions: [{ type: "snapshot-session", session: name, snapshotName: "slow", ratePolicy: { kind: "every", count: 1 } }],
    });
    expect(t).toMatchObject({
      name: tname,
      condition: {
        eventRule: { type: "user", namePattern: "tracedeck_demo:request_end", filter: "latency_ns > 50000000" },
        captures: ["id", "latency_ns", "$ctx.vpid"],
      },
    });
    expect(t.actions[0]).toMatchObject({ type: "snapshot-session", sessionName: name });
    expect((await ctl.listTriggers()).some((x) => x.name === tname)).toBe(true);
    await ctl.start(name);
    await runDemo(["--rate", "200", "--duration", "1", "--slow-every", "100", "--slow-ms", "60"]);
    // The trigger's snapshots are named after the action's --name.
    let dirs: string[] = [];
    for (let i = 0; i < 50 && dirs.length === 0; i++) {
      dirs = (await readdir(join(tracesDir, name)).catch(() => [] as string[])).filter((d) => d.startsWith("slow-"));
      if (dirs.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(dirs.length).toBeGreaterThanOrEqual(1);
    const lines = await babeltraceLines(join(tracesDir, name, dirs.sort()[0]!));
    expect(lines.some((l) => l.includes("tracedeck_demo:request_end") && /status = 503/.test(l))).toBe(true);
    await ctl.stop(name);
    const removed = await ctl.removeTrigger(tname);
    triggers.splice(triggers.indexOf(tname), 1);
    expect(removed.name).toBe(tname);
    await expect(ctl.removeTrigger(tname)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("streaming and live sessions", () => {
  it("refuses to create a streaming session when no relay answers", async () => {
    const name = uniqueName("norelay");
    await expect(ctl.createSession({ mode: "network", name, url: "net://127.0.0.1:35442:35443" })).rejects.toMatchObject({
      code: "RELAYD_UNREACHABLE",
      details: { field: "url" },
    });
    expect((await ctl.listSessions()).some((s) => s.name === name)).toBe(false);
  });

  it("streaming and live traces land under the relay daemon's output and decode", async () => {
    const relayd = await daemons.startRelayd();
    expect(relayd.running).toBe(true);
    const out = relayd.outputDir!;
    expect(out).toBe(join(tracesDir, "relayd"));
    const urls = { ctrlUrl: `tcp://127.0.0.1:${RELAY.controlPort}`, dataUrl: `tcp://127.0.0.1:${RELAY.dataPort}` };
    for (const [mode, viaUrls] of [
      ["network", false],
      ["live", false],
      ["network", true],
    ] as const) {
      const name = session(mode);
      const s = await ctl.createSession(mode === "live" ? { mode, name, liveTimerUs: "200ms" } : viaUrls ? { mode, name, ...urls } : { mode, name });
      expect(s).toMatchObject({ mode, path: `tcp4://127.0.0.1:${RELAY.controlPort}/ [data: ${RELAY.dataPort}]` });
      if (mode === "live") expect(s.liveTimerUs).toBe(200000);
      await ctl.enableEvent({ session: name, domain: "userspace", names: ["tracedeck_demo:*"], filter: "id < 1000000" });
      await ctl.addContext({ session: name, domain: "userspace", types: ["vpid"] });
      // Never started: nothing to rotate yet (network); never rotatable (live).
      expect((await ctl.sessionState(name)).actions.rotate.allowed).toBe(false);
      await ctl.start(name);
      expect((await ctl.sessionState(name)).actions.rotate.allowed).toBe(mode === "network");
      const { pid } = await runDemo(["--rate", "1000", "--duration", "0.5"]);
      await ctl.stop(name);
      await ctl.destroy(name);
      created.splice(created.indexOf(name), 1);
      const hostDir = join(out, hostname());
      const dirs = (await readdir(hostDir)).filter((d) => d.startsWith(`${name}-`));
      expect(dirs).toHaveLength(1);
      expect(ours(await babeltraceLines(join(hostDir, dirs[0]!)), pid, "tracedeck_demo:request_begin")).toHaveLength(500);
    }
  });
});

describe("relay outputs: snapshots and rotations", () => {
  it("a snapshot to the relay returns its directory under the relay's output", async () => {
    const relayd = await daemons.startRelayd();
    const name = session("rsnap");
    await ctl.createSession({ mode: "snapshot", name, url: `net://127.0.0.1:${RELAY.controlPort}:${RELAY.dataPort}` });
    const [out] = await ctl.snapshotListOutputs(name);
    expect(out!.ctrlUrl).toBe(`tcp4://127.0.0.1:${RELAY.controlPort}/`);
    await ctl.enableEvent({ session: name, domain: "userspace", names: ["tracedeck_demo:*"] });
    await ctl.addContext({ session: name, domain: "userspace", types: ["vpid"] });
    await ctl.start(name);
    const { pid } = await runDemo(["--rate", "1000", "--duration", "0.3"]);
    const snap = await ctl.snapshotRecord({ session: name, name: "relay" });
    expect(snap.path.startsWith(join(relayd.outputDir!, hostname(), `${name}-`))).toBe(true);
    // The relay may still be writing it: the archive index settles it rather than reading it at once.
    expect(snap.local).toBe(false);
    expect(snap.path.split("/").at(-1)!.startsWith(`${snap.name}-`)).toBe(true);
    expect(ours(await babeltraceLines(snap.path), pid, "tracedeck_demo:request_begin")).toHaveLength(300);
    await ctl.stop(name);
  });

  it("relay rotations return archive paths that exist, including the first one (reported as the session dir)", async () => {
    const relayd = await daemons.startRelayd();
    const name = session("rrot");
    await ctl.createSession({ mode: "network", name, url: `net://127.0.0.1:${RELAY.controlPort}:${RELAY.dataPort}` });
    await ctl.enableEvent({ session: name, domain: "userspace", names: ["tracedeck_demo:*"] });
    await ctl.addContext({ session: name, domain: "userspace", types: ["vpid"] });
    await ctl.start(name);
    const paths: string[] = [];
    for (const n of [200, 300]) {
      const { pid } = await runDemo(["--rate", "1000", "--duration", String(n / 1000)]);
      const r = await ctl.rotate(name);
      expect(r.archivePath).toMatch(new RegExp(`^${join(relayd.outputDir!, hostname())}/${name}-\\d{8}-\\d{6}/archives/[^/]+-${paths.length}$`));
      expect(ours(await babeltraceLines(r.archivePath!), pid, "tracedeck_demo:request_begin")).toHaveLength(n);
      paths.push(r.archivePath!);
    }
    await ctl.stop(name);
  });
});

describe("what LTTng does not say", () => {
  it("learns from LTTng's refusal that a session it did not start was started once", async () => {
    await daemons.startRelayd();
    const name = session("learn");
    await ctl.createSession({ mode: "network", name, url: `net://127.0.0.1:${RELAY.controlPort}:${RELAY.dataPort}` });
    await ctl.enableEvent({ session: name, domain: "userspace", names: ["tracedeck_demo:*"] });
    await ctl.start(name);
    await ctl.stop(name);
    // A fresh controller (e.g. after a server restart) cannot know the stopped session ran.
    const fresh = new LttngController(runner, { tracesDir, relaydOutputDir: join(tracesDir, "relayd"), relayd: RELAY, daemons });
    expect((await fresh.sessionState(name)).actions.enableChannel.allowed).toBe(true);
    await expect(fresh.enableChannel({ session: name, domain: "userspace", name: "late" })).rejects.toMatchObject({
      code: "NOT_ALLOWED",
      message: `Channel late: Tracing has already been started once (session ${name})`,
    });
    expect((await fresh.sessionState(name)).actions.enableChannel.allowed).toBe(false);
  });
});

describe("the session list, shared by concurrent readers", () => {
  it("five lists at once run one `lttng list`; a list asked after a create runs again and shows it", async () => {
    const lists: string[][] = [];
    /** While set, a finished `lttng list` holds its answer back until it resolves. */
    let gate: Promise<void> | undefined;
    class Counting extends LttngRunner {
      override async run(args: readonly string[], opts?: Parameters<LttngRunner["run"]>[1]) {
        if (args[0] !== "list" || args.length !== 1) return super.run(args, opts);
        lists.push([...args]);
        const held = gate;
        const r = await super.run(args, opts);
        if (held) await held;
        return r;
      }
    }
    const c = new LttngController(new Counting(), { tracesDir, relaydOutputDir: join(tracesDir, "relayd"), relayd: RELAY, daemons });
    const name = session("shared-list");
    const five = await Promise.all(Array.from({ length: 5 }, () => c.listSessions()));
    expect(lists).toHaveLength(1);
    // Each reader gets its own array (one may sort it without the others seeing).
    expect(five[0]).not.toBe(five[1]);
    expect(five[1]).toEqual(five[0]);
    // A list taken before a create, still under way when the create returns: a list asked then
    // does not join it (it would miss the new session).
    let release = () => {};
    gate = new Promise<void>((r) => (release = r));
    const before = c.listSessions();
    while (lists.length < 2) await new Promise((r) => setTimeout(r, 5));
    await c.createSession({ mode: "local", name });
    gate = undefined;
    const after = c.listSessions();
    release();
    expect((await after).map((x) => x.name)).toContain(name);
    await before;
    expect(lists).toHaveLength(3);
  });
});

describe("trackers, clear, regenerate, disable, save and load", () => {
  it("tracks only the given process, then all again", async () => {
    const name = session("track");
    await ctl.createSession({ mode: "local", name });
    await ctl.enableEvent({ session: name, domain: "userspace", names: ["tracedeck_demo:request_begin"] });
    await ctl.addContext({ session: name, domain: "userspace", types: ["vpid"] });
    // Track a pid that is not the demo: nothing from the demo may be recorded.
    const tracked = await ctl.track({ session: name, domain: "userspace", attr: "vpid", values: [process.pid] });
    expect(tracked).toEqual([{ kind: "vpid", values: [{ id: process.pid, name: null, all: false, success: true }] }]);
    expect((await ctl.getSession(name)).domains[0]!.trackers).toEqual([
      { kind: "vpid", values: [{ id: process.pid, name: null, all: false, success: undefined }] },
    ]);
    await ctl.start(name);
    const first = await runDemo(["--rate", "1000", "--duration", "0.2"]);
    await ctl.track({ session: name, domain: "userspace", attr: "vpid", all: true });
    expect((await ctl.getSession(name)).domains[0]!.trackers).toEqual([]);
    const second = await runDemo(["--rate", "1000", "--duration", "0.2"]);
    await ctl.stop(name);
    const lines = await babeltraceLines(join(tracesDir, name));
    expect(ours(lines, first.pid, "tracedeck_demo:request_begin")).toHaveLength(0);
    expect(ours(lines, second.pid, "tracedeck_demo:request_begin")).toHaveLength(200);
  });

  it("regenerates metadata and statedump, disables events and channels, clears", async () => {
    const name = session("misc");
    await ctl.createSession({ mode: "local", name });
    await ctl.enableChannel({ session: name, domain: "userspace", name: "c1" });
    await ctl.enableEvent({ session: name, domain: "userspace", channel: "c1", names: ["tracedeck_demo:io", "tracedeck_demo:request_begin"] });
    expect((await ctl.sessionState(name)).actions.regenerateMetadata.allowed).toBe(false);
    await ctl.start(name);
    expect(await ctl.regenerate(name, "metadata")).toEqual({ what: "metadata" });
    expect(await ctl.regenerate(name, "statedump")).toEqual({ what: "statedump" });
    const dis = await ctl.disableEvent({ session: name, domain: "userspace", channel: "c1", names: ["tracedeck_demo:io"] });
    expect(dis).toMatchObject({ channel: "c1", events: [{ name: "tracedeck_demo:io", enabled: false, success: true }] });
    const ch = (await ctl.getSession(name)).domains[0]!.channels[0]!;
    expect(ch.events.find((e) => e.name === "tracedeck_demo:io")!.enabled).toBe(false);
    const dc = await ctl.disableChannel({ session: name, domain: "userspace", names: ["c1"] });
    expect(dc[0]).toMatchObject({ name: "c1", enabled: false, success: true });
    await ctl.stop(name);
    const cleared = await ctl.clear(name);
    expect(cleared).toMatchObject({ name, active: false });
  });

  it("saves a session and loads it back under another name and output", async () => {
    const name = session("save");
    await ctl.createSession({ mode: "local", name });
    await ctl.enableChannel({ session: name, domain: "userspace", name: "sc", subbufSize: "128k", numSubbuf: 4 });
    await ctl.enableEvent({ session: name, domain: "userspace", channel: "sc", names: ["tracedeck_demo:*"], filter: "id > 5" });
    const saved = await ctl.save(name);
    expect((await stat(saved.path)).isFile()).toBe(true);
    await expect(ctl.save(name)).rejects.toMatchObject({ code: "ALREADY_EXISTS", message: "Session file already exists" });
    await ctl.save(name, true);
    await expect(ctl.load({ session: name })).rejects.toMatchObject({ code: "ALREADY_EXISTS", message: "Session name already exists" });
    const copy = uniqueName("loaded");
    created.push(copy);
    const loaded = await ctl.load({ session: name, overrideName: copy, overrideOutputDir: copy });
    expect(loaded.overrides).toEqual({ name: copy, url: `file://${join(tracesDir, copy)}` });
    const s = await ctl.getSession(copy);
    expect(s.path).toBe(join(tracesDir, copy));
    expect(s.domains[0]!.channels[0]).toMatchObject({ name: "sc", attributes: { subbufSizeBytes: 131072 } });
    expect(s.domains[0]!.channels[0]!.events[0]!.filter).toBe("id > 5");
    await expect(ctl.load({ session: name, overrideOutputDir: "../../etc" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});

describe("agent domains, more trigger actions, output-less snapshots", () => {
  it("records Python logging with a log level range", async () => {
    const name = session("py");
    const logger = `td.demo.${process.pid}${Date.now().toString(36)}`;
    await ctl.createSession({ mode: "local", name });
    const [rule] = await ctl.enableEvent({ session: name, domain: "python", names: [logger], loglevel: "WARNING" });
    expect(rule).toMatchObject({ name: logger, loglevel: "PYTHON_WARNING", loglevelType: "RANGE", success: true });
    await ctl.start(name);
    const r = await execBounded(
      "/usr/bin/python3",
      [join(findWorkloadDir(), "python_demo.py"), "--count", "40", "--rate", "200", "--slow-every", "4", "--slow-ms", "1", "--logger", logger],
      {
        timeoutMs: 60_000,
        cwd: tracesDir,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    await ctl.stop(name);
    const lines = (await babeltraceLines(join(tracesDir, name))).filter((l) => l.includes(`logger_name = "${logger}"`));
    expect(lines.length).toBeGreaterThan(0);
    // Only WARNING (30) and more severe passed the range.
    for (const l of lines) expect(Number(/int_loglevel = (\d+)/.exec(l)![1])).toBeGreaterThanOrEqual(30);
  });

  it("accepts JUL and log4j rules with single log levels (no Java process needed)", async () => {
    const name = session("java");
    await ctl.createSession({ mode: "local", name });
    expect((await ctl.enableEvent({ session: name, domain: "jul", names: ["com.example.*"], loglevel: "JUL_WARNING", loglevelOnly: true }))[0]).toMatchObject({
      loglevel: "JUL_WARNING",
      loglevelType: "SINGLE",
    });
    expect((await ctl.enableEvent({ session: name, domain: "log4j", names: ["org.example"], loglevel: "LOG4J_WARN" }))[0]).toMatchObject({
      loglevel: "LOG4J_WARN",
      loglevelType: "RANGE",
    });
    const s = await ctl.getSession(name);
    // Agent rules also create their UST channel (lttng_jul_channel, lttng_log4j_channel).
    expect(s.domains.map((d) => d.type).sort()).toEqual(["JUL", "LOG4J", "UST"]);
    expect(s.domains.find((d) => d.type === "JUL")!.events[0]).toMatchObject({ name: "com.example.*", loglevel: "JUL_WARNING", loglevelType: "SINGLE" });
    expect((await ctl.listAvailable("jul")).processes).toEqual([]);
  });

  it("a trigger with start-session starts a stopped session when a slow request happens", async () => {
    const name = session("tstart");
    await ctl.createSession({ mode: "local", name });
    await ctl.enableEvent({ session: name, domain: "userspace", names: ["tracedeck_demo:request_end"] });
    const tname = uniqueName("startit");
    triggers.push(tname);
    const t = await ctl.addTrigger({
      name: tname,
      ruleType: "user",
      pattern: "tracedeck_demo:request_end",
      filter: "latency_ns > 50000000",
      actions: [{ type: "start-session", session: name, ratePolicy: { kind: "once-after", count: 1 } }],
    });
    expect(t.actions).toEqual([{ type: "start-session", sessionName: name, ratePolicy: { kind: "once-after", count: 1 }, snapshotOutput: null, errors: [] }]);
    expect((await ctl.getSession(name)).active).toBe(false);
    await runDemo(["--rate", "100", "--duration", "0.5", "--slow-every", "10", "--slow-ms", "60"]);
    let active = false;
    for (let i = 0; i < 50 && !active; i++) {
      active = (await ctl.getSession(name)).active;
      if (!active) await new Promise((r) => setTimeout(r, 100));
    }
    expect(active).toBe(true);
    await ctl.stop(name);
  });

  it("creates a snapshot session without output, then adds one", async () => {
    const name = session("snapnone");
    await ctl.createSession({ mode: "snapshot", name, noOutput: true });
    let st = await ctl.sessionState(name);
    expect(st.snapshotOutputs).toEqual([]);
    expect(st.actions.snapshotAddOutput.allowed).toBe(true);
    await expect(ctl.snapshotRecord({ session: name })).rejects.toMatchObject({ code: "NOT_ALLOWED" });
    await ctl.snapshotAddOutput({ session: name, outputDir: name, maxSize: "64M" });
    st = await ctl.sessionState(name);
    expect(st.snapshotOutputs[0]).toMatchObject({ ctrlUrl: join(tracesDir, name), maxSizeBytes: 64 * 1024 * 1024 });
    expect(st.actions.snapshotAddOutput.allowed).toBe(false);
  });
});

describe("kernel domain on a machine without the kernel tracer", () => {
  it("lists kernel events as LTTng's 'Kernel tracer not available'", async () => {
    await expect(ctl.listAvailable("kernel")).rejects.toMatchObject({
      code: "KERNEL_TRACER_UNAVAILABLE",
      message: "Unable to list kernel events: Kernel tracer not available",
    });
  });

  it("sends kernel channels, syscall/probe/function events, perf contexts and syscall lists, and reports LTTng's refusal", async () => {
    const name = session("kern");
    await ctl.createSession({ mode: "local", name });
    // LTTng's messages name the object, which shows each argument array reached it as meant.
    const cases: Array<[() => Promise<unknown>, string]> = [
      [
        () => ctl.enableChannel({ session: name, domain: "kernel", name: "kch", subbufSize: "1M", output: "splice", buffers: "global" }),
        "Channel kch: Kernel tracer not available (session " + name + ")",
      ],
      [
        () => ctl.enableEvent({ session: name, domain: "kernel", kind: "syscall", names: ["openat"] }),
        "Event openat: Kernel tracer not available (channel channel0, session " + name + ")",
      ],
      [
        () => ctl.enableEvent({ session: name, domain: "kernel", kind: "probe", names: ["myprobe"], location: "do_sys_open+0x10" }),
        "Event myprobe: Kernel tracer not available (channel channel0, session " + name + ")",
      ],
      [
        () => ctl.enableEvent({ session: name, domain: "kernel", kind: "function", names: ["myfunc"], location: "vfs_read" }),
        "Event myfunc: Kernel tracer not available (channel channel0, session " + name + ")",
      ],
      [
        () => ctl.enableEvent({ session: name, domain: "kernel", names: ["sched_switch"], filter: "prev_tid == 0" }),
        "Event sched_switch: Kernel tracer not available (channel channel0, session " + name + ", filter 'prev_tid == 0')",
      ],
      [() => ctl.addContext({ session: name, domain: "kernel", types: ["perf:cpu:cycles"] }), "perf:cpu:cycles: Kernel tracer not available"],
      [() => ctl.listAvailable("kernel", { syscalls: true }), "Unable to list system calls: Kernel tracer not available"],
    ];
    // LTTng 2.13.9 answers some of these either with that message or, when the daemon closed
    // the connection before the client finished writing, "Fatal error of the session daemon";
    // the controller then asks LTTng (`list -k`) and reports the kernel tracer as the cause.
    for (const [call, message] of cases) {
      const e = (await call().catch((x: unknown) => x)) as LttngError;
      expect(e).toBeInstanceOf(LttngError);
      expect(e.code).toBe("KERNEL_TRACER_UNAVAILABLE");
      if (!e.message.includes("Fatal error of the session daemon")) expect(e.message).toBe(message);
      else expect(e.message).toMatch(new RegExp(`^${message.split(":")[0]!}: Fatal error of the session daemon.*: Kernel tracer not available$`));
    }
  });

  it("lists user-space events with fields of the running demo", async () => {
    const child = execBounded(demo, ["--rate", "100", "--duration", "3", "--dir", tracesDir], { timeoutMs: 30_000 });
    try {
      let found = false;
      for (let i = 0; i < 30 && !found; i++) {
        const a = await ctl.listAvailable("userspace", { fields: true });
        const p = a.processes.find((x) => x.events.some((e) => e.name === "tracedeck_demo:request_end"));
        if (p) {
          found = true;
          const end = p.events.find((e) => e.name === "tracedeck_demo:request_end")!;
          expect(end.fields.map((f) => f.name)).toContain("latency_ns");
        } else await new Promise((r) => setTimeout(r, 100));
      }
      expect(found).toBe(true);
    } finally {
      await child;
    }
  });
});

describe("pathUnder", () => {
  it("keeps user paths inside the root, and accepts names that merely start with two dots", () => {
    expect(pathUnder("/data/traces", "a/b")).toBe("/data/traces/a/b");
    expect(pathUnder("/data/traces", "..data")).toBe("/data/traces/..data");
    for (const bad of ["..", "../x", "a/../../x", "/etc", "", "."]) expect(() => pathUnder("/data/traces", bad)).toThrow(/must stay inside/);
  });
});
