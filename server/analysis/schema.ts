/**
 * What a browser may ask for: an analysis name and lttng-analyses-style options,
 * checked with zod (the tRPC layer resolves which trace; paths never come from here).
 */
import { z } from "zod";
import { ANALYSIS_COMPAT_MODES } from "./options";
import { ANALYSIS_NAMES } from "./registry";

const shortString = z.string().min(1).max(200);
const expression = z.string().min(1).max(4000);
const micros = z.number().finite().min(0);

export const analysisNameSchema = z.enum(ANALYSIS_NAMES);

export const analysisOptionsSchema = z
  .object({
    begin: shortString,
    end: shortString,
    timerange: shortString,
    cpu: z.array(z.number().int().min(0).max(65535)).max(4096),
    tid: z.array(z.number().int().min(0)).max(4096),
    procname: z.array(shortString).max(256),
    min: micros,
    max: micros,
    minsize: z.number().finite().min(0),
    maxsize: z.number().finite().min(0),
    limit: z.number().int().min(1).max(100_000),
    freqResolution: z.number().int().min(1).max(10_000),
    freqUniform: z.boolean(),
    freqSeries: z.boolean(),
    total: z.boolean(),
    perTid: z.boolean(),
    perPrio: z.boolean(),
    irq: z.array(shortString).max(256),
    softirq: z.array(shortString).max(256),
    period: z.array(expression).max(32),
    periodCaptures: z.array(expression).max(32),
    periodBegin: shortString,
    periodEnd: shortString,
    periodBeginKey: shortString,
    periodEndKey: shortString,
    periodKeyValue: shortString,
    minDuration: micros,
    maxDuration: micros,
    select: z.array(shortString).max(64),
    groupBy: shortString,
    aggregateBy: shortString,
    orderBy: z.enum(["time", "hierarchy"]),
    durationField: shortString,
    noIntersection: z.boolean(),
    refresh: z.number().int().min(1000),
    gmt: z.boolean(),
    compat: z.enum(ANALYSIS_COMPAT_MODES),
  })
  .partial()
  .strict();

/** One analysis run as the UI asks for it. */
export const analysisRequestSchema = z.object({
  analysis: analysisNameSchema,
  options: analysisOptionsSchema.default({}),
});

export type AnalysisRequest = z.infer<typeof analysisRequestSchema>;
