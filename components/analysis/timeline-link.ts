/**
 * Where a result row links to: the timeline page, zoomed on the row's time span.
 *
 *   /timeline?trace=<trace directory, URL-encoded>&begin=<epoch ns>&end=<epoch ns>
 *
 * `begin` and `end` are absolute epoch nanoseconds as decimal integers (they exceed 2^53, so
 * they stay strings end to end). `trace` is the directory the analysis ran on, as the server
 * resolved it (under a trace root). The span comes from the analysis result (the per-row
 * ranges of AnalysisResult.rowRanges), never recomputed here.
 */
export function timelineHref(trace: string, range: readonly [string, string]): string {
  const q = new URLSearchParams({ trace, begin: range[0], end: range[1] });
  return `/timeline?${q.toString()}`;
}
