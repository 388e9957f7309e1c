/**
 * One analysis job from request to result, wherever it runs (the worker thread, a
 * test, the CLI): open the traces, run, attach each row's time range.
 */
import { openTraceSet } from "../ctf";
import type { LamiResultTable } from "./lami/types";
import type { AnalysisOptions } from "./options";
import type { AnalysisName } from "./registry";
import { tableRowRanges, type RowRange } from "./rows";
import { eventsNeeded, runAnalysisOnSource } from "./run";

export interface AnalysisJob {
  analysis: AnalysisName;
  options: AnalysisOptions;
  /** Trace or session directories, already checked by the caller. */
  paths: string[];
}

export interface AnalysisJobProgress {
  events: number;
  /** 0..1 through the traces' time span, when known. */
  fraction: number | null;
}

export interface AnalysisResult {
  analysis: AnalysisName;
  /** LAMI 1.0 result tables, as `lttng-<analysis>-mi` prints them. */
  results: LamiResultTable[];
  /** Per table, per row: the time span the row covers (null when it has none). */
  rowRanges: RowRange[][];
  events: number;
  discarded: number;
  /** Absolute epoch ns of the first and last event read. */
  beginNs: bigint | null;
  endNs: bigint | null;
  elapsedMs: number;
}

export function executeAnalysis(
  job: AnalysisJob,
  hooks: { onProgress?: (p: AnalysisJobProgress) => void; signal?: AbortSignal } = {},
): AnalysisResult {
  const t0 = performance.now();
  const set = openTraceSet(job.paths, { events: eventsNeeded(job.analysis, job.options) });
  try {
    const begin = set.beginTs;
    const onProgress = hooks.onProgress;
    let span: number | null = null;
    const out = runAnalysisOnSource(job.analysis, job.options, set, {
      signal: hooks.signal,
      onProgress:
        onProgress === undefined
          ? undefined
          : (p) => {
              // The end is found lazily (it may scan packet headers), once.
              if (span === null) span = Math.max(1, set.endTs - begin);
              onProgress({ events: p.events, fraction: Math.min(1, Math.max(0, (p.ts - begin) / span)) });
            },
    });
    onProgress?.({ events: out.events, fraction: 1 });
    return {
      analysis: job.analysis,
      results: out.results,
      rowRanges: out.results.map(tableRowRanges),
      events: out.events,
      discarded: out.discarded,
      beginNs: out.firstTs === null ? null : set.originNs + BigInt(out.firstTs),
      endNs: out.lastTs === null ? null : set.originNs + BigInt(out.lastTs),
      elapsedMs: performance.now() - t0,
    };
  } finally {
    set.close();
  }
}
