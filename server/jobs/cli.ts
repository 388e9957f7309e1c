/**
 * `tracedeck worker [--concurrency N]`: a report worker of the PostgreSQL job queue, until
 * SIGTERM or SIGINT (then it finishes the jobs in hand and exits 0).
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { z } from "zod";
import { config } from "../config";
import { moduleLogger } from "../log";
import { maintenanceIntervalFor } from "./queue";
import { startWorker, WorkerConfigError } from "./worker";

const log = moduleLogger("worker");

export const WORKER_USAGE = `usage: tracedeck worker [--concurrency N]
  Builds archive reports queued in the PostgreSQL database of DATABASE_URL, N at a time
  (default: one per core, at most 32), until SIGTERM or SIGINT: then it finishes the reports in
  hand (up to 60 s; any still running go back to the queue for another worker) and exits 0.
  Run it on any machine that reaches the database and sees the archives at the server's paths
  (TRACEDECK_DATA_DIR, TRACEDECK_TRACE_ROOTS as on the server). Logs are JSON lines on stderr.
`;

const ZConcurrency = z.coerce.number({ error: "--concurrency must be a number" }).int("--concurrency must be a whole number").min(1).max(32);

/**
 * The worker threads' files are found beside this bundle (dist/workers/), so that a worker
 * runs from any directory; TRACEDECK_ANALYSIS_WORKER still wins.
 */
function useWorkerFilesBesideBundle(): void {
  if (process.env.TRACEDECK_ANALYSIS_WORKER !== undefined) return;
  const beside = fileURLToPath(new URL("./workers/analysis.mjs", import.meta.url));
  if (existsSync(beside)) process.env.TRACEDECK_ANALYSIS_WORKER = beside;
}

export interface WorkerCliIo {
  out(s: string): void;
  err(s: string): void;
}

const defaultIo: WorkerCliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export async function workerCli(argv: string[], io: WorkerCliIo = defaultIo): Promise<number> {
  let values: { concurrency?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, strict: true, options: { concurrency: { type: "string", short: "c" }, help: { type: "boolean", short: "h" } } }));
  } catch (e) {
    io.err(`tracedeck worker: ${e instanceof Error ? e.message : String(e)}\n${WORKER_USAGE}`);
    return 2;
  }
  if (values.help === true) {
    io.out(WORKER_USAGE);
    return 0;
  }
  const concurrency = ZConcurrency.safeParse(values.concurrency ?? Math.min(32, availableParallelism()));
  if (!concurrency.success) {
    io.err(`tracedeck worker: ${concurrency.error.issues.map((i) => i.message).join("; ")}\n${WORKER_USAGE}`);
    return 2;
  }
  const cfg = config();
  useWorkerFilesBesideBundle();
  let worker;
  try {
    worker = await startWorker({
      databaseUrl: cfg.databaseUrl,
      concurrency: concurrency.data,
      roots: () => config().archiveRoots,
      traceRoots: () => config().traceRoots,
      maintenanceIntervalS: maintenanceIntervalFor(cfg.jobTimeoutS),
    });
  } catch (e) {
    if (e instanceof WorkerConfigError) {
      io.err(`tracedeck worker: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const stopped = new Promise<void>((done) => {
    const stop = (signal: NodeJS.Signals) => {
      log.info({ signal }, "signal received");
      void worker.stop().then(done, (err: unknown) => {
        log.error({ err: err instanceof Error ? err.message : String(err) }, "worker stop failed");
        done();
      });
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
  await stopped;
  return 0;
}
