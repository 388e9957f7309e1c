/**
 * Analysis options, spelled as lttng-analyses spells them (`--limit`, `--freq-resolution`…)
 * but already parsed: durations in µs as given on the command line, lists split.
 */
export interface AnalysisOptions {
  /** --begin/--end: "hh:mm:ss[.nnnnnnnnn]", "YYYY-MM-DD hh:mm:ss[.nnnnnnnnn]" or epoch ns. */
  begin?: string;
  end?: string;
  /** --timerange "[begin,end]". */
  timerange?: string;
  /** --cpu */
  cpu?: number[];
  /** --tid */
  tid?: number[];
  /** --procname */
  procname?: string[];
  /** --min/--max, µs. */
  min?: number;
  max?: number;
  /** --minsize/--maxsize, bytes (I/O). */
  minsize?: number;
  maxsize?: number;
  /** --limit (default 10). */
  limit?: number;
  /** --freq-resolution (default 20). */
  freqResolution?: number;
  freqUniform?: boolean;
  freqSeries?: boolean;
  /** sched: --total, --per-tid (default), --per-prio. */
  total?: boolean;
  perTid?: boolean;
  perPrio?: boolean;
  /** irq: --irq, --softirq filter lists (as given). */
  irq?: string[];
  softirq?: string[];
  /** --period (repeatable), --period-captures (repeatable). */
  period?: string[];
  periodCaptures?: string[];
  /** Deprecated lttng-analyses period options, still accepted. */
  periodBegin?: string;
  periodEnd?: string;
  periodBeginKey?: string;
  periodEndKey?: string;
  periodKeyValue?: string;
  /** Period commands. */
  minDuration?: number;
  maxDuration?: number;
  select?: string[];
  groupBy?: string;
  aggregateBy?: string;
  orderBy?: "time" | "hierarchy";
  /** Shortcut: one event carrying a duration, e.g. "tracedeck_demo:request_end.latency_ns". */
  durationField?: string;
  /** --no-intersection (default: intersect stream time ranges, as lttng-analyses does). */
  noIntersection?: boolean;
  /** --refresh: split the analysis into periods of this many ns. */
  refresh?: number;
  /** --gmt: accepted; times are interpreted in the process's TZ (use TZ=UTC). */
  gmt?: boolean;
  /** --test-compatibility (MI): only check that the trace opens, as Trace Compass asks first. */
  testCompatibility?: boolean;
  /**
   * --compat=lttng-analyses-0.6.1: reproduce lttng-analyses 0.6.1's wrong numbers (the
   * list is in DEVIATIONS.md) for users who diff against it. Absent: true values.
   */
  compat?: AnalysisCompat;
}

export const ANALYSIS_COMPAT_MODES = ["lttng-analyses-0.6.1"] as const;
export type AnalysisCompat = (typeof ANALYSIS_COMPAT_MODES)[number];

export const DEFAULT_LIMIT = 10;
export const DEFAULT_FREQ_RESOLUTION = 20;
