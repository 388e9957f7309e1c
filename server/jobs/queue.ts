/**
 * The PostgreSQL job queue: pg-boss, in its own schema of the application's database. The web
 * server sends jobs; `tracedeck worker` processes on any machine take them. pg-boss owns
 * locking (FOR UPDATE SKIP LOCKED), retries and the expiry of jobs whose worker vanished; this
 * module only names the queues, their payloads and their policies.
 */
import PgBoss from "pg-boss";
import { z } from "zod";
import { moduleLogger } from "../log";

const log = moduleLogger("jobs");

/** pg-boss's tables live here, apart from Prisma's migrations. */
export const JOB_SCHEMA = "tracedeck_jobs";

/** One archive's report (server/archives/report-jobs.ts). */
export const REPORT_JOB = "archive-report";

/** One run of the Analyze page (server/analysis/analysis-jobs.ts). */
export const ANALYSIS_JOB = "analysis";

/**
 * A report job carries the archive's id and the path the server indexed; the worker reads the
 * row again and checks the path against its own trace roots before opening anything.
 */
export const ReportJobData = z
  .object({
    archiveId: z.number().int().positive().max(2_147_483_647),
    path: z.string().min(1).max(4096),
  })
  .strict();
export type ReportJobData = z.infer<typeof ReportJobData>;

/** Tries of one job after the first: a worker killed mid-job costs one. */
export const RETRY_LIMIT = 2;
/** Seconds before a failed or expired job is tried again. */
export const RETRY_DELAY_S = 2;

/**
 * How often a process checks for expired jobs, from the job timeout: a job whose worker died
 * goes back to the queue within about 1.1 × the timeout.
 */
export function maintenanceIntervalFor(jobTimeoutS: number): number {
  return Math.min(60, Math.max(1, Math.round(jobTimeoutS / 10)));
}

export interface JobQueueOptions {
  /**
   * Seconds between pg-boss's maintenance passes in this process, which return expired jobs
   * (their worker died) to the queue. The pass is taken by one process at a time.
   */
  maintenanceIntervalS?: number;
  /** Connections this process opens to the database for the queue. */
  maxConnections?: number;
}

/** Connects, creates or upgrades pg-boss's schema (under an advisory lock), and declares the queues. */
export async function openJobQueue(url: string, opts: JobQueueOptions = {}): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    schema: JOB_SCHEMA,
    max: opts.maxConnections ?? 4,
    maintenanceIntervalSeconds: opts.maintenanceIntervalS ?? 30,
  });
  boss.on("error", (err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, "job queue error"));
  await boss.start();
  try {
    // "stately": at most one job per archive waiting and one running. A report asked for again
    // while one is being built runs once more afterwards; asked twice while waiting, once.
    await declareQueue(boss, { name: REPORT_JOB, policy: "stately", retryLimit: RETRY_LIMIT, retryDelay: RETRY_DELAY_S });
    // Analyses: one job per run a browser waits for; first come, first served.
    await declareQueue(boss, { name: ANALYSIS_JOB, policy: "standard", retryLimit: 1, retryDelay: 1 });
  } catch (e) {
    await boss.stop({ graceful: false, close: true, wait: true }).catch(() => undefined);
    throw e;
  }
  return boss;
}

/**
 * Creates the queue unless it exists. Two processes creating one at the same moment (the
 * server and workers starting together) can deadlock in PostgreSQL on pg-boss's partition
 * table: the loser is told so (40P01) or finds the name taken (23505), and tries again.
 */
async function declareQueue(boss: PgBoss, queue: PgBoss.Queue): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if ((await boss.getQueue(queue.name)) === null) await boss.createQueue(queue.name, queue);
      return;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (attempt >= 5 || (code !== "40P01" && code !== "23505")) throw e;
      await new Promise((r) => setTimeout(r, 100 * attempt + Math.random() * 100));
    }
  }
}
