/**
 * Piscina worker entry (bundled to dist/workers/analysis.mjs): runs one analysis job
 * and reports progress on the MessagePort the runner passes along.
 */
import type { MessagePort } from "node:worker_threads";
import { AnalysisError, type AnalysisErrorCode } from "./errors";
import { executeAnalysis, type AnalysisJob, type AnalysisResult } from "./job";
import { lowerThreadPriority } from "../worker-priority";

// Batch work: the event loop (status bar, API) must win the CPU while it runs.
lowerThreadPriority();

export interface AnalysisTask {
  job: AnalysisJob;
  port?: MessagePort;
}

/**
 * The result, or the job's AnalysisError as data: an error crossing the thread keeps only
 * its message, and its code says how the server answers (worker-pool.ts throws it again).
 * Any other error is thrown as it is.
 */
export type AnalysisTaskOutcome = { ok: true; result: AnalysisResult } | { ok: false; code: AnalysisErrorCode; message: string };

export default function runTask(task: AnalysisTask): AnalysisTaskOutcome {
  const port = task.port;
  try {
    const result = executeAnalysis(task.job, {
      onProgress: port === undefined ? undefined : (p) => port.postMessage(p),
    });
    return { ok: true, result };
  } catch (e) {
    if (e instanceof AnalysisError) return { ok: false, code: e.code, message: e.message };
    throw e;
  } finally {
    port?.close();
  }
}
