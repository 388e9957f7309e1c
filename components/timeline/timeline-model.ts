/**
 * The latency timeline's state as it lives in the URL (Grafana's `from`/`to`/`refresh`, so a
 * link reproduces the window) and the arithmetic of zooming and panning. No React here.
 *
 *   /timeline?sources=1,3&from=now-1h&to=now&refresh=5s&threshold=50ms
 *   /timeline?sources=1&from=1765000000000000000&to=1765000300000000000
 */

export const NS_PER_MS = 1_000_000n;
const UNITS: Record<string, bigint> = { s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n, d: 86_400_000_000_000n };

/** A time as the URL says it: absolute epoch ns, or relative to now (`now`, `now-15m`). */
export type TimeRef = { kind: "abs"; ns: bigint } | { kind: "rel"; agoNs: bigint };

export const PRESETS = [
  { label: "Last 5 min", from: "now-5m" },
  { label: "Last 1 h", from: "now-1h" },
  { label: "Last 24 h", from: "now-24h" },
] as const;

export const REFRESH_CHOICES = ["off", "5s", "10s", "30s", "1m"] as const;
export type Refresh = (typeof REFRESH_CHOICES)[number];

export function parseTimeRef(s: string | undefined): TimeRef | null {
  if (s === undefined) return null;
  if (/^\d{1,20}$/.test(s)) return { kind: "abs", ns: BigInt(s) };
  if (s === "now") return { kind: "rel", agoNs: 0n };
  const m = /^now-(\d{1,6})([smhd])$/.exec(s);
  return m === null ? null : { kind: "rel", agoNs: BigInt(m[1]!) * UNITS[m[2]!]! };
}

export function formatTimeRef(t: TimeRef): string {
  if (t.kind === "abs") return t.ns.toString();
  if (t.agoNs === 0n) return "now";
  for (const u of ["d", "h", "m", "s"] as const) if (t.agoNs % UNITS[u]! === 0n) return `now-${t.agoNs / UNITS[u]!}${u}`;
  return `now-${t.agoNs / UNITS.s!}s`;
}

export function resolveTimeRef(t: TimeRef, nowNs: bigint): bigint {
  return t.kind === "abs" ? t.ns : nowNs - t.agoNs;
}

export function refreshMs(r: Refresh): number | false {
  switch (r) {
    case "off":
      return false;
    case "1m":
      return 60_000;
    default:
      return Number(r.slice(0, -1)) * 1000;
  }
}

/** `50ms`, `1.5s`, `200us` → ns; null when not a duration. */
export function parseThreshold(s: string | undefined): number | null {
  if (s === undefined || s === "") return null;
  const m = /^(\d{1,9}(?:\.\d{1,6})?)(ns|us|µs|ms|s)$/.exec(s.trim());
  if (m === null) return null;
  const scale = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9 }[m[2] as "ns"];
  return Number(m[1]) * scale;
}

export interface TimelineState {
  sources: number[];
  from: TimeRef;
  to: TimeRef;
  refresh: Refresh;
  /** ns, or null. */
  threshold: number | null;
  thresholdText: string;
}

export const DEFAULT_FROM: TimeRef = { kind: "rel", agoNs: 5n * UNITS.m! };
export const NOW: TimeRef = { kind: "rel", agoNs: 0n };

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function get(p: Params, k: string): string | undefined {
  if (p instanceof URLSearchParams) return p.get(k) ?? undefined;
  const v = p[k];
  return Array.isArray(v) ? v[0] : v;
}

/** The state a URL describes; anything malformed falls back to the defaults. */
export function stateFromParams(p: Params): TimelineState {
  const sources = (get(p, "sources") ?? "")
    .split(",")
    .filter((s) => /^\d{1,9}$/.test(s))
    .map(Number)
    .filter((n, i, a) => n > 0 && a.indexOf(n) === i)
    .slice(0, 8);
  let from = parseTimeRef(get(p, "from")) ?? DEFAULT_FROM;
  let to = parseTimeRef(get(p, "to")) ?? NOW;
  if (from.kind === "abs" && to.kind === "abs" && to.ns <= from.ns) [from, to] = [DEFAULT_FROM, NOW];
  const r = get(p, "refresh");
  const refresh = (REFRESH_CHOICES as readonly string[]).includes(r ?? "") ? (r as Refresh) : to.kind === "rel" ? "5s" : "off";
  const thresholdText = (get(p, "threshold") ?? "").slice(0, 16);
  return { sources, from, to, refresh, threshold: parseThreshold(thresholdText), thresholdText: parseThreshold(thresholdText) === null ? "" : thresholdText };
}

export function stateToQuery(s: TimelineState): string {
  const q = new URLSearchParams();
  if (s.sources.length > 0) q.set("sources", s.sources.join(","));
  q.set("from", formatTimeRef(s.from));
  q.set("to", formatTimeRef(s.to));
  q.set("refresh", s.refresh);
  if (s.thresholdText !== "") q.set("threshold", s.thresholdText);
  return q.toString();
}

/** Follow mode: the window ends now and moves with it. */
export function isFollowing(s: TimelineState): boolean {
  return s.to.kind === "rel" && s.to.agoNs === 0n && s.from.kind === "rel";
}

/** A fixed window [fromNs, toNs] (zoom, pan, brush): follow stops. */
export function withWindow(s: TimelineState, fromNs: bigint, toNs: bigint): TimelineState {
  if (toNs <= fromNs) toNs = fromNs + 1_000_000_000n;
  return { ...s, from: { kind: "abs", ns: fromNs }, to: { kind: "abs", ns: toNs }, refresh: "off" };
}

/** Shifts the window by `fraction` of its width (negative: back in time). */
export function panned(fromNs: bigint, toNs: bigint, fraction: number): [bigint, bigint] {
  const d = BigInt(Math.round(Number(toNs - fromNs) * fraction));
  return [fromNs + d, toNs + d];
}

/** The window scaled by `factor` around its middle (2: zoom out). */
export function zoomed(fromNs: bigint, toNs: bigint, factor: number): [bigint, bigint] {
  const mid = (fromNs + toNs) / 2n;
  const half = BigInt(Math.max(500_000_000, Math.round((Number(toNs - fromNs) * factor) / 2)));
  return [mid - half, mid + half];
}

export interface ChartPoint {
  /** ms since the epoch (the chart's x; whole seconds, so exact). */
  t: number;
  count: number;
  /** ms */
  min: number;
  max: number;
  p50: number;
  p90: number;
  p99: number;
  /** [min, max] and [p50, p99] bands, ms. */
  minMax: [number, number];
  p50p99: [number, number];
}

/** A series' points as the chart draws them: ms on both axes; a gap where there were no values. */
export function chartPoints(
  points: readonly { tNs: bigint; count: number; min: number; max: number; p50: number; p90: number; p99: number }[],
  bucketNs: bigint,
): (ChartPoint | { t: number })[] {
  const out: (ChartPoint | { t: number })[] = [];
  let prev: bigint | null = null;
  for (const p of points) {
    // No values for an interval: a gap, not a line across it.
    if (prev !== null && p.tNs - prev > bucketNs) out.push({ t: Number((prev + bucketNs) / NS_PER_MS) });
    const ms = (ns: number) => ns / 1e6;
    out.push({
      t: Number(p.tNs / NS_PER_MS),
      count: p.count,
      min: ms(p.min),
      max: ms(p.max),
      p50: ms(p.p50),
      p90: ms(p.p90),
      p99: ms(p.p99),
      minMax: [ms(p.min), ms(p.max)],
      p50p99: [ms(p.p50), ms(p.p99)],
    });
    prev = p.tNs;
  }
  return out;
}

/** A spike or snapshot drawn on the timeline. */
export interface TimelineMarker {
  /** Epoch ns as decimal digits. */
  tNs: string;
  kind: "spike" | "snapshot";
  /** What hovering shows: value and rule, or the snapshot's name. */
  label: string;
  /** Where clicking goes (the snapshot's report at the spike). */
  href?: string;
  /** Source the marker belongs to (spikes), or null for every panel (snapshots). */
  sourceId: number | null;
}
