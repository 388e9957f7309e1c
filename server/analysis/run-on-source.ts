/**
 * Runs one analysis over a time-ordered event source: the state machine and the
 * analysis see each event in turn (analysis first, as lttng-analyses' Command does),
 * then the analysis's LAMI result tables are collected.
 */
import type { TraceInfo, TraceItem } from "../ctf/types";
import type { AnalysisConfig } from "./analyses/base";
import { parseDate, parseTimeRange } from "./dates";
import type { AnalysisEvent } from "./event";
import { intersectionWindow, type FileSpanLike } from "./intersection";
import type { LamiResultTable } from "./lami/types";
import type { ResultTable } from "./lami/values";
import { AnalysisError } from "./errors";
import type { AnalysisOptions } from "./options";
import type { EnumLabels } from "./periods/engine";
import { periodDefinitionsFromOptions } from "./periods/from-options";
import { FAMILIES, type AnalysisName } from "./catalog";
import { KernelState } from "./state/automaton";
import { toEpochNs, toRelNs } from "../time";

/** What the CTF reader's TraceSet offers (server/ctf/index.ts). */
export interface EventSource extends Iterable<TraceItem> {
  traces: TraceInfo[];
  /** Absolute epoch ns of relative time 0. */
  originNs: bigint;
  /** The reader's fast visitor (reuses the record object); return false to stop. */
  forEach?(cb: (item: TraceItem) => boolean | void): void;
  /** Each data file's packet span: the analysis then keeps to the streams' intersection, unless --no-intersection. */
  fileSpans?(): FileSpanLike[];
  /** Enum field labels per event class: period expressions and captures then see labels, as with lttng-analyses. */
  enumLabels?(eventName: string): ReturnType<EnumLabels>;
}

export interface AnalysisProgress {
  /** Events read so far. */
  events: number;
  /** Relative ns of the last event read. */
  ts: number;
}

export interface RunHooks {
  onProgress?: (p: AnalysisProgress) => void;
  signal?: AbortSignal;
  /** Events between progress reports and cancellation checks (default 65 536). */
  progressEvery?: number;
}

export interface RunOutput {
  tables: ResultTable[];
  results: LamiResultTable[];
  events: number;
  /** Relative ns of the first and last event read. */
  firstTs: number | null;
  lastTs: number | null;
  discarded: number;
}

export function buildConfig(opts: AnalysisOptions, source: Pick<EventSource, "originNs" | "enumLabels">): AnalysisConfig {
  const origin = source.originNs;
  let beginTs: number | null = null;
  let endTs: number | null = null;
  if (opts.timerange !== undefined) {
    const [b, e] = parseTimeRange(opts.timerange, origin);
    beginTs = toRelNs(origin, b);
    endTs = toRelNs(origin, e);
  } else {
    if (opts.begin !== undefined) beginTs = toRelNs(origin, parseDate(opts.begin, origin));
    if (opts.end !== undefined) endTs = toRelNs(origin, parseDate(opts.end, origin));
  }
  const periodDefs = periodDefinitionsFromOptions(opts);
  if (source.enumLabels !== undefined) periodDefs.enumLabels = (name) => source.enumLabels!(name);
  if (opts.refresh !== undefined && !periodDefs.isEmpty)
    throw new AnalysisError("INVALID_OPTIONS", "Cannot specify --period* and --refresh arguments at the same time");
  return {
    beginTs,
    endTs,
    cpuList: opts.cpu ?? null,
    procList: opts.procname ?? null,
    tidList: opts.tid ?? null,
    minDuration: opts.min === undefined ? null : opts.min * 1000,
    maxDuration: opts.max === undefined ? null : opts.max * 1000,
    refreshPeriod: opts.refresh ?? null,
    periodDefs,
    toAbs: (ts: number) => toEpochNs(origin, ts),
    opts,
  };
}

function abortError(): Error {
  const e = new Error("Analysis cancelled");
  e.name = "AbortError";
  return e;
}

export function runAnalysisOnSource(name: AnalysisName, opts: AnalysisOptions, source: EventSource, hooks: RunHooks = {}): RunOutput {
  const family = FAMILIES[name];
  const conf = buildConfig(opts, source);
  const state = new KernelState();
  const kernel = source.traces.find((t) => t.domain === "kernel");
  state.tracerVersion = kernel?.tracerVersion ?? null;
  const analysis = family.create(state, conf, name);
  const every = hooks.progressEvery ?? 65_536;
  const signal = hooks.signal;
  const feedState = family.needsKernelState;
  let events = 0;
  let discarded = 0;
  let firstTs: number | null = null;
  let lastTs: number | null = null;
  let countdown = every;

  if (signal?.aborted === true) throw abortError();
  // lttng-analyses' default: only what every stream covers (throws when that is nothing).
  const window = opts.noIntersection !== true && source.fileSpans !== undefined ? intersectionWindow(source.fileSpans(), source.traces.length) : null;
  const visit = (item: TraceItem): boolean => {
    if (item.kind !== "event") {
      if (item.kind === "discarded") discarded += item.count;
      return true;
    }
    if (window !== null) {
      if (item.ts > window.end) return false;
      if (item.ts < window.lo[item.trace]! || item.ts > window.hi[item.trace]!) return true;
    }
    const ev: AnalysisEvent = item;
    if (firstTs === null) {
      firstTs = ev.ts;
      analysis.beginAnalysis(ev);
    }
    events++;
    lastTs = ev.ts;
    analysis.processEvent(ev);
    if (analysis.ended) return false;
    if (feedState) state.processEvent(ev);
    if (--countdown === 0) {
      countdown = every;
      if (signal?.aborted === true) throw abortError();
      hooks.onProgress?.({ events, ts: ev.ts });
    }
    return true;
  };
  if (source.forEach !== undefined) source.forEach(visit);
  else
    for (const item of source) {
      if (!visit(item)) break;
    }
  analysis.endAnalysis();
  const tables = analysis.resultTables();
  return { tables, results: tables.map((t) => t.toNative()), events, firstTs, lastTs, discarded };
}
