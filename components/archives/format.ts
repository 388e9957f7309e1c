/** Display helpers of the archive pages (bytes, times, spans); pure, no server import. */

export function formatBytes(bytes: number | bigint): string {
  const n = Number(bytes);
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export const formatWhen = (d: Date) => d.toISOString().replace("T", " ").slice(0, 19);

const fmt = new Intl.NumberFormat("en-US");
export const formatCount = (n: number | bigint | null) => (n === null ? "—" : fmt.format(n));

/** Span between two epoch-ns bigints, e.g. "2.004 s", "812.0 ms". */
export function formatSpan(first: bigint | null, last: bigint | null): string {
  if (first === null || last === null) return "—";
  const ns = Number(last - first);
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(3)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(1)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns} ns`;
}

/** Epoch ns (bigint) → "YYYY-MM-DD HH:MM:SS.nnnnnnnnn" UTC, exactly. */
export function formatEpochNs(ns: bigint | null): string {
  if (ns === null) return "—";
  const s = ns / 1_000_000_000n;
  const frac = (ns % 1_000_000_000n).toString().padStart(9, "0");
  return `${new Date(Number(s) * 1000).toISOString().slice(0, 19).replace("T", " ")}.${frac}`;
}

export const KIND_LABEL: Record<string, string> = { snapshot: "snapshot", rotation: "rotation archive", session: "session trace" };

export const REPORT_LABEL: Record<string, string> = {
  none: "no report",
  queued: "report queued",
  running: "reporting…",
  done: "report ready",
  failed: "report failed",
};
