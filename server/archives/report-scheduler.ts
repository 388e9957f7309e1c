/**
 * Where reports are scheduled: the one boundary between "an archive is complete" (the
 * indexer, the Archives page's rebuild) and whatever builds its report. Callers see the same
 * interface for both backends (server/jobs/backend.ts): SQLite keeps the in-process queue on
 * the server's worker threads; PostgreSQL sends jobs that `tracedeck worker` processes take.
 */
import type { Db } from "../db";
import { jobBackendFor } from "../jobs/backend";
import { PgReportQueue } from "./report-jobs";
import { ReportQueue } from "./reports";

export interface ReportScheduler {
  /** Archives whose report was queued or running when the server stopped, and complete ones never reported. */
  resume(): Promise<void>;
  enqueue(id: number): Promise<void>;
  /** True while the archive's report is queued or being built (retention and delete must leave it). */
  isBusy(id: number): boolean | Promise<boolean>;
}

export interface ReportSchedulerOptions {
  db: Db;
  databaseUrl: string;
  /** PostgreSQL: seconds after which a running job is taken as lost (config `TRACEDECK_JOB_TIMEOUT_S`). */
  jobTimeoutS: number;
  /** In-process only: after each report stored. With PostgreSQL the worker applies retention itself. */
  onDone?: (id: number) => void;
}

export function createReportScheduler(opts: ReportSchedulerOptions): ReportScheduler {
  switch (jobBackendFor(opts.databaseUrl)) {
    case "in-process":
      return new ReportQueue({ db: opts.db, onDone: opts.onDone });
    case "postgres":
      return new PgReportQueue({ db: opts.db, url: opts.databaseUrl, timeoutS: opts.jobTimeoutS });
  }
}
