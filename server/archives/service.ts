/**
 * The archive service of the running server: the indexer (rescan at start-up, then a scan
 * every second) and the report queue, one per process. Next may load this module more than
 * once (instrumentation and route bundles), so the instance lives on globalThis.
 */
import { config } from "../config";
import { db } from "../db";
import { lttng } from "../lttng/instance";
import { moduleLogger } from "../log";
import { ArchiveIndexer } from "./indexer";
import { lttngViewOf } from "./lttng-view";
import { ReportQueue } from "./reports";

const log = moduleLogger("archives");

export interface ArchiveService {
  indexer: ArchiveIndexer;
  reports: ReportQueue;
}

const g = globalThis as unknown as { tracedeckArchives?: ArchiveService };

/** The process's archive service (created, not started, on first use). */
export function archiveService(): ArchiveService {
  if (!g.tracedeckArchives) {
    const reports = new ReportQueue({ db: db() });
    const indexer = new ArchiveIndexer({
      db: db(),
      roots: () => config().traceRoots,
      lttng: lttngViewOf(lttng().controller),
      onComplete: (id) => void reports.enqueue(id).catch((err: unknown) => log.warn({ id, err: String(err) }, "cannot queue report")),
    });
    g.tracedeckArchives = { indexer, reports };
  }
  return g.tracedeckArchives;
}

/** Start-up: reports left queued by the last run, then the rescan and the watch. */
export async function startArchiveService(): Promise<void> {
  const s = archiveService();
  await s.reports.resume();
  s.indexer.start();
}
