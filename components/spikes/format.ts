/** Nanoseconds as milliseconds with three decimals ("60.309 ms"). */
export function formatMs(ns: number | bigint): string {
  return `${(Number(ns) / 1e6).toFixed(3)} ms`;
}

/** Epoch ns as an ISO time (UTC, ms precision). */
export function formatTime(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString().replace("T", " ").replace("Z", "");
}

/** The latency timeline around an epoch-ns instant (±30 s), for one source. */
export function timelineAround(sourceId: number, tsNs: bigint): string {
  const pad = 30_000_000_000n;
  return `/timeline?sources=${sourceId}&from=${tsNs - pad}&to=${tsNs + pad}`;
}
