/**
 * The analyses' options, declared once: the zod schema of what a browser may ask for (an
 * analysis name and lttng-analyses-style options; the tRPC layer resolves which trace, paths
 * never come from here), the options type derived from it, the compat modes, and one
 * constant for each default. Options are spelled as lttng-analyses spells them but already
 * parsed (durations in µs, lists split); cli-args.ts turns a command line into them.
 */
import { z } from "zod";

export const ANALYSIS_COMPAT_MODES = ["lttng-analyses-0.6.1"] as const;
export type AnalysisCompat = (typeof ANALYSIS_COMPAT_MODES)[number];

/** --limit: rows per top table when none is given. */
export const DEFAULT_LIMIT = 10;
/** --freq-resolution: histogram buckets when none is given. */
export const DEFAULT_FREQ_RESOLUTION = 20;

const shortString = z.string().min(1).max(200);
const expression = z.string().min(1).max(4000);
const micros = z.number().finite().min(0);

export const analysisOptionsSchema = z
  .object({
    /** --begin/--end: "hh:mm:ss[.nnnnnnnnn]", "YYYY-MM-DD hh:mm:ss[.nnnnnnnnn]" or epoch ns. */
    begin: shortString,
    end: shortString,
    /** --timerange "[begin,end]". */
    timerange: shortString,
    cpu: z.array(z.number().int().min(0).max(65535)).max(4096),
    tid: z.array(z.number().int().min(0)).max(4096),
    procname: z.array(shortString).max(256),
    /** --min/--max, µs as given on the command line. */
    min: micros,
    max: micros,
    /** --minsize/--maxsize, bytes (I/O). */
    minsize: z.number().finite().min(0),
    maxsize: z.number().finite().min(0),
    /** --limit (default DEFAULT_LIMIT). */
    limit: z.number().int().min(1).max(100_000),
    /** --freq-resolution (default DEFAULT_FREQ_RESOLUTION). */
    freqResolution: z.number().int().min(1).max(10_000),
    freqUniform: z.boolean(),
    freqSeries: z.boolean(),
    /** sched: --total, --per-tid (default), --per-prio. */
    total: z.boolean(),
    perTid: z.boolean(),
    perPrio: z.boolean(),
    /** irq: --irq, --softirq filter lists (as given). */
    irq: z.array(shortString).max(256),
    softirq: z.array(shortString).max(256),
    /** --period (repeatable), --period-captures (repeatable). */
    period: z.array(expression).max(32),
    periodCaptures: z.array(expression).max(32),
    /** Deprecated lttng-analyses period options, still accepted. */
    periodBegin: shortString,
    periodEnd: shortString,
    periodBeginKey: shortString,
    periodEndKey: shortString,
    periodKeyValue: shortString,
    /** Period commands. */
    minDuration: micros,
    maxDuration: micros,
    select: z.array(shortString).max(64),
    groupBy: shortString,
    aggregateBy: shortString,
    orderBy: z.enum(["time", "hierarchy"]),
    /** Shortcut: one event carrying a duration, e.g. "tracedeck_demo:request_end.latency_ns". */
    durationField: shortString,
    /** --no-intersection (default: intersect stream time ranges, as lttng-analyses does). */
    noIntersection: z.boolean(),
    /** --refresh: split the analysis into periods of this many ns. */
    refresh: z.number().int().min(1000),
    /** --gmt: accepted; times are interpreted in the process's TZ (use TZ=UTC). */
    gmt: z.boolean(),
    /**
     * --compat=lttng-analyses-0.6.1: reproduce lttng-analyses 0.6.1's wrong numbers (the
     * list is in DEVIATIONS.md) for users who diff against it. Absent: true values.
     */
    compat: z.enum(ANALYSIS_COMPAT_MODES),
  })
  .partial()
  .strict();

/**
 * The options as the browser may send them are the schema's (each one is documented there);
 * the CLI adds only what a browser never asks for.
 */
export type AnalysisOptions = z.infer<typeof analysisOptionsSchema> & {
  /** --test-compatibility (MI): only check that the trace opens, as Trace Compass asks first. */
  testCompatibility?: boolean;
};
