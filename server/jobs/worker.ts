/**
 * `tracedeck worker`: takes report and analysis jobs from the PostgreSQL queue and runs them
 * on this machine, N of each at a time, in N worker threads (the same worker files the web
 * server uses).
 * It needs the database and the archive storage at the same paths as the server (a shared
 * mount); every path is checked against this machine's trace roots before it is opened.
 */
import type PgBoss from "pg-boss";
import { runAnalysisJobHere } from "../analysis/analysis-jobs";
import { closeAnalysisPool, setAnalysisPoolThreads } from "../analysis/worker-pool";
import { runReportJob } from "../archives/report-jobs";
import { openDb } from "../db";
import { moduleLogger } from "../log";
import { jobBackendFor } from "./backend";
import { ANALYSIS_JOB, openJobQueue, REPORT_JOB } from "./queue";

const log = moduleLogger("worker");

/** Longest wait for the jobs in hand at a graceful stop; those still running then go back to the queue. */
export const STOP_GRACE_MS = 60_000;

export interface WorkerOptions {
  databaseUrl: string;
  /** Jobs built at once (and worker threads). */
  concurrency: number;
  /** Where archives may be opened (report jobs): the server's archive roots. */
  roots: () => readonly string[];
  /** Where traces may be opened (analysis jobs): the server's trace roots, the shipped sample included. */
  traceRoots: () => readonly string[];
  /** pg-boss's maintenance pass (returns a dead worker's expired jobs to the queue). */
  maintenanceIntervalS?: number;
  /** Seconds between polls of an idle queue. */
  pollIntervalS?: number;
}

export interface RunningWorker {
  /** Stops taking jobs, waits for those in hand (up to STOP_GRACE_MS), then disconnects. */
  stop(): Promise<void>;
}

export class WorkerConfigError extends Error {
  override name = "WorkerConfigError";
}

export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  if (jobBackendFor(opts.databaseUrl) !== "postgres") {
    throw new WorkerConfigError(
      "tracedeck worker needs DATABASE_URL=postgres://…: with SQLite the web server builds reports itself, in its own worker threads.",
    );
  }
  setAnalysisPoolThreads(opts.concurrency);
  const db = openDb(opts.databaseUrl);
  let boss: PgBoss;
  try {
    boss = await openJobQueue(opts.databaseUrl, { maintenanceIntervalS: opts.maintenanceIntervalS, maxConnections: opts.concurrency + 2 });
  } catch (e) {
    await db.$disconnect();
    throw e;
  }
  // One pg-boss worker per slot, each taking one job at a time: a long report holds one slot,
  // not a batch of others behind it.
  for (let slot = 0; slot < opts.concurrency; slot++) {
    await boss.work(REPORT_JOB, { batchSize: 1, pollingIntervalSeconds: opts.pollIntervalS ?? 2 }, async ([job]) => {
      if (job === undefined) return;
      const t0 = performance.now();
      log.info({ job: job.id, data: job.data }, "report job started");
      const outcome = await runReportJob(job.data, { db, roots: opts.roots });
      log.info({ job: job.id, data: job.data, outcome, ms: Math.round(performance.now() - t0) }, "report job finished");
    });
  }
  // Analyses: someone is waiting for them, so polled more often than reports.
  for (let slot = 0; slot < opts.concurrency; slot++) {
    await boss.work(ANALYSIS_JOB, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
      if (job === undefined) return null;
      const t0 = performance.now();
      const data = job.data as { analysis?: unknown; trace?: unknown };
      log.info({ job: job.id, analysis: data.analysis, trace: data.trace }, "analysis job started");
      const out = await runAnalysisJobHere(boss, job, opts.traceRoots());
      log.info({ job: job.id, ok: out.ok, ms: Math.round(performance.now() - t0) }, "analysis job finished");
      return out;
    });
  }
  log.info({ pid: process.pid, concurrency: opts.concurrency, queues: [REPORT_JOB, ANALYSIS_JOB] }, "worker ready");

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        log.info({ pid: process.pid }, "worker stopping: finishing the jobs in hand");
        // Jobs still running after the grace period are failed, so another worker retries them.
        await boss.stop({ graceful: true, timeout: STOP_GRACE_MS, close: true, wait: true });
        await closeAnalysisPool();
        await db.$disconnect();
        log.info({ pid: process.pid }, "worker stopped");
      })();
      return stopping;
    },
  };
}
