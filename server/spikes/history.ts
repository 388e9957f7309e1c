/**
 * Latency history: each source's values rolled up per second into mergeable buckets (count,
 * min, max, sum, DDSketch), written to the database, and read back at the pixel width the
 * Timeline asks for — the browser never receives the values themselves.
 *
 * Writers: `HistoryWriter` (live values, flushed once a second, merged with what the database
 * already holds for that second) and `replaceBuckets` (a stored trace's buckets, computed in a
 * worker). Reader: `queryRange`. Retention (1 s → 1 min): retention.ts.
 */
import type { DDSketch } from "@datadog/sketches-js";
import { z } from "zod";
import type { Db } from "../db";
import type { EpochNs } from "../time";
import { BinAccumulator, encodeSketch, mergeEncoded, newSketch } from "./sketch";
import { epochNs } from "../time";

export const NS_PER_SEC = 1_000_000_000n;
/** Bucket widths in seconds: 1 as written, 60 once rolled up. */
export type Resolution = 1 | 60;
export const DEFAULT_FINE_HOURS = 24;

/** Hours 1 s buckets are kept before only their minutes are (env TRACEDECK_LATENCY_FINE_HOURS, 1..8760). */
export function fineHours(env: Record<string, string | undefined> = process.env): number {
  const r = z.coerce
    .number()
    .int()
    .min(1)
    .max(8760)
    .safeParse(env.TRACEDECK_LATENCY_FINE_HOURS ?? DEFAULT_FINE_HOURS);
  return r.success ? r.data : DEFAULT_FINE_HOURS;
}

/** Most points a query returns per source (a wide screen's pixels). */
export const MAX_WIDTH = 4000;

/** One bucket being filled. */
export class Bucket {
  count = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;
  readonly sketch: DDSketch = newSketch();

  add(v: number): void {
    this.count++;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.sum += v;
    this.sketch.accept(v);
  }

  mergeStored(b: StoredBucket): void {
    this.count += b.count;
    if (b.min < this.min) this.min = b.min;
    if (b.max > this.max) this.max = b.max;
    this.sum += b.sum;
    mergeEncoded(this.sketch, b.sketch);
  }

  toStored(startSec: number): StoredBucket {
    return { startSec, count: this.count, min: this.min, max: this.max, sum: this.sum, sketch: encodeSketch(this.sketch) };
  }
}

/** A bucket as stored (and as a worker hands it over: structured-clone friendly). */
export interface StoredBucket {
  /** Epoch seconds. */
  startSec: number;
  count: number;
  min: number;
  max: number;
  sum: number;
  sketch: Uint8Array;
}

/** Per-second buckets of one source, filled in any order (stored-trace ingest). */
export class SecondBuckets {
  private readonly buckets = new Map<number, Bucket>();
  /** Adds a value that ended at epoch second `sec`. */
  add(sec: number, v: number): void {
    let b = this.buckets.get(sec);
    if (b === undefined) this.buckets.set(sec, (b = new Bucket()));
    b.add(v);
  }
  get size(): number {
    return this.buckets.size;
  }
  toStored(): StoredBucket[] {
    return [...this.buckets].sort((a, b) => a[0] - b[0]).map(([sec, b]) => b.toStored(sec));
  }
}

/** Epoch second of an epoch-ns time (floor, also before 1970). */
export function secondOf(tsNs: EpochNs): number {
  const q = tsNs / NS_PER_SEC;
  return Number(tsNs < 0n && q * NS_PER_SEC !== tsNs ? q - 1n : q);
}

/** A stored bucket as its database row (latencyBucket). */
export function rowData(sourceId: number, resolution: Resolution, b: StoredBucket) {
  return {
    sourceId,
    resolution,
    startSec: BigInt(b.startSec),
    count: b.count,
    min: b.min,
    max: b.max,
    sum: b.sum,
    sketch: b.sketch as Uint8Array<ArrayBuffer>,
  };
}

export function fromRow(r: { startSec: bigint; count: number; min: number; max: number; sum: number; sketch: Uint8Array }): StoredBucket {
  return { startSec: Number(r.startSec), count: r.count, min: r.min, max: r.max, sum: r.sum, sketch: r.sketch };
}

/** Epoch second of the minute holding epoch second `sec` (floor, also before 1970). */
export function minuteOf(sec: number): number {
  return Math.floor(sec / 60) * 60;
}

function merged(buckets: Iterable<StoredBucket>): Bucket {
  const b = new Bucket();
  for (const x of buckets) b.mergeStored(x);
  return b;
}

/**
 * Stores a stored trace's 1 s buckets for a source, replacing the source's 1 s buckets of
 * [fromSec, toSec]: the trace is the whole truth for its own window (live values of the same
 * seconds would otherwise count twice). The 1 min buckets of the minutes it touches are
 * rebuilt from their seconds; a minute whose seconds were already rolled up (older than the
 * retention's fine window) keeps what it held and adds the trace's seconds. One transaction:
 * readers see the old or the new.
 */
export async function replaceBuckets(db: Db, sourceId: number, fromSec: number, toSec: number, buckets: readonly StoredBucket[]): Promise<void> {
  const CHUNK = 500;
  const m0 = minuteOf(Math.min(fromSec, buckets[0]?.startSec ?? fromSec));
  const m1 = minuteOf(Math.max(toSec, buckets.at(-1)?.startSec ?? toSec));
  await db.$transaction(async (tx) => {
    const range = { gte: BigInt(m0), lte: BigInt(m1 + 59) };
    const oldSecs = (await tx.latencyBucket.findMany({ where: { sourceId, resolution: 1, startSec: range } })).map(fromRow);
    const oldMins = new Map(
      (await tx.latencyBucket.findMany({ where: { sourceId, resolution: 60, startSec: range } })).map((r) => [Number(r.startSec), fromRow(r)] as const),
    );
    await tx.latencyBucket.deleteMany({ where: { sourceId, resolution: 1, startSec: { gte: BigInt(fromSec), lte: BigInt(toSec) } } });
    for (let i = 0; i < buckets.length; i += CHUNK)
      await tx.latencyBucket.createMany({ data: buckets.slice(i, i + CHUNK).map((b) => rowData(sourceId, 1, b)) });
    const perMinute = new Map<number, { before: StoredBucket[]; after: StoredBucket[]; added: StoredBucket[] }>();
    const at = (sec: number) => {
      const m = minuteOf(sec);
      let e = perMinute.get(m);
      if (e === undefined) perMinute.set(m, (e = { before: [], after: [], added: [] }));
      return e;
    };
    for (const m of oldMins.keys()) at(m);
    for (const b of oldSecs) {
      at(b.startSec).before.push(b);
      if (b.startSec < fromSec || b.startSec > toSec) at(b.startSec).after.push(b);
    }
    for (const b of buckets) {
      at(b.startSec).after.push(b);
      at(b.startSec).added.push(b);
    }
    for (const [m, e] of perMinute) {
      const old = oldMins.get(m);
      const complete = old === undefined || old.count === e.before.reduce((n, b) => n + b.count, 0);
      const key = { sourceId_resolution_startSec: { sourceId, resolution: 60, startSec: BigInt(m) } };
      const b = complete ? merged(e.after) : merged([old, ...e.added]);
      if (b.count === 0) {
        if (old !== undefined) await tx.latencyBucket.delete({ where: key });
        continue;
      }
      const data = rowData(sourceId, 60, b.toStored(m));
      await tx.latencyBucket.upsert({ where: key, create: data, update: data });
    }
  });
}

export type ValueHook = (sourceId: number, tsNs: EpochNs, valueNs: number) => void;

interface LiveBucket {
  bucket: Bucket;
  /** Values added since the last flush. */
  dirty: boolean;
  /** The row already in the database (if any) has been merged in: later flushes overwrite it. */
  loaded: boolean;
  /** Flushes since the last value (evicted after a few). */
  idle: number;
}

export interface HistoryWriterOptions {
  /** ms between flushes (default 1000). */
  flushIntervalMs?: number;
  /** Called with the message of a failed flush (the values stay and are retried). */
  onError?: (err: unknown) => void;
}

/**
 * Per-second buckets of live values, and the 1 min buckets they add up to, flushed to the
 * database once a second (a long range reads minutes, not 60 times as many seconds). Values of
 * a second keep arriving for a while (the relay delivers ~0.2 s late, streams interleave), so
 * a bucket stays in memory for a few flushes after its last value; the first flush of a
 * bucket merges the row already stored for it (a restart, a second recorder).
 */
export class HistoryWriter {
  /** Per resolution, per source, per bucket start (epoch s). */
  private readonly live = new Map<Resolution, Map<number, Map<number, LiveBucket>>>([
    [1, new Map()],
    [60, new Map()],
  ]);
  private readonly hooks = new Set<ValueHook>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  /** Values accepted since start. */
  values = 0;

  constructor(
    private readonly db: Db,
    private readonly opts: HistoryWriterOptions = {},
  ) {}

  /** Subscribes to every value as it arrives (the spike detector). Returns the unsubscribe. */
  onValue(hook: ValueHook): () => void {
    this.hooks.add(hook);
    return () => this.hooks.delete(hook);
  }

  add(sourceId: number, tsNs: EpochNs, valueNs: number): void {
    if (!Number.isFinite(valueNs)) return;
    this.values++;
    const sec = secondOf(tsNs);
    this.addTo(1, sourceId, sec, valueNs);
    this.addTo(60, sourceId, minuteOf(sec), valueNs);
    for (const h of this.hooks) h(sourceId, tsNs, valueNs);
  }

  private addTo(resolution: Resolution, sourceId: number, startSec: number, valueNs: number): void {
    const bySource = this.live.get(resolution)!;
    let perSource = bySource.get(sourceId);
    if (perSource === undefined) bySource.set(sourceId, (perSource = new Map()));
    let lb = perSource.get(startSec);
    if (lb === undefined) perSource.set(startSec, (lb = { bucket: new Bucket(), dirty: false, loaded: false, idle: 0 }));
    lb.bucket.add(valueNs);
    lb.dirty = true;
    lb.idle = 0;
  }

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => void this.flush().catch((e: unknown) => this.opts.onError?.(e)), this.opts.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  /** Stops the timer and writes what is pending. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** Drops a source's pending values (source deleted). */
  forget(sourceId: number): void {
    for (const bySource of this.live.values()) bySource.delete(sourceId);
  }

  /** Writes the buckets that changed since the last flush (one at a time: flushes never overlap). */
  flush(): Promise<void> {
    if (this.flushing !== null) return this.flushing.then(() => this.flush());
    this.flushing = this.doFlush().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async doFlush(): Promise<void> {
    const work: { resolution: Resolution; sourceId: number; sec: number; lb: LiveBucket }[] = [];
    for (const [resolution, bySource] of this.live)
      for (const [sourceId, perSource] of bySource)
        for (const [sec, lb] of perSource) {
          if (lb.dirty) work.push({ resolution, sourceId, sec, lb });
          else if (++lb.idle > 5) perSource.delete(sec);
        }
    if (work.length === 0) return;
    // A second and its minute in one transaction: the minute always holds what its seconds hold.
    await this.db.$transaction(async (tx) => {
      for (const { resolution, sourceId, sec, lb } of work) {
        const key = { sourceId_resolution_startSec: { sourceId, resolution, startSec: BigInt(sec) } };
        if (!lb.loaded) {
          const row = await tx.latencyBucket.findUnique({ where: key });
          if (row !== null) lb.bucket.mergeStored(fromRow(row));
        }
        const data = rowData(sourceId, resolution, lb.bucket.toStored(sec));
        await tx.latencyBucket.upsert({ where: key, create: data, update: data });
      }
    });
    // Marked only once written: a failed flush is retried whole.
    for (const { lb } of work) {
      lb.loaded = true;
      lb.dirty = false;
    }
  }
}

export interface RangeQuery {
  sourceIds: readonly number[];
  fromNs: EpochNs;
  toNs: EpochNs;
  /** Points wanted across the range (pixels), 1..MAX_WIDTH. */
  width: number;
}

export interface RangePoint {
  /** Start of the point's interval (epoch ns, a whole second). */
  tNs: EpochNs;
  count: number;
  /** ns; exact. */
  min: number;
  max: number;
  /** ns; within HISTORY_ACCURACY (relative) of a true value. */
  p50: number;
  p90: number;
  p99: number;
}

export interface SourceSeries {
  sourceId: number;
  /** Width of each point's interval: whole seconds, at least one (the stored resolution). */
  bucketNs: bigint;
  /** Only intervals with values, in time order. */
  points: RangePoint[];
}

/** Interval widths (s) below a minute: divisors of 60, so that intervals never straddle a minute. */
const SECOND_STEPS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30];
/** Interval widths (min) from a minute on: divisors of an hour, then of a day, then whole days. */
const MINUTE_STEPS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440];

/** The smallest interval width (s) of the steps that is at least `sec`. */
export function roundInterval(sec: number): number {
  for (const s of SECOND_STEPS) if (s >= sec) return s;
  const min = Math.ceil(sec / 60);
  for (const m of MINUTE_STEPS) if (m >= min) return m * 60;
  return Math.ceil(min / 1440) * 1440 * 60;
}

/** The next interval width after `sec` (a step of roundInterval). */
function nextInterval(sec: number): number {
  return roundInterval(sec + 1);
}

/** Whether 1 s rows of `fromSec` may have been rolled up already (their minute rows stand in). */
function mayBeRolledUp(fromSec: number, nowSec: number, fineH: number): boolean {
  // The roll-up runs hourly: allow it an hour, and a clock a little off.
  return fromSec < nowSec - fineH * 3600 + 2 * 3600;
}

export interface RangeOptions {
  /** Now (epoch s) and the fine window (h), for where 1 s rows may be gone; the defaults: the clock, fineHours(). */
  nowSec?: number;
  fineHours?: number;
}

/** A row as the raw query returns it: integer columns may come back as bigint or number, by driver. */
type Row = { startSec: bigint | number; count: bigint | number; min: number; max: number; sketch: Uint8Array };

/**
 * A range at pixel resolution: the range is cut into at most `width` intervals, aligned on
 * whole multiples of their width since the epoch (so that panning does not reshuffle the
 * points); each interval merges the stored buckets that start in it. Interval widths are
 * rounded up to steps that divide a minute, or to whole minutes: a range that needs intervals
 * of a minute or more reads the 1 min rows (a day at 1,500 px: 1,440 rows, not 86,400), a
 * shorter one the 1 s rows, one indexed range read per source either way.
 */
export async function queryRange(db: Db, q: RangeQuery, opts: RangeOptions = {}): Promise<SourceSeries[]> {
  if (!Number.isInteger(q.width) || q.width < 1 || q.width > MAX_WIDTH) throw new RangeError(`width must be 1..${MAX_WIDTH}`);
  if (q.toNs < q.fromNs) throw new RangeError("the range ends before it begins");
  const fromSec0 = secondOf(q.fromNs);
  const toSec = secondOf(q.toNs);
  const spanSec = toSec - fromSec0 + 1;
  // Aligning on multiples of the interval can add one at the edges: widen until it fits.
  const need = Math.max(1, Math.ceil(spanSec / q.width));
  const fits = (b: number) => Math.floor(toSec / b) - Math.floor(fromSec0 / b) + 1 <= q.width;
  let bucketSec = roundInterval(need);
  while (!fits(bucketSec) && bucketSec < 2 * need) bucketSec = nextInterval(bucketSec);
  // A few wide intervals (one point for the last 5 min crossing 13:00) fit no round width short
  // of hours: the smallest whole-second width that fits, as close to the range as it gets.
  if (!fits(bucketSec)) for (bucketSec = need; !fits(bucketSec);) bucketSec++;
  const fromSec = Math.floor(fromSec0 / bucketSec) * bucketSec;
  const resolution: Resolution = bucketSec % 60 === 0 ? 60 : 1;
  const out: SourceSeries[] = [];
  const bins = new BinAccumulator();
  for (const sourceId of q.sourceIds) {
    // Raw SQL (the same in SQLite and PostgreSQL): a third of findMany's CPU for thousands of
    // rows with blobs (measured: 11 vs 30–40 ms for 5,000 rows); a primary-key range scan.
    const range = (res: Resolution): Promise<Row[]> => db.$queryRaw<Row[]>`
      SELECT "startSec", "count", "min", "max", "sketch" FROM "LatencyBucket"
      WHERE "sourceId" = ${sourceId} AND "resolution" = ${res} AND "startSec" >= ${BigInt(res === 60 ? minuteOf(fromSec) : fromSec)} AND "startSec" <= ${BigInt(toSec)}
      ORDER BY "startSec"`;
    let rows: Row[] = await range(resolution);
    if (resolution === 1 && mayBeRolledUp(fromSec, opts.nowSec ?? Math.floor(Date.now() / 1000), opts.fineHours ?? fineHours())) {
      // Seconds older than the fine window are gone: their minute stands in (drawn at the minute's start).
      const seen = new Set(rows.map((r) => minuteOf(Number(r.startSec))));
      const minutes = (await range(60)).filter((r) => !seen.has(Number(r.startSec)) && Number(r.startSec) >= fromSec);
      if (minutes.length > 0) rows = [...rows, ...minutes].sort((x, y) => Number(x.startSec) - Number(y.startSec));
    }
    const points: RangePoint[] = [];
    let cur = -1;
    let acc: { count: number; min: number; max: number } | null = null;
    const emit = () => {
      if (acc === null) return;
      const s = newSketch();
      bins.drainInto(s);
      points.push({
        tNs: epochNs(BigInt(cur) * NS_PER_SEC),
        count: acc.count,
        min: acc.min,
        max: acc.max,
        // The sketch's bins are ±1 %; clamp to the exact extremes so p99 never shows above max.
        p50: clamp(s.getValueAtQuantile(0.5), acc.min, acc.max),
        p90: clamp(s.getValueAtQuantile(0.9), acc.min, acc.max),
        p99: clamp(s.getValueAtQuantile(0.99), acc.min, acc.max),
      });
    };
    for (const r of rows) {
      const sec = Number(r.startSec);
      const start = fromSec + Math.floor((sec - fromSec) / bucketSec) * bucketSec;
      if (start !== cur) {
        emit();
        cur = start;
        acc = { count: 0, min: Infinity, max: -Infinity };
      }
      acc!.count += Number(r.count);
      if (r.min < acc!.min) acc!.min = r.min;
      if (r.max > acc!.max) acc!.max = r.max;
      bins.add(r.sketch);
    }
    emit();
    out.push({ sourceId, bucketNs: BigInt(bucketSec) * NS_PER_SEC, points });
  }
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
