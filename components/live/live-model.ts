/**
 * What the Live page keeps of a stream, bounded: the newest rows, events per second per
 * name (for the sparklines), and latency per second (p50 / p99 / max) from a latency source
 * defined as the period analyses define a period: one event carrying its duration
 * (`request_end.latency_ns`), or a begin event and an end event paired by a field
 * (`--period 'req:$evt.$name == "B":$evt.$name == "E" && $evt.id == $begin.$evt.id'`).
 */
import type { LiveEvents, WireEvent } from "@/server/shared/live-events";

export type LiveEvent = WireEvent;

export const MAX_ROWS = 50_000;
const SPARK_SECONDS = 60;
const LATENCY_SECONDS = 120;
const MAX_OPEN_PERIODS = 100_000;

export type LatencySource =
  { kind: "none" } | { kind: "field"; event: string; field: string; unit: "ns" | "us" | "ms" } | { kind: "pair"; begin: string; end: string; key: string };

export interface LatencyPoint {
  /** Second of the event time (epoch seconds). */
  sec: number;
  p50: number;
  p99: number;
  max: number;
  count: number;
}

/** The `--period` definition equivalent to a pair source (shown to the user). */
export function periodDefinition(s: LatencySource): string {
  if (s.kind === "pair") return `lat:$evt.$name == "${s.begin}":$evt.$name == "${s.end}" && $evt.${s.key} == $begin.$evt.${s.key}`;
  if (s.kind === "field") return `$evt.$name == "${s.event}" → $evt.${s.field} (${s.unit})`;
  return "";
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return undefined;
}

const UNIT_MS = { ns: 1e-6, us: 1e-3, ms: 1 } as const;

/**
 * The table's rows as the batches that brought them (columns, read in place): an event
 * becomes an object only when its row is drawn or opened. Keeps the newest `max`.
 */
export class LiveRows {
  private segs: LiveEvents[] = [];
  /** Absolute index (over all rows ever added) one past each segment's last row. */
  private ends: number[] = [];
  private total = 0;
  /** Absolute index of the first row kept. */
  private start = 0;

  constructor(private readonly max = MAX_ROWS) {}

  get length(): number {
    return this.total - this.start;
  }

  /** Rows dropped from the front so far. */
  get dropped(): number {
    return this.start;
  }

  push(events: LiveEvents): void {
    if (events.length === 0) return;
    this.segs.push(events);
    this.ends.push((this.total += events.length));
    if (this.length <= this.max) return;
    this.start = this.total - this.max;
    let k = 0;
    while (this.ends[k]! <= this.start) k++;
    if (k > 0) {
      this.segs.splice(0, k);
      this.ends.splice(0, k);
    }
  }

  at(i: number): LiveEvent {
    const abs = this.start + i;
    let lo = 0;
    let hi = this.ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid]! > abs) hi = mid;
      else lo = mid + 1;
    }
    const seg = this.segs[lo]!;
    return seg.event(abs - (this.ends[lo]! - seg.length));
  }

  /** The rows as they are now (a pause): later pushes do not change it. */
  snapshot(): LiveRows {
    const r = new LiveRows(this.max);
    r.segs = this.segs.slice();
    r.ends = this.ends.slice();
    r.total = this.total;
    r.start = this.start;
    return r;
  }
}

export class LiveModel {
  readonly rows = new LiveRows();
  received = 0;
  skipped = 0;
  /** name → per-second counts over the last minute (by event time). */
  private rate = new Map<string, Map<number, number>>();
  private latency = new Map<number, number[]>();
  private open = new Map<string, bigint>();
  lastSec = 0;

  constructor(public source: LatencySource = { kind: "none" }) {}

  setSource(s: LatencySource): void {
    this.source = s;
    this.latency.clear();
    this.open.clear();
  }

  /** Rows dropped from the front of the table (it keeps the newest MAX_ROWS). */
  get dropped(): number {
    return this.rows.dropped;
  }

  add(events: LiveEvents, skipped: number): void {
    this.received += events.length;
    this.skipped += skipped;
    const s = this.source;
    for (let i = 0; i < events.length; i++) {
      const sec = events.second(i);
      if (sec > this.lastSec) this.lastSec = sec;
      const name = events.name(i);
      let m = this.rate.get(name);
      if (!m) this.rate.set(name, (m = new Map()));
      m.set(sec, (m.get(sec) ?? 0) + 1);
      // Only the latency source's events are built as objects.
      if (s.kind === "field" ? name === s.event : s.kind === "pair" && (name === s.begin || name === s.end)) this.latencyOf(events.event(i), sec);
    }
    this.rows.push(events);
    this.prune();
  }

  private latencyOf(e: LiveEvent, sec: number): void {
    const s = this.source;
    let ms: number | undefined;
    if (s.kind === "field") {
      const v = toNumber(e.payload[s.field] ?? e.context[s.field]);
      if (v !== undefined) ms = v * UNIT_MS[s.unit];
    } else if (s.kind === "pair") {
      const k = e.payload[s.key] ?? e.context[s.key];
      if (k === undefined) return;
      const key = String(k);
      if (e.name === s.begin) {
        if (this.open.size < MAX_OPEN_PERIODS) this.open.set(key, e.tsNs);
        return;
      }
      if (e.name !== s.end) return;
      const b = this.open.get(key);
      if (b === undefined) return;
      this.open.delete(key);
      ms = Number(e.tsNs - b) / 1e6;
    }
    if (ms === undefined) return;
    let arr = this.latency.get(sec);
    if (!arr) this.latency.set(sec, (arr = []));
    arr.push(ms);
  }

  private prune(): void {
    for (const m of this.rate.values()) for (const s of m.keys()) if (s <= this.lastSec - SPARK_SECONDS) m.delete(s);
    for (const s of this.latency.keys()) if (s <= this.lastSec - LATENCY_SECONDS) this.latency.delete(s);
  }

  /** Per name: counts for each of the last 60 s (oldest first) and the latest full second's rate. */
  sparklines(): { name: string; counts: number[]; perSecond: number; total: number }[] {
    const end = this.lastSec;
    const out = [];
    for (const [name, m] of this.rate) {
      const counts: number[] = [];
      for (let s = end - SPARK_SECONDS + 1; s <= end; s++) counts.push(m.get(s) ?? 0);
      out.push({ name, counts, perSecond: m.get(end - 1) ?? m.get(end) ?? 0, total: counts.reduce((a, b) => a + b, 0) });
    }
    return out.sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
  }

  latencySeries(): LatencyPoint[] {
    const secs = [...this.latency.keys()].sort((a, b) => a - b);
    return secs.map((sec) => {
      const v = this.latency
        .get(sec)!
        .slice()
        .sort((a, b) => a - b);
      const q = (p: number) => v[Math.min(v.length - 1, Math.floor(p * v.length))]!;
      return { sec, p50: q(0.5), p99: q(0.99), max: v[v.length - 1]!, count: v.length };
    });
  }
}

/** A field value as babeltrace2 shows it (strings quoted, arrays and structs expanded). */
export function showValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return `[ ${v.map((x, i) => `[${i}] = ${showValue(x)}`).join(", ")} ]`;
  if (v !== null && typeof v === "object")
    return `{ ${Object.entries(v)
      .map(([k, x]) => `${k} = ${showValue(x)}`)
      .join(", ")} }`;
  return String(v);
}

export function fieldsLine(e: LiveEvent): string {
  const parts = Object.entries(e.payload).map(([k, v]) => `${k} = ${showValue(v)}`);
  return parts.join(", ");
}
