/**
 * Tracedeck's latency analyses (ports of lttng-analyses 0.6.1), for the web server
 * and the UI: request schemas, the worker-thread runner, typed LAMI results.
 */
export { analysisRequestSchema, runAnalysis, closeAnalysisPool, type AnalysisRequest, type RunAnalysisHooks } from "./worker-pool";
export type { AnalysisJob, AnalysisJobProgress, AnalysisResult } from "./job";
export { DEFAULT_FREQ_RESOLUTION, DEFAULT_LIMIT, type AnalysisOptions } from "./options";
export { analysisNameSchema, analysisOptionsSchema } from "./options-schema";
export type { RowRange } from "./row-ranges";
export { ANALYSIS_NAMES, FAMILIES, analysisCatalog, analysisMetadata, isAnalysisName, type AnalysisDescription, type AnalysisName } from "./catalog";
export type * from "./lami/types";
export { toLamiJson, parseLamiJson } from "./lami/json";
export { OPTION_FLAGS } from "./cli-args";
