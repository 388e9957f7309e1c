/**
 * Piscina worker entry (bundled to dist/workers/analysis.mjs): runs one analysis job
 * and reports progress on the MessagePort the runner passes along.
 */
import type { MessagePort } from "node:worker_threads";
import { executeAnalysis, type AnalysisJob, type AnalysisResult } from "./execute";
import { lowerThreadPriority } from "../worker-priority";
import { ingestTrace, type IngestResult } from "../spikes/ingest";
import type { LatencySource } from "../spikes/sources";

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
