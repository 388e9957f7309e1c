/**
 * Piscina worker entry (bundled to dist/workers/analysis.mjs): runs one analysis job
 * and reports progress on the MessagePort the runner passes along.
 */
import type { MessagePort } from "node:worker_threads";
import { executeAnalysis, type AnalysisJob, type AnalysisResult } from "./job";
import { lowerThreadPriority } from "../worker-priority";

// Batch work: the event loop (status bar, API) must win the CPU while it runs.
lowerThreadPriority();

export interface AnalysisTask {
  job: AnalysisJob;
  port?: MessagePort;
}

export default function runTask(task: AnalysisTask): AnalysisResult {
  const port = task.port;
  try {
    return executeAnalysis(task.job, {
      onProgress: port === undefined ? undefined : (p) => port.postMessage(p),
    });
  } finally {
    port?.close();
  }
}
