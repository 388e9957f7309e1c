/**
 * Runs one analysis over a time-ordered event source: the state machine and the
 * analysis see each event in turn (analysis first, as lttng-analyses' Command does),
 * then the analysis's LAMI result tables are collected.
 */
import type { TraceInfo, TraceItem } from "../ctf/types";
import type { Analysis, AnalysisConfig } from "./analyses/base";
import { parseDate, parseTimeRange } from "./dates";
import type { AnalysisEvent } from "./event";
import { intersectionWindow, type FileSpanLike, type IntersectionWindow } from "./intersection";
import type { LamiResultTable } from "./lami/types";
import type { ResultTable } from "./lami/values";
import { AnalysisError } from "./errors";
import type { AnalysisOptions } from "./options";
import type { EnumLabels } from "./periods/engine";
import { periodDefinitionsFromOptions } from "./periods/from-options";
import { FAMILIES, type AnalysisName } from "./catalog";
import { KernelState } from "./state/automaton";
import { toEpochNs, toRelNs, type EpochNs } from "../time";

/** What the CTF reader's TraceSet offers (server/ctf/index.ts). */
export interface EventSource extends Iterable<TraceItem> {
  traces: TraceInfo[];
  /** Absolute epoch ns of relative time 0. */
  originNs: EpochNs;
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

/**
 * One analysis fed one item at a time: the state machine, the analysis, the stream
 * intersection, progress and cancellation of runAnalysisOnSource. A caller that feeds
 * several analyses from one pass of the reader (an archive report) makes one per analysis
 * and gives each the same items in time order; each keeps its own state machine, as each
 * lttng-analyses command does.
 */
export class AnalysisRun {
  private readonly analysis: Analysis;
  private readonly state: KernelState;
  private readonly feedState: boolean;
  private readonly window: IntersectionWindow | null;
  private readonly every: number;
  private readonly hooks: RunHooks;
  private countdown: number;
  private events = 0;
  private discarded = 0;
  private firstTs: number | null = null;
  private lastTs: number | null = null;
  /** False once the analysis reads no further (its --end, or the intersection's end, passed). */
  wantsMore = true;

  /** Throws AnalysisOptionsError for bad options and NoIntersectionError when the streams share no span. */
  constructor(name: AnalysisName, opts: AnalysisOptions, source: Omit<EventSource, typeof Symbol.iterator | "forEach">, hooks: RunHooks = {}) {
    const family = FAMILIES[name];
    const conf = buildConfig(opts, source);
    this.state = new KernelState();
    const kernel = source.traces.find((t) => t.domain === "kernel");
    this.state.tracerVersion = kernel?.tracerVersion ?? null;
    this.analysis = family.create(this.state, conf, name);
    this.every = hooks.progressEvery ?? 65_536;
    this.countdown = this.every;
    this.hooks = hooks;
    this.feedState = family.needsKernelState;
    if (hooks.signal?.aborted === true) throw abortError();
    // lttng-analyses' default: only what every stream covers (throws when that is nothing).
    this.window = opts.noIntersection !== true && source.fileSpans !== undefined ? intersectionWindow(source.fileSpans(), source.traces.length) : null;
  }

  /** Feeds one item; returns false once the analysis reads no further. */
  visit(item: TraceItem): boolean {
    if (item.kind !== "event") {
      if (item.kind === "discarded") this.discarded += item.count;
      return true;
    }
    const window = this.window;
    if (window !== null) {
      if (item.ts > window.end) return (this.wantsMore = false);
      if (item.ts < window.lo[item.trace]! || item.ts > window.hi[item.trace]!) return true;
    }
    const ev: AnalysisEvent = item;
    const analysis = this.analysis;
    if (this.firstTs === null) {
      this.firstTs = ev.ts;
      analysis.beginAnalysis(ev);
    }
    this.events++;
    this.lastTs = ev.ts;
    analysis.processEvent(ev);
    if (analysis.ended) return (this.wantsMore = false);
    if (this.feedState) this.state.processEvent(ev);
    if (--this.countdown === 0) {
      this.countdown = this.every;
      if (this.hooks.signal?.aborted === true) throw abortError();
      this.hooks.onProgress?.({ events: this.events, ts: ev.ts });
    }
    return true;
  }

  /** Ends the analysis (after the last item, or once it reads no further) and collects its tables. */
  finish(): RunOutput {
    this.wantsMore = false;
    this.analysis.endAnalysis();
    const tables = this.analysis.resultTables();
    return { tables, results: tables.map((t) => t.toNative()), events: this.events, firstTs: this.firstTs, lastTs: this.lastTs, discarded: this.discarded };
  }
}

export function runAnalysisOnSource(name: AnalysisName, opts: AnalysisOptions, source: EventSource, hooks: RunHooks = {}): RunOutput {
  const run = new AnalysisRun(name, opts, source, hooks);
  const visit = (item: TraceItem): boolean => run.visit(item);
  if (source.forEach !== undefined) source.forEach(visit);
  else
    for (const item of source) {
      if (!visit(item)) break;
    }
  return run.finish();
}
