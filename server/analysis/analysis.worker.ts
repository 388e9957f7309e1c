/**
 * Piscina worker entry (bundled to dist/workers/analysis.mjs): runs one analysis job
 * and reports progress on the MessagePort the runner passes along.
 */
import type { MessagePort } from "node:worker_threads";
import { executeAnalysis, type AnalysisJob, type AnalysisResult } from "./execute";
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

export default function runTask(task: AnalysisTask): AnalysisResult | AnalysisViewText {
  const port = task.port;
  try {
    const result = executeAnalysis(task.job, {
      onProgress: port === undefined ? undefined : (p) => port.postMessage(p),
    });
    // Made here, not on the web server's event loop: cloning a syscallstats result of 8,000
    // tables and walking it with superjson blocked the loop for seconds (the load bench).
    return task.view === undefined ? result : analysisViewText(task.view.trace, result, task.view.maxRows);
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
