/**
 * What a browser may ask for: an analysis name and lttng-analyses-style options, checked
 * with zod (the tRPC layer resolves which trace; paths never come from here). options.ts
 * derives the options type from this schema: an option is declared once, here, spelled as
 * lttng-analyses spells it but already parsed (durations in µs, lists split).
 */
import { z } from "zod";
import { ANALYSIS_NAMES } from "./catalog";
import { ANALYSIS_COMPAT_MODES } from "./options";

export const analysisNameSchema = z.enum(ANALYSIS_NAMES);

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
