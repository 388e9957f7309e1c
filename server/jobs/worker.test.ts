/**
 * The PostgreSQL job queue end to end, on a real PostgreSQL server of its own (initdb in a
 * temp directory, a loopback port): the web server's scheduler (PgReportQueue) sends report
 * jobs, two `tracedeck worker` processes (the bundled CLI) share them and store each report
 * once; a graceful stop on SIGTERM; a worker killed mid-job has its job retried by another;
 * a job whose path is outside the worker's trace roots is refused, nothing opened.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain ESM script without type declarations
import { migratePostgres } from "../../scripts/migrate.mjs";
import { AnalysisJobClient } from "../analysis/analysis-jobs";
import { AnalysisError } from "../analysis/errors";
import type { AnalysisJobProgress } from "../analysis/job";
import { parseLamiJson } from "../analysis/lami/json";
import { closeAnalysisPool, runAnalysisView } from "../analysis/worker-pool";
import type { ArchiveReportDoc } from "../archives/report";
import { PgReportQueue } from "../archives/report-jobs";
import { openDb, type Db } from "../db";
import { requirePostgres, startPostgres, type PgServer } from "../testing/postgres";
import { TRACES } from "../testing/shared";
import { JOB_SCHEMA, REPORT_JOB } from "./queue";

/**
 * A running job older than this is taken as lost: longer than any report here takes, even on
 * a machine with a load average of 27 on 2 cores (where 30 s was not).
 */
const JOB_TIMEOUT_S = 60;
const JOBS = 20;

let pgs: PgServer;
let db: Db;
let queue: PgReportQueue;
let dir: string;
let root: string;
const workers: Worker[] = [];

interface LogLine {
  msg: string;
  level: number;
  data?: { archiveId: number; path: string };
  outcome?: string;
}

class Worker {
  readonly child: ChildProcess;
  readonly lines: LogLine[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private buf = "";
  private waiters: (() => void)[] = [];

  constructor(readonly name: string) {
    // From a directory of its own, as on another machine: nothing found through the checkout's cwd.
    this.child = spawn(process.execPath, [join(process.cwd(), "dist/tracedeck.mjs"), "worker", "--concurrency", "1"], {
      cwd: dir,
      env: {
        ...process.env,
        DATABASE_URL: pgs.url,
        TRACEDECK_DATA_DIR: join(dir, "data"),
        TRACEDECK_TRACE_ROOTS: root,
        TRACEDECK_LOG_LEVEL: "info",
        TRACEDECK_JOB_TIMEOUT_S: String(JOB_TIMEOUT_S),
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    this.child.stderr!.setEncoding("utf8").on("data", (d: string) => {
      this.buf += d;
      let nl;
      while ((nl = this.buf.indexOf("\n")) >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        try {
          this.lines.push(JSON.parse(line) as LogLine);
        } catch {
          this.lines.push({ msg: line, level: 60 });
        }
      }
      this.waiters.splice(0).forEach((w) => w());
    });
    this.exited = new Promise((done) => this.child.once("exit", (code, signal) => done({ code, signal })));
    workers.push(this);
  }

  /** Resolves when a log line matches (bounded). */
  async waitFor(what: (l: LogLine) => boolean, timeoutMs: number): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.lines.find(what);
      if (hit) return hit;
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`${this.name} exited:\n${this.log()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.name}: no such log line within ${timeoutMs} ms:\n${this.log()}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Archive ids of the jobs this worker started / finished with an outcome. */
  started(): number[] {
    return this.lines.filter((l) => l.msg === "report job started").map((l) => l.data!.archiveId);
  }
  finished(): { id: number; outcome: string }[] {
    return this.lines.filter((l) => l.msg === "report job finished").map((l) => ({ id: l.data!.archiveId, outcome: l.outcome! }));
  }
  log(): string {
    return this.lines.map((l) => JSON.stringify(l)).join("\n");
  }
}

async function addArchive(path: string, session: string): Promise<number> {
  const r = await db.archive.create({ data: { path, root, session, kind: "snapshot", state: "complete", createdAt: new Date() }, select: { id: true } });
  return r.id;
}

/** Polls the rows until `done` holds (bounded). */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}\n${workers.map((w) => `--- ${w.name}\n${w.log()}`).join("\n")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface JobRow {
  state: string;
  retry_count: number;
  singleton_key: string;
}

const jobsOf = (ids: number[]) =>
  pgs.query<JobRow>(`SELECT state, retry_count, singleton_key FROM ${JOB_SCHEMA}.job WHERE name = $1 AND singleton_key = ANY($2::text[]) ORDER BY created_on`, [
    REPORT_JOB,
    ids.map(String),
  ]);

beforeAll(async () => {
  pgs = await startPostgres(requirePostgres());
  await (migratePostgres as (u: string) => Promise<string[]>)(pgs.url);
  db = openDb(pgs.url);
  queue = new PgReportQueue({ db, url: pgs.url, timeoutS: JOB_TIMEOUT_S });
  dir = mkdtempSync(join(tmpdir(), "td-jobs-"));
  root = join(dir, "store");
  mkdirSync(join(dir, "data"), { recursive: true });
  mkdirSync(root, { recursive: true });
}, 120_000);

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.exited));
  await queue?.close();
  await db?.$disconnect();
  await pgs?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("report jobs on a real PostgreSQL", () => {
  let a: Worker;
  let b: Worker;

  it(`two tracedeck worker processes share ${JOBS} report jobs, each built and stored once`, async () => {
    a = new Worker("worker A");
    b = new Worker("worker B");
    await Promise.all([a.waitFor((l) => l.msg === "worker ready", 60_000), b.waitFor((l) => l.msg === "worker ready", 60_000)]);

    const ids: number[] = [];
    for (let i = 0; i < JOBS; i++) {
      const path = join(root, `snapshot-${i}`);
      cpSync(join(TRACES, "bt-multi-domains-kernel"), path, { recursive: true });
      ids.push(await addArchive(path, "multi"));
    }
    for (const id of ids) await queue.enqueue(id);

    const rows = await until(
      () => db.archive.findMany({ where: { id: { in: ids } }, select: { id: true, reportState: true, reportError: true, report: { select: { lami: true } } } }),
      (rs) => rs.every((r) => r.reportState === "done" || r.reportState === "failed"),
      240_000,
      "every report",
    );
    for (const r of rows) {
      expect(r, `archive ${r.id}`).toMatchObject({ reportState: "done", reportError: null });
      const doc = parseLamiJson(r.report!.lami) as ArchiveReportDoc;
      expect(doc.sections.map((s) => s.analysis)).toContain("summary");
    }
    // The reports are those of one trace: the same tables whichever worker built them.
    const first = parseLamiJson(rows[0]!.report!.lami) as ArchiveReportDoc;
    for (const r of rows) expect((parseLamiJson(r.report!.lami) as ArchiveReportDoc).results).toEqual(first.results);

    // Each job ran once, on one worker, and both workers took some.
    const started = [...a.started(), ...b.started()].sort((x, y) => x - y);
    expect(started).toEqual([...ids].sort((x, y) => x - y));
    expect(a.started().length).toBeGreaterThan(0);
    expect(b.started().length).toBeGreaterThan(0);
    expect([...a.finished(), ...b.finished()].every((f) => f.outcome === "done")).toBe(true);
    // pg-boss's own record agrees: every job completed at the first try.
    const jobs = await jobsOf(ids);
    expect(jobs.map((j) => j.singleton_key).sort()).toEqual(ids.map(String).sort());
    expect(jobs.every((j) => j.state === "completed" && j.retry_count === 0)).toBe(true);
  }, 300_000);

  it("a worker stops gracefully on SIGTERM (exit 0); one killed mid-job has its job retried by another", async () => {
    b.child.kill("SIGTERM");
    expect(await b.exited).toEqual({ code: 0, signal: null });
    expect(b.lines.some((l) => l.msg === "worker stopped")).toBe(true);

    // A kernel trace big enough that its report takes seconds: a window to kill in.
    const path = join(root, "big-snapshot");
    cpSync(join(TRACES, "tc-many-threads"), path, { recursive: true });
    const id = await addArchive(path, "big");
    await queue.enqueue(id);
    await until(
      () => db.archive.findUniqueOrThrow({ where: { id }, select: { reportState: true } }),
      (r) => r.reportState === "running",
      60_000,
      "worker A to start the report",
    );
    a.child.kill("SIGKILL");
    await a.exited;
    expect(a.started()).toContain(id);
    expect(a.finished().map((f) => f.id)).not.toContain(id);
    expect((await db.archive.findUniqueOrThrow({ where: { id } })).reportState).toBe("running");

    const c = new Worker("worker C");
    await c.waitFor((l) => l.msg === "report job finished" && l.data?.archiveId === id, (JOB_TIMEOUT_S + 120) * 1000);
    const row = await db.archive.findUniqueOrThrow({ where: { id }, include: { report: true } });
    expect({ state: row.reportState, error: row.reportError }).toEqual({ state: "done", error: null });
    expect(c.finished().find((f) => f.id === id)?.outcome).toBe("done");
    const doc = parseLamiJson(row.report!.lami) as ArchiveReportDoc;
    expect(doc.sections.map((s) => s.analysis)).toEqual(expect.arrayContaining(["summary", "syscallstats", "cputop"]));
    const [job] = await jobsOf([id]);
    expect(job).toMatchObject({ state: "completed" });
    expect(job!.retry_count).toBeGreaterThanOrEqual(1);

    // The worker trusts no path from the database: outside its trace roots, nothing is opened.
    const outside = await addArchive(join(TRACES, "bt-multi-domains-kernel"), "outside");
    await queue.enqueue(outside);
    const refused = await until(
      () => db.archive.findUniqueOrThrow({ where: { id: outside }, select: { reportState: true, reportError: true } }),
      (r) => r.reportState === "failed" || r.reportState === "done",
      60_000,
      "the outside archive's job",
    );
    expect(refused.reportState).toBe("failed");
    expect(refused.reportError).toMatch(/outside the trace directories/);
    c.child.kill("SIGTERM");
    expect(await c.exited).toEqual({ code: 0, signal: null });
  }, 300_000);

  it("an analysis runs as a job on a worker: the same view as in-process, progress, the same errors, cancel", async () => {
    const d = new Worker("worker D");
    await d.waitFor((l) => l.msg === "worker ready", 60_000);
    const client = new AnalysisJobClient({ url: pgs.url, timeLimitS: 120 });
    try {
      const trace = join(root, "big-snapshot");
      const request = { analysis: "cputop" as const, options: {}, paths: [trace], trace, maxRows: 200_000 };
      const progress: AnalysisJobProgress[] = [];
      const viaJob = await client.run(request, { onProgress: (p) => progress.push(p) });
      const here = await runAnalysisView(request);
      expect(viaJob.rows).toBe(here.rows);
      // Everything but the time each run took.
      const view = (json: string | null) => ({ ...(JSON.parse(json!) as Record<string, unknown>), elapsedMs: 0 });
      expect(view(viaJob.json)).toEqual(view(here.json));
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)).toMatchObject({ fraction: 1 });
      expect(d.lines.some((l) => l.msg === "analysis job finished")).toBe(true);

      // An analysis error crosses as the same AnalysisError (code and sentence), not retried.
      const bad = { ...request, options: { begin: "not a date" } };
      const inProcess = await runAnalysisView(bad).catch((e: unknown) => e);
      expect(inProcess).toBeInstanceOf(AnalysisError);
      await expect(client.run(bad)).rejects.toMatchObject({ code: (inProcess as AnalysisError).code, message: (inProcess as AnalysisError).message });

      // The browser leaves: the job is cancelled and the caller gets an AbortError.
      const ac = new AbortController();
      const run = client.run({ ...request, analysis: "schedtop" }, { signal: ac.signal, onProgress: () => ac.abort() });
      await expect(run).rejects.toMatchObject({ name: "AbortError" });
      const cancelled = await pgs.query<{ state: string }>(`SELECT state FROM ${JOB_SCHEMA}.job WHERE name = 'analysis' AND data->>'analysis' = 'schedtop'`);
      expect(cancelled.map((r) => r.state)).toEqual(["cancelled"]);
    } finally {
      await client.close();
      await closeAnalysisPool();
      d.child.kill("SIGTERM");
      await d.exited;
    }
  }, 300_000);
});
