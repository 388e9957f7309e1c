/**
 * The analyses' options: their type (derived from the zod schema in options-schema.ts,
 * where each option is documented, so an option is declared once), the compat modes, and
 * one constant for each default. Zod stays out of this module: the CLI (cli-args.ts) loads
 * it, and `tracedeck analyze` does not pay for building the schema at start-up.
 */
import type { z } from "zod";
import type { analysisOptionsSchema } from "./options-schema";

export const ANALYSIS_COMPAT_MODES = ["lttng-analyses-0.6.1"] as const;
export type AnalysisCompat = (typeof ANALYSIS_COMPAT_MODES)[number];

/** --limit: rows per top table when none is given. */
export const DEFAULT_LIMIT = 10;
/** --freq-resolution: histogram buckets when none is given. */
export const DEFAULT_FREQ_RESOLUTION = 20;

/**
 * The options as the browser may send them are the schema's (each one is documented there);
 * the CLI adds only what a browser never asks for.
 */
export type AnalysisOptions = z.infer<typeof analysisOptionsSchema> & {
  /** --test-compatibility (MI): only check that the trace opens, as Trace Compass asks first. */
  testCompatibility?: boolean;
};
