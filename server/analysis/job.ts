/**
 * One analysis job from request to result, wherever it runs (the worker thread, a
 * test, the CLI): open the traces, run, attach each row's time range. The CLI and the
 * worker thread share runAnalysisJob, so both compute the same result the same way.
 */
import { openTraceSet, type TraceSet } from "../ctf";
import type { LamiResultTable } from "./lami/types";
import type { ResultTable } from "./lami/values";
import type { AnalysisOptions } from "./options";
import type { AnalysisName } from "./catalog";
import { tableRowRanges, type RowRange } from "./row-ranges";
import { eventsNeeded } from "./events-needed";
import { runAnalysisOnSource, type AnalysisProgress } from "./run-on-source";
import { toEpochNs } from "../time";

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

/** The job's traces, opened to decode only the events its analysis reads. The caller closes them. */
export function openAnalysisTraces(job: Pick<AnalysisJob, "analysis" | "options" | "paths">): TraceSet {
  return openTraceSet(job.paths, { events: eventsNeeded(job.analysis, job.options) });
}

/**
 * Runs the job on traces already open: the one execution path of the worker thread (via
 * executeAnalysis) and the CLI. Besides the result the worker sends back, returns the
 * result tables themselves (the CLI prints them as text); progress carries the time of
 * the last event read, relative to `set.originNs`.
 */
export function runAnalysisJob(
  set: TraceSet,
  job: AnalysisJob,
  hooks: { onProgress?: (p: AnalysisProgress) => void; signal?: AbortSignal } = {},
  startedAt: number = performance.now(),
): { result: AnalysisResult; tables: ResultTable[] } {
  const out = runAnalysisOnSource(job.analysis, job.options, set, hooks);
  const result: AnalysisResult = {
    analysis: job.analysis,
    results: out.results,
    rowRanges: out.results.map(tableRowRanges),
    events: out.events,
    discarded: out.discarded,
    beginNs: out.firstTs === null ? null : toEpochNs(set.originNs, out.firstTs),
    endNs: out.lastTs === null ? null : toEpochNs(set.originNs, out.lastTs),
    elapsedMs: performance.now() - startedAt,
  };
  return { result, tables: out.tables };
}

export function executeAnalysis(job: AnalysisJob, hooks: { onProgress?: (p: AnalysisJobProgress) => void; signal?: AbortSignal } = {}): AnalysisResult {
  const t0 = performance.now();
  const set = openAnalysisTraces(job);
  try {
    const begin = set.beginTs;
    const onProgress = hooks.onProgress;
    let span: number | null = null;
    const { result } = runAnalysisJob(
      set,
      job,
      {
        signal: hooks.signal,
        onProgress:
          onProgress === undefined
            ? undefined
            : (p) => {
                // The end is found lazily (it may scan packet headers), once.
                if (span === null) span = Math.max(1, set.endTs - begin);
                onProgress({ events: p.events, fraction: Math.min(1, Math.max(0, (p.ts - begin) / span)) });
              },
      },
      t0,
    );
    onProgress?.({ events: result.events, fraction: 1 });
    return result;
  } finally {
    set.close();
  }
}
