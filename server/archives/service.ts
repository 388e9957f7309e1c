/**
 * The archive service of the running server: the indexer (rescan at start-up, then a scan
 * every second), the report queue, and retention after each new archive and each report.
 * Next may load this module more than once (instrumentation and route bundles), so the
 * instance lives on globalThis.
 */
import { config } from "../config";
import { db } from "../db";
import { lttng } from "../lttng/instance";
import { moduleLogger } from "../log";
import { ArchiveIndexer } from "./indexer";
import { lttngViewOf } from "./lttng-view";
import { jobBackendFor } from "../jobs/backend";
import { createReportScheduler, type ReportScheduler } from "./report-scheduler";
import { applyRetention } from "./retention";

const log = moduleLogger("archives");

export interface ArchiveService {
  indexer: ArchiveIndexer;
  /** In-process with SQLite, the PostgreSQL job queue otherwise (report-scheduler.ts). */
  reports: ReportScheduler;
  /** Applies `session`'s retention policy now (also after each new archive and report). */
  retain(session: string): Promise<number[]>;
}

const g = globalThis as unknown as { tracedeckArchives?: ArchiveService };

/** The process's archive service (created, not started, on first use). */
export function archiveService(): ArchiveService {
  if (!g.tracedeckArchives) {
    const retain = (session: string) => applyRetention(db(), session, { isBusy: (id) => reports.isBusy(id) });
    const retainQuietly = (session: string) =>
      void retain(session).catch((err: unknown) => log.warn({ session, err: err instanceof Error ? err.message : String(err) }, "retention failed"));
    const reports: ReportScheduler = createReportScheduler({
      db: db(),
      databaseUrl: config().databaseUrl,
      jobTimeoutS: config().jobTimeoutS,
      onDone: (id) =>
        void db()
          .archive.findUnique({ where: { id }, select: { session: true } })
          .then((r) => r && retainQuietly(r.session)),
    });
    const indexer = new ArchiveIndexer({
      db: db(),
      roots: () => config().archiveRoots,
      lttng: lttngViewOf(lttng().controller),
      // With PostgreSQL the reports are the workers' jobs: the web server builds none itself.
      inlineReports: jobBackendFor(config().databaseUrl) === "in-process",
      onComplete: (id, session, reported) => {
        if (reported) return retainQuietly(session);
        void reports
          .enqueue(id)
          .catch((err: unknown) => log.warn({ id, err: String(err) }, "cannot queue report"))
          .finally(() => retainQuietly(session));
      },
    });
    g.tracedeckArchives = { indexer, reports, retain };
  }
  return g.tracedeckArchives;
}

/** Start-up: reports left queued by the last run, then the rescan and the watch. */
export async function startArchiveService(): Promise<void> {
  const s = archiveService();
  await s.reports.resume();
  s.indexer.start();
}
