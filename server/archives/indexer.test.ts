/**
 * The archive index against the real root session daemon and the shared relay daemon, a
 * real SQLite file and the real worker pool: archives recorded by Tracedeck, by the `lttng`
 * CLI, by timer rotation (local and through the relay) appear without anyone asking, with
 * babeltrace2's event count and span; broken ones are marked corrupt, vanished ones missing,
 * and a restart indexes nothing twice. Sessions have unique names and are destroyed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, rm, stat, truncate } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAnalysisPool } from "../analysis/worker-pool";
import { LttngController } from "../lttng/controller";
import { lttng as lttngInstance } from "../lttng/instance";
import { LttngRunner } from "../lttng/runner";
import { config } from "../config";
import { uniqueName } from "../lttng/testing";
import { babeltrace2 } from "../testing/babeltrace";
import { tempDb } from "../testing/db";
import { ensureSessiond, lttng } from "../testing/record";
import { ensureWorkloadBuilt } from "../workload/build";
import type { ArchiveTask } from "./archive.worker";
import { ArchiveIndexer } from "./indexer";
import { lttngViewOf } from "./lttng-view";
import { runArchiveTask } from "./pool";
import { ReportQueue } from "./reports";

let root: string;
let relayOut: string;
const extraRoots: string[] = [];
const created: string[] = [];
const demos: ChildProcess[] = [];
const t = tempDb();
let demo: string;
let indexer: ArchiveIndexer;
let ctl: LttngController;
let reports: ReportQueue;

/** The demo workload, serving until killed (afterEach). */
function startDemo(): void {
  const child = spawn(demo, ["--rate", "2000", "--duration", "0", "--slow-every", "200", "--slow-ms", "1", "--dir", root], {
    cwd: root,
    // Register however long it takes on a loaded machine (lttng-ust gives up after 3 s by default).
    env: { ...process.env, LTTNG_UST_REGISTER_TIMEOUT: "-1" },
    stdio: "ignore",
  });
  demos.push(child);
}

function session(tag: string): string {
  const n = uniqueName(tag);
  created.push(n);
  return n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the index for a row (no timing asserted: the bound only ends a hung test). */
async function waitForRow(where: Parameters<typeof t.db.archive.findFirst>[0], boundMs = 60_000) {
  const t0 = Date.now();
  for (;;) {
    const row = await t.db.archive.findFirst(where);
    if (row) return { row, waitedMs: Date.now() - t0 };
    if (Date.now() - t0 > boundMs)
      throw new Error(
        `No archive row matching ${JSON.stringify(where?.where, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))} after ${boundMs} ms`,
      );
    await sleep(100);
  }
}

/** babeltrace2's view of a trace: event count, first and last event (epoch ns, `--clock-seconds`). */
async function oracle(dir: string): Promise<{ events: number; first: bigint; last: bigint }> {
  const lines = (await babeltrace2(["--clock-seconds", dir])).split("\n").filter((l) => l.startsWith("["));
  const ns = (line: string) => {
    const [s, frac] = /^\[(\d+)\.(\d{9})\]/.exec(line)!.slice(1) as [string, string];
    return BigInt(s) * 1_000_000_000n + BigInt(frac);
  };
  return { events: lines.length, first: ns(lines[0]!), last: ns(lines.at(-1)!) };
}

async function expectMatchesBabeltrace(path: string): Promise<void> {
  const row = await t.db.archive.findUniqueOrThrow({ where: { path } });
  const bt = await oracle(path);
  expect(row.state).toBe("complete");
  expect(bt.events).toBeGreaterThan(0);
  expect(row.events).toBe(BigInt(bt.events));
  expect(row.firstEventNs).toBe(bt.first);
  expect(row.lastEventNs).toBe(bt.last);
}

beforeAll(async () => {
  await ensureSessiond();
  demo = await ensureWorkloadBuilt();
  root = await mkdtemp(join(tmpdir(), "td-archives-"));
  const relayd = await lttngInstance().daemons.relaydStatus();
  if (!relayd.running || relayd.outputDir === null) throw new Error(`The shared relay daemon is needed: ${relayd.message}`);
  relayOut = relayd.outputDir;
  ctl = new LttngController(new LttngRunner(), { tracesDir: root, relaydOutputDir: relayOut, relayd: config().relayd });
  reports = new ReportQueue({ db: t.db });
  indexer = new ArchiveIndexer({
    db: t.db,
    roots: () => [root, ...extraRoots],
    pollMs: 250,
    settleMs: 500,
    lttng: lttngViewOf(ctl),
    onComplete: (id) => void reports.enqueue(id),
  });
  indexer.start();
});

afterEach(async () => {
  for (const d of demos.splice(0)) d.kill("SIGKILL");
  for (const s of created.splice(0)) await lttng(["destroy", s]).catch(() => undefined);
});

afterAll(async () => {
  await indexer?.stop();
  await reports?.idle();
  await closeAnalysisPool();
  await t.cleanup();
  await rm(root, { recursive: true, force: true });
  // Our sessions' directories in the shared relay output (the sessions are destroyed).
  for (const d of extraRoots) await rm(d, { recursive: true, force: true });
});

describe("archive index", () => {
  it("indexes three snapshots recorded by Tracedeck, with babeltrace2's count and span, cause manual", async () => {
    const name = session("snap3");
    await ctl.createSession({ mode: "snapshot", name });
    await ctl.enableEvent({ session: name, domain: "userspace", names: ["tracedeck_demo:*"] });
    await ctl.start(name);
    startDemo();
    const paths: string[] = [];
    for (let i = 0; i < 3; i++) {
      await sleep(700);
      const snap = await ctl.snapshotRecord({ session: name });
      indexer.noteRecorded(snap.path, "manual");
      paths.push(snap.path);
    }
    for (const p of paths) {
      const { row, waitedMs } = await waitForRow({ where: { path: p, state: "complete" } });
      console.log(`snapshot indexed ${waitedMs} ms after it was recorded: ${p}`);
      expect(row).toMatchObject({ kind: "snapshot", session: name, cause: "manual", domains: "ust", host: hostname() });
      expect(row.bytes).toBeGreaterThan(0n);
      expect(row.fileCount).toBeGreaterThan(2);
      await expectMatchesBabeltrace(p);
    }
    expect(await t.db.archive.count({ where: { session: name } })).toBe(3);
    // Each gets its report, in the queue's order.
    for (const p of paths) {
      const { row } = await waitForRow({ where: { path: p, reportState: { in: ["done", "failed"] } } });
      expect(row.reportError).toBeNull();
      expect(row.reportState).toBe("done");
      expect(await t.db.archiveReport.count({ where: { archiveId: row.id } })).toBe(1);
    }

    // A truncated copy (the stream cut inside a packet) is marked corrupt, its files left alone.
    const broken = join(root, "damaged", "snapshot-1-20261206-101010-7");
    await mkdir(join(root, "damaged"), { recursive: true });
    await cp(paths[0]!, broken, { recursive: true });
    const uid = join(broken, "ust", "uid");
    const uidDir = join(uid, (await readdir(uid))[0]!, "64-bit");
    const stream = (await readdir(uidDir)).find((f) => f !== "metadata" && f !== "index")!;
    const size = (await stat(join(uidDir, stream))).size;
    await truncate(join(uidDir, stream), Math.floor(size / 2) + 13);
    const { row: bad } = await waitForRow({ where: { path: broken, state: "corrupt" } });
    expect(bad.error).toMatch(/Cannot read the archive as CTF/);
    expect(bad.error).toContain(stream);
    expect((await stat(join(uidDir, stream))).size).toBe(Math.floor(size / 2) + 13);

    // The directory vanishes: the row stays, marked missing.
    await rm(broken, { recursive: true, force: true });
    await waitForRow({ where: { path: broken, state: "missing" } });

    // A restart (a second indexer on the same database) rescans and adds nothing twice.
    const before = await t.db.archive.findMany({ select: { id: true, path: true, state: true }, orderBy: { id: "asc" } });
    const again = new ArchiveIndexer({ db: t.db, roots: () => [root, ...extraRoots], settleMs: 0 });
    await again.scan();
    await again.scan();
    const after = await t.db.archive.findMany({ select: { id: true, path: true, state: true }, orderBy: { id: "asc" } });
    expect(after.filter((r) => before.some((b) => b.path === r.path))).toEqual(before);
    expect(new Set(after.map((r) => r.path)).size).toBe(after.length);
  });

  it("indexes a snapshot Tracedeck recorded at once, with its report from the same read, without a scan", async () => {
    // A root of its own, and an indexer that never scans: only noteRecorded can index it.
    const own = await mkdtemp(join(tmpdir(), "td-archives-recorded-"));
    try {
      const tasks: ArchiveTask[] = [];
      const done: { id: number; reported: boolean }[] = [];
      const direct = new ArchiveIndexer({
        db: t.db,
        roots: () => [own],
        inlineReports: true,
        runTask: (task) => (tasks.push(task), runArchiveTask(task)),
        onComplete: (id, _session, reported) => done.push({ id, reported }),
      });
      const name = session("recorded");
      await lttng(["create", name, "--snapshot", "-o", join(own, name)]);
      await lttng(["enable-event", "-u", "-s", name, "tracedeck_demo:*"]);
      await lttng(["start", name]);
      startDemo();
      await sleep(1000);
      const snap = await ctl.snapshotRecord({ session: name });
      expect(snap.local).toBe(true);
      direct.noteRecorded(snap.path, "manual", true);
      const { row } = await waitForRow({ where: { path: snap.path, state: "complete" } });
      // Row and report were written together: never a complete row waiting for its report.
      expect(row).toMatchObject({ kind: "snapshot", cause: "manual", reportState: "done", reportError: null });
      await expectMatchesBabeltrace(snap.path);
      const report = await t.db.archiveReport.findUniqueOrThrow({ where: { archiveId: row.id } });
      const doc = JSON.parse(report.lami) as { summary: { events: number }; sections: { analysis: string; error?: string }[] };
      expect(doc.summary.events).toBe(Number(row.events));
      // The demo's duration fields (request_end.latency_ns, io.latency_ns) each get stats/top/freq.
      expect(new Set(doc.sections.map((x) => x.analysis))).toEqual(new Set(["summary", "periodstats", "periodtop", "periodfreq"]));
      expect(doc.sections.filter((x) => x.error !== undefined)).toEqual([]);
      // One read of the archive for the index and the report.
      expect(tasks).toEqual([{ kind: "report", dir: snap.path }]);
      expect(done).toEqual([{ id: row.id, reported: true }]);
    } finally {
      await rm(own, { recursive: true, force: true });
    }
  });

  it("indexes a snapshot taken with the lttng CLI outside Tracedeck", async () => {
    const name = session("clisnap");
    const out = join(root, "cli", name);
    await lttng(["create", name, "--snapshot", "-o", out]);
    await lttng(["enable-event", "-u", "-s", name, "tracedeck_demo:*"]);
    await lttng(["start", name]);
    startDemo();
    await sleep(1000);
    await lttng(["snapshot", "record", "-s", name]);
    const { row, waitedMs } = await waitForRow({ where: { session: name, state: "complete" } });
    console.log(`lttng CLI snapshot indexed ${waitedMs} ms after \`snapshot record\` returned`);
    expect(row).toMatchObject({ kind: "snapshot", cause: "unknown" });
    expect(row.path.startsWith(out)).toBe(true);
    await expectMatchesBabeltrace(row.path);
  });

  it("indexes a snapshot an LTTng trigger records, with the trigger's name as its cause", async () => {
    const name = session("trigsnap");
    const trigger = uniqueName("trig");
    await lttng(["create", name, "--snapshot", "-o", join(root, "trig", name)]);
    try {
      await lttng(["enable-event", "-u", "-s", name, "tracedeck_demo:*"]);
      await lttng(["start", name]);
      // The demo's slow requests last >= 1 ms; one snapshot only.
      await lttng([
        "add-trigger",
        `--name=${trigger}`,
        "--condition=event-rule-matches",
        "--type=user",
        "--name=tracedeck_demo:request_end",
        "--filter=latency_ns > 500000",
        "--action=snapshot-session",
        name,
        "--rate-policy=once-after:1",
      ]);
      startDemo();
      const { row } = await waitForRow({ where: { session: name, state: "complete" } });
      expect(row).toMatchObject({ kind: "snapshot", cause: `trigger:${trigger}` });
      await expectMatchesBabeltrace(row.path);
    } finally {
      await lttng(["remove-trigger", trigger]).catch(() => undefined);
    }
  });

  it("indexes the archives of a local session rotating on a 2 s timer, never its chunk being written", async () => {
    const name = session("rot2s");
    const out = join(root, name);
    await lttng(["create", name, "-o", out]);
    await lttng(["enable-event", "-u", "-s", name, "tracedeck_demo:*"]);
    await lttng(["start", name]);
    await lttng(["enable-rotation", "-s", name, "--timer", "2s"]);
    startDemo();
    await waitForRow({ where: { session: name, state: "complete", kind: "rotation" } });
    const rows = await t.db.archive.findMany({ where: { session: name, kind: "rotation" } });
    for (const r of rows) {
      expect(r.path).toMatch(/\/archives\/\d{8}T\d{6}[+-]\d{4}-\d{8}T\d{6}[+-]\d{4}-\d+$/);
      expect(r.cause).toBe("rotation-timer");
      await expectMatchesBabeltrace(r.path);
    }
    // The server goes down mid-rotation (the indexer stops between two scans) while LTTng keeps
    // rotating, then comes back: every archive on disk is indexed, none twice.
    await indexer.stop();
    await sleep(4500);
    indexer = new ArchiveIndexer({
      db: t.db,
      roots: () => [root, ...extraRoots],
      pollMs: 250,
      settleMs: 500,
      lttng: lttngViewOf(ctl),
      onComplete: (id) => void reports.enqueue(id),
    });
    indexer.start();
    await lttng(["stop", name]);
    await lttng(["disable-rotation", "-s", name, "--timer"]);
    const onDisk = async () => (await readdir(join(out, "archives"))).filter((d) => !d.startsWith(".")).map((d) => join(out, "archives", d));
    // A timer rotation under way when the timer is disabled still lands after `disable-rotation`
    // returns: compare once the archives on disk stop changing (bounded).
    let dirs = await onDisk();
    for (let i = 0; i < 20; i++) {
      await sleep(2500);
      const again = await onDisk();
      if (again.length === dirs.length) break;
      dirs = again;
    }
    expect(dirs.length).toBeGreaterThanOrEqual(3);
    for (const d of dirs) await waitForRow({ where: { path: d, state: "complete" } });
    const all = await t.db.archive.findMany({ where: { session: name, kind: "rotation" }, select: { path: true } });
    expect(all.map((r) => r.path).sort()).toEqual((await onDisk()).sort());
    // Nothing outside archives/ (the chunk being written, `.tmp_old_chunk`) is indexed as an archive.
    expect(await t.db.archive.count({ where: { session: name, state: { not: "open" }, NOT: { path: { contains: "/archives/" } } } })).toBe(0);
    expect(await t.db.archive.count({ where: { path: { contains: ".tmp" } } })).toBe(0);
  });

  it("indexes the archives of a rotating session streamed through the relay daemon", async () => {
    const name = session("relayrot");
    await lttng(["create", name, "--set-url=net://127.0.0.1"]);
    await lttng(["enable-event", "-u", "-s", name, "tracedeck_demo:*"]);
    await lttng(["start", name]);
    await lttng(["enable-rotation", "-s", name, "--timer", "2s"]);
    startDemo();
    // The relay names the session directory `<name>-YYYYMMDD-HHMMSS` under its host directory.
    const hostDir = join(relayOut, hostname());
    let sessionDir: string | undefined;
    for (let i = 0; i < 200 && sessionDir === undefined; i++) {
      sessionDir = (await readdir(hostDir).catch(() => [] as string[])).find((d) => d.startsWith(`${name}-`));
      if (sessionDir === undefined) await sleep(100);
    }
    expect(sessionDir).toBeDefined();
    extraRoots.push(join(hostDir, sessionDir!));
    const { row } = await waitForRow({ where: { session: name, state: "complete", kind: "rotation" } });
    expect(row.path.startsWith(join(hostDir, sessionDir!, "archives"))).toBe(true);
    await expectMatchesBabeltrace(row.path);
  });
});
