/**
 * Piscina worker entry (bundled to dist/workers/archive.mjs). It runs in server/analysis's
 * pool (server/analysis/worker-pool.ts `analysisPool()`, selected per task by file name), so archive work and
 * interactive analyses share one bound on threads. Decoding stays off the event loop.
 */
import { toLamiJson } from "../analysis/lami/json";
import type { LamiResults } from "../analysis/lami/types";
import { buildArchiveReport } from "./report";
import { ArchiveCorruptError, summarizeArchive, type ArchiveSummary } from "./summary";

export type ArchiveTask = { kind: "summary"; dir: string } | { kind: "report"; dir: string };

export type ArchiveTaskResult =
  | { kind: "summary"; summary: ArchiveSummary }
  | { kind: "report"; lami: string; elapsedMs: number; summary: ArchiveSummary }
  | { kind: "corrupt"; message: string };

export default function runTask(task: ArchiveTask): ArchiveTaskResult {
  try {
    if (task.kind === "summary") return { kind: "summary", summary: summarizeArchive(task.dir) };
    const t0 = performance.now();
    const doc = buildArchiveReport(task.dir);
    // Report JSON is made here, in the worker: a kernel report can be megabytes of text.
    // The summary rides along: the indexer that asked for the report writes the row from it (one pass for both).
    return { kind: "report", lami: toLamiJson(doc as unknown as LamiResults), elapsedMs: Math.round(performance.now() - t0), summary: doc.summary };
  } catch (e) {
    if (e instanceof ArchiveCorruptError) return { kind: "corrupt", message: e.message };
    throw e;
  }
}
