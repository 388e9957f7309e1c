/**
 * Archive reports as jobs of the PostgreSQL queue (server/jobs): the web server's side
 * (`PgReportQueue`: the row says "queued", a job is sent) and the worker's side
 * (`runReportJob`: the row read again, its path checked against this machine's trace roots,
 * the report built and stored exactly as the in-process queue does). The archive rows stay
 * the one record of a report's state, so the Archives page reads the same columns whichever
 * machine builds it.
 */
import type PgBoss from "pg-boss";
import type { Db } from "../db";
import { moduleLogger } from "../log";
import { maintenanceIntervalFor, openJobQueue, REPORT_JOB, ReportJobData, RETRY_DELAY_S, RETRY_LIMIT } from "../jobs/queue";
import type { ArchiveTask, ArchiveTaskResult } from "./archive.worker";
import { runArchiveTask } from "./pool";
import type { ReportScheduler } from "./report-scheduler";
import { ReportQueue } from "./reports";
import { applyRetention } from "./retention";
import { archiveDir } from "./store";

const log = moduleLogger("archives");

/** True while the archive's report waits for or is being built by any worker (the row is the record). */
export async function reportBusyInDb(db: Db, id: number): Promise<boolean> {
  const row = await db.archive.findUnique({ where: { id }, select: { reportState: true } });
  return row?.reportState === "queued" || row?.reportState === "running";
}

export interface PgReportQueueOptions {
  db: Db;
  url: string;
  /** Seconds after which a running job is taken as lost and given to another worker. */
  timeoutS: number;
}

/** The web server's report scheduler when the database is PostgreSQL. */
export class PgReportQueue implements ReportScheduler {
  private boss: Promise<PgBoss> | undefined;

  constructor(private readonly opts: PgReportQueueOptions) {}

  /** Connected on first use: a server without archives never touches pg-boss's schema. */
  private queue(): Promise<PgBoss> {
    this.boss ??= openJobQueue(this.opts.url, { maintenanceIntervalS: maintenanceIntervalFor(this.opts.timeoutS) }).catch((err: unknown) => {
      this.boss = undefined;
      throw err;
    });
    return this.boss;
  }

  /**
   * Archives left queued or running by the last run, and complete ones never reported. A job
   * still waiting or running in the queue is not sent twice (one per archive and state).
   */
  async resume(): Promise<void> {
    const rows = await this.opts.db.archive.findMany({
      where: { state: "complete", reportState: { in: ["none", "queued", "running"] } },
      select: { id: true },
      orderBy: { createdAt: "asc" },
    });
    for (const r of rows) await this.enqueue(r.id);
  }

  async enqueue(id: number): Promise<void> {
    // The row first: a worker may take the job at once, and its "running" must not be
    // overwritten by this "queued".
    const row = await this.opts.db.archive.update({ where: { id }, data: { reportState: "queued", reportError: null }, select: { path: true } });
    const data: ReportJobData = { archiveId: id, path: row.path };
    await (
      await this.queue()
    ).send(REPORT_JOB, data, {
      singletonKey: String(id),
      // Newest first, as in-process: the snapshot just taken before a start-up backlog.
      priority: id,
      retryLimit: RETRY_LIMIT,
      retryDelay: RETRY_DELAY_S,
      expireInSeconds: this.opts.timeoutS,
    });
  }

  isBusy(id: number): Promise<boolean> {
    return reportBusyInDb(this.opts.db, id);
  }

  async close(): Promise<void> {
    const b = this.boss;
    this.boss = undefined;
    if (b) await (await b).stop({ graceful: false, close: true, wait: true });
  }
}

export interface ReportJobDeps {
  db: Db;
  /** This machine's trace roots: a job's path is opened only under one of them. */
  roots: () => readonly string[];
  runTask?: (task: ArchiveTask) => Promise<ArchiveTaskResult>;
}

export type ReportJobOutcome = "done" | "failed" | "skipped";

/**
 * Builds one job's report on this machine. Whatever the report's fate (stored, corrupt
 * archive, path refused) it is written to the row and the job is complete; only a worker
 * that dies leaves the job to pg-boss's expiry and retry.
 */
export async function runReportJob(input: unknown, deps: ReportJobDeps): Promise<ReportJobOutcome> {
  const data = ReportJobData.parse(input);
  const { db } = deps;
  const row = await db.archive.findUnique({ where: { id: data.archiveId }, select: { path: true, session: true } });
  if (!row) return "skipped";
  if (row.path !== data.path) {
    await db.archive.update({
      where: { id: data.archiveId },
      data: { reportState: "failed", reportError: `The report job named ${data.path.slice(0, 300)}, but archive ${data.archiveId} is ${row.path}.` },
    });
    return "failed";
  }
  const run = deps.runTask ?? ((t: ArchiveTask) => runArchiveTask(t));
  const queue = new ReportQueue({
    db,
    // The path comes from the database: resolved and checked here, links included, as the
    // web server checks a user's path.
    runTask: async (task) => run({ ...task, dir: await archiveDir({ id: data.archiveId, path: task.dir }, deps.roots()) }),
  });
  await queue.build(data.archiveId);
  const after = await db.archive.findUnique({ where: { id: data.archiveId }, select: { reportState: true } });
  if (after?.reportState === "done") {
    // Retention after each stored report, as the server does in-process (an archive being
    // reported anywhere is left alone: the rows say so).
    await applyRetention(db, row.session, { isBusy: (id) => reportBusyInDb(db, id), roots: deps.roots() }).catch((err: unknown) =>
      log.warn({ session: row.session, err: err instanceof Error ? err.message : String(err) }, "retention failed"),
    );
    return "done";
  }
  return after?.reportState === "failed" ? "failed" : "skipped";
}
