/**
 * Runs archive work (summary pass, report) in server/analysis's worker pool: the same
 * threads, the same bound, a different worker file (dist/workers/archive.mjs, built from
 * archive.worker.ts by scripts/build.mjs).
 */
import { dirname, join } from "node:path";
import { analysisPool, analysisWorkerFile } from "../analysis/worker-pool";
import type { ArchiveTask, ArchiveTaskResult } from "./archive.worker";

export function archiveWorkerFile(): string {
  return process.env.TRACEDECK_ARCHIVE_WORKER ?? join(dirname(analysisWorkerFile()), "archive.mjs");
}

export function runArchiveTask(task: ArchiveTask, signal?: AbortSignal): Promise<ArchiveTaskResult> {
  return analysisPool().run(task, { filename: archiveWorkerFile(), signal: signal ?? null }) as Promise<ArchiveTaskResult>;
}
