/**
 * Tracedeck's latency analyses (ports of lttng-analyses 0.6.1), for the web server
 * and the UI: request schemas, the worker-thread runner, typed LAMI results.
 */
export { analysisNameSchema, analysisOptionsSchema, analysisRequestSchema, type AnalysisRequest } from "./schema";
export { runAnalysis, closeAnalysisPool, type RunAnalysisHooks } from "./runner";
export type { AnalysisJob, AnalysisJobProgress, AnalysisResult } from "./execute";
export { DEFAULT_FREQ_RESOLUTION, DEFAULT_LIMIT, type AnalysisOptions } from "./options";
export type { RowRange } from "./rows";
export { ANALYSIS_NAMES, FAMILIES, analysisCatalog, analysisMetadata, isAnalysisName, type AnalysisDescription, type AnalysisName } from "./registry";
export type * from "./lami/types";
export { toLamiJson, parseLamiJson } from "./lami/json";
export { OPTION_FLAGS } from "./args";
