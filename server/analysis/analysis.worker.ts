/**
 * Piscina worker entry (bundled to dist/workers/analysis.mjs): runs one analysis job
 * and reports progress on the MessagePort the runner passes along.
 */
import type { MessagePort } from "node:worker_threads";
import { AnalysisError, type AnalysisErrorCode } from "./errors";
import { executeAnalysis, type AnalysisJob, type AnalysisResult } from "./job";
import { lowerThreadPriority } from "../worker-priority";
import { analysisViewText, type AnalysisViewText } from "./lami/wire";
import { ingestTrace, type IngestResult } from "../spikes/ingest";
import type { LatencySource } from "../spikes/sources";

// Batch work: the event loop (status bar, API) must win the CPU while it runs.
lowerThreadPriority();

export interface AnalysisTask {
  job: AnalysisJob;
  port?: MessagePort;
  /** Answer with the browser's view as JSON text (AnalysisViewText) rather than the result. */
  view?: { trace: string; maxRows: number };
}

/**
 * The result (or the browser's view of it as JSON text), or the job's AnalysisError as data:
 * an error crossing the thread keeps only its message, and its code says how the server
 * answers (worker-pool.ts throws it again). Any other error is thrown as it is.
 */
export type AnalysisTaskOutcome =
  { ok: true; result: AnalysisResult } | { ok: true; view: AnalysisViewText } | { ok: false; code: AnalysisErrorCode; message: string };

export default function runTask(task: AnalysisTask): AnalysisTaskOutcome {
  const port = task.port;
  try {
    const result = executeAnalysis(task.job, {
      onProgress: port === undefined ? undefined : (p) => port.postMessage(p),
    });
    // Made here, not on the web server's event loop: cloning a syscallstats result of 8,000
    // tables and walking it with superjson blocked the loop for seconds (the load bench).
    return task.view === undefined ? { ok: true, result } : { ok: true, view: analysisViewText(task.view.trace, result, task.view.maxRows) };
  } catch (e) {
    if (e instanceof AnalysisError) return { ok: false, code: e.code, message: e.message };
    throw e;
  } finally {
    port?.close();
  }
}

export interface LatencyIngestTask {
  paths: string[];
  source: LatencySource;
  port?: MessagePort;
}

/** A stored trace into a latency source's per-second buckets (server/spikes/ingest.ts), named task `ingestLatency`. */
export function ingestLatency(task: LatencyIngestTask): IngestResult {
  const port = task.port;
  try {
    return ingestTrace(task.paths, task.source, { onProgress: port === undefined ? undefined : (p) => port.postMessage(p) });
  } finally {
    port?.close();
  }
}
