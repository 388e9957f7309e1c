/**
 * Analysis options: their type, the compat modes, and one constant for each default.
 */
import type { z } from "zod";
import type { analysisOptionsSchema } from "./schema";

/**
 * The options as the browser may send them are the zod schema's (schema.ts, where each one
 * is documented); the CLI adds only what a browser never asks for.
 */
export type AnalysisOptions = z.infer<typeof analysisOptionsSchema> & {
  /** --test-compatibility (MI): only check that the trace opens, as Trace Compass asks first. */
  testCompatibility?: boolean;
};

export const ANALYSIS_COMPAT_MODES = ["lttng-analyses-0.6.1"] as const;
export type AnalysisCompat = (typeof ANALYSIS_COMPAT_MODES)[number];

/** --limit: rows per top table when none is given. */
export const DEFAULT_LIMIT = 10;
/** --freq-resolution: histogram buckets when none is given. */
export const DEFAULT_FREQ_RESOLUTION = 20;
