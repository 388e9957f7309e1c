/**
 * Latency history on a real SQLite file: live buckets flushed and merged with what is stored,
 * a stored trace's buckets replacing a window, and range queries at pixel width (counts,
 * min, max exact; quantiles within the sketch's relative accuracy of the true ones).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db";
import { tempDb } from "../testing/db";
import { HistoryWriter, NS_PER_SEC, SecondBuckets, queryRange, replaceBuckets, secondOf } from "./history";
import { BinAccumulator, HISTORY_ACCURACY, decodeSketch, encodeSketch, newSketch } from "./sketch";
import { epochNs } from "../time";

let t: ReturnType<typeof tempDb>;
let db: Db;
const T0 = 1_779_999_960; // epoch s, a whole minute

beforeAll(() => {
  t = tempDb();
  db = t.db;
});
afterAll(async () => {
  await t.cleanup();
});

async function source(name: string): Promise<number> {
  const s = await db.latencySource.create({ data: { name, definition: JSON.stringify({ kind: "field", event: "e", field: "d", unit: "ns" }) } });
  return s.id;
}

/** The true q-quantile as DDSketch defines its rank: the value at rank q·(n−1). */
function trueQuantile(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

/** A seeded generator (mulberry32): the same values every run. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe("sketch encoding", () => {
  it("round-trips the library's bins (quantiles unchanged)", () => {
    const s = newSketch();
    const r = rng(1);
    for (let i = 0; i < 5000; i++) s.accept(i % 100 === 0 ? 0 : 1000 + r() * 1e8);
    const back = decodeSketch(encodeSketch(s));
    expect(back.count).toBe(s.count);
    for (const q of [0, 0.1, 0.5, 0.9, 0.99, 1]) expect(back.getValueAtQuantile(q)).toBe(s.getValueAtQuantile(q));
    expect(() => decodeSketch(new Uint8Array([1, 0, 5]))).toThrow(/truncated/);
  });
});

describe("BinAccumulator", () => {
  it("adds stored sketches up to what one sketch of all their values holds (zeros, negatives, far keys), refuses truncated ones", () => {
    const r = rng(3);
    // The reference: one sketch that saw every value.
    const want = newSketch();
    const parts = [0, 1, 2, 3].map((k) => {
      const s = newSketch();
      for (let i = 0; i < 1000; i++) {
        const v = i % 50 === 0 ? 0 : i % 97 === 0 ? -r() * 1e4 : k === 3 && i % 10 === 0 ? 1e-30 : 100 + r() * 1e7 * (k + 1);
        s.accept(v);
        want.accept(v);
      }
      return s;
    });
    const acc = new BinAccumulator();
    for (const s of parts) acc.add(encodeSketch(s));
    const got = newSketch();
    acc.drainInto(got);
    expect(got.count).toBe(want.count);
    for (const q of [0, 0.01, 0.1, 0.5, 0.9, 0.99, 1]) expect(got.getValueAtQuantile(q)).toBe(want.getValueAtQuantile(q));
    const whole = encodeSketch(parts[0]!);
    for (const cut of [0, 1, 2, whole.length - 1]) expect(() => new BinAccumulator().add(whole.subarray(0, cut))).toThrow(/truncated/);
    expect(() => new BinAccumulator().add(new Uint8Array([9, 0, 0, 0]))).toThrow(/format/);
  });
});

describe("secondOf", () => {
  it("floors, also before 1970", () => {
    expect(secondOf(epochNs(1_500_000_000_999_999_999n))).toBe(1_500_000_000);
    expect(secondOf(epochNs(-1n))).toBe(-1);
    expect(secondOf(epochNs(-1_000_000_000n))).toBe(-1);
  });
});

describe("HistoryWriter", () => {
  it("flushes per-second buckets, merges late values and what another writer stored", async () => {
    const id = await source("w");
    const w = new HistoryWriter(db);
    const seen: number[] = [];
    const off = w.onValue((sid, _ts, v) => sid === id && seen.push(v));
    const at = (sec: number, frac: number) => BigInt(sec) * NS_PER_SEC + BigInt(frac);
    w.add(id, epochNs(at(T0, 1)), 100);
    w.add(id, epochNs(at(T0, 999_999_999)), 300);
    w.add(id, epochNs(at(T0 + 1, 0)), 50);
    await w.flush();
    w.add(id, epochNs(at(T0, 5)), 10); // late value of a flushed second
    await w.flush();
    off();
    w.add(id, epochNs(at(T0, 6)), 7);
    await w.stop();
    expect(seen).toEqual([100, 300, 50, 10]);
    // A second writer (a restart) adds to the same second: merged with the stored row.
    const w2 = new HistoryWriter(db);
    w2.add(id, epochNs(at(T0, 7)), 1000);
    await w2.stop();
    const rows = await db.latencyBucket.findMany({ where: { sourceId: id }, orderBy: [{ resolution: "asc" }, { startSec: "asc" }] });
    // The minute, written alongside, holds both seconds.
    expect(rows.map((r) => [Number(r.startSec), r.resolution, r.count, r.min, r.max, r.sum])).toEqual([
      [T0, 1, 5, 7, 1000, 1417],
      [T0 + 1, 1, 1, 50, 50, 50],
      [T0, 60, 6, 7, 1000, 1467],
    ]);
    expect(decodeSketch(rows[2]!.sketch).count).toBe(6);
    expect(decodeSketch(rows[0]!.sketch).count).toBe(5);
  });
});

describe("queryRange", () => {
  it("answers at pixel width: exact count/min/max, quantiles within the sketch's accuracy", async () => {
    const id = await source("q");
    const r = rng(7);
    const perSec = new Map<number, number[]>();
    const sb = new SecondBuckets();
    for (let s = 0; s < 600; s++)
      for (let i = 0; i < 50; i++) {
        const v = Math.round(20_000 + r() * 1e6 * (r() < 0.02 ? 60 : 1));
        sb.add(T0 + s, v);
        const a = perSec.get(T0 + s) ?? [];
        a.push(v);
        perSec.set(T0 + s, a);
      }
    await replaceBuckets(db, id, T0, T0 + 599, sb.toStored());
    const [series] = await queryRange(db, {
      sourceIds: [id],
      fromNs: epochNs(BigInt(T0) * NS_PER_SEC),
      toNs: epochNs(BigInt(T0 + 599) * NS_PER_SEC + 999_999_999n),
      width: 100,
    });
    expect(series!.bucketNs).toBe(6n * NS_PER_SEC);
    expect(series!.points).toHaveLength(100);
    for (const p of series!.points) {
      const sec = Number(p.tNs / NS_PER_SEC);
      const vals = Array.from({ length: 6 }, (_, i) => perSec.get(sec + i)!)
        .flat()
        .sort((a, b) => a - b);
      expect(p.count).toBe(vals.length);
      expect(p.min).toBe(vals[0]);
      expect(p.max).toBe(vals.at(-1));
      for (const [q, got] of [
        [0.5, p.p50],
        [0.9, p.p90],
        [0.99, p.p99],
      ] as const)
        expect(Math.abs(got - trueQuantile(vals, q)) / trueQuantile(vals, q)).toBeLessThanOrEqual(HISTORY_ACCURACY + 1e-9);
    }
    // Unaligned: never more points than pixels.
    const [shifted] = await queryRange(db, {
      sourceIds: [id],
      fromNs: epochNs(BigInt(T0 + 1) * NS_PER_SEC),
      toNs: epochNs(BigInt(T0 + 599) * NS_PER_SEC),
      width: 100,
    });
    expect(shifted!.points.length).toBeLessThanOrEqual(100);
    expect(shifted!.points.reduce((n, p) => n + p.count, 0)).toBe(600 * 50);
    // A window inside: only its buckets, aligned on whole multiples of the interval.
    const [inner] = await queryRange(db, {
      sourceIds: [id],
      fromNs: epochNs(BigInt(T0 + 100) * NS_PER_SEC),
      toNs: epochNs(BigInt(T0 + 109) * NS_PER_SEC),
      width: 4000,
    });
    expect(inner!.bucketNs).toBe(NS_PER_SEC);
    expect(inner!.points.map((p) => Number(p.tNs / NS_PER_SEC) - T0)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    // Replacing a window drops what it held before.
    await replaceBuckets(db, id, T0, T0 + 599, []);
    const [empty] = await queryRange(db, {
      sourceIds: [id],
      fromNs: epochNs(BigInt(T0) * NS_PER_SEC),
      toNs: epochNs(BigInt(T0 + 599) * NS_PER_SEC),
      width: 100,
    });
    expect(empty!.points).toEqual([]);
  });

  it("reads the 1 min rows for intervals of whole minutes: exact, and kept in step with the seconds a trace replaces", async () => {
    const id = await source("minutes");
    const r = rng(11);
    const vals = new Map<number, number[]>();
    const fill = (from: number, to: number, scale: number) => {
      const sb = new SecondBuckets();
      for (let s = from; s <= to; s++) {
        const a: number[] = [];
        for (let i = 0; i < 20; i++) {
          const v = Math.round(10_000 + r() * scale);
          sb.add(T0 + s, v);
          a.push(v);
        }
        vals.set(T0 + s, a);
      }
      return sb.toStored();
    };
    // 3 hours, then a trace replacing 90 s that straddle two minutes with larger values.
    await replaceBuckets(db, id, T0, T0 + 10_799, fill(0, 10_799, 1e6));
    await replaceBuckets(db, id, T0 + 1_000, T0 + 1_089, fill(1_000, 1_089, 5e7));
    const q = { sourceIds: [id], fromNs: epochNs(BigInt(T0) * NS_PER_SEC), toNs: epochNs(BigInt(T0 + 10_799) * NS_PER_SEC), width: 100 };
    const [series] = await queryRange(db, q);
    // 108 s per pixel rounds up to 2 min: 90 points, each two 1 min rows.
    expect(series!.bucketNs).toBe(120n * NS_PER_SEC);
    expect(series!.points).toHaveLength(90);
    for (const p of series!.points) {
      const sec = Number(p.tNs / NS_PER_SEC);
      const v = Array.from({ length: 120 }, (_, i) => vals.get(sec + i)!)
        .flat()
        .sort((a, b) => a - b);
      expect([p.count, p.min, p.max]).toEqual([v.length, v[0], v.at(-1)]);
      for (const [qq, got] of [
        [0.5, p.p50],
        [0.9, p.p90],
        [0.99, p.p99],
      ] as const)
        expect(Math.abs(got - trueQuantile(v, qq)) / trueQuantile(v, qq)).toBeLessThanOrEqual(HISTORY_ACCURACY + 1e-9);
    }
    // Only whole minutes were read: the same answer with the seconds gone.
    await db.latencyBucket.deleteMany({ where: { sourceId: id, resolution: 1 } });
    expect(await queryRange(db, q)).toEqual([series]);
    // A fine range whose seconds are gone (older than the fine window): each minute stands in at its start.
    const [fine] = await queryRange(db, { ...q, toNs: epochNs(BigInt(T0 + 299) * NS_PER_SEC), width: 300 }, { nowSec: T0 + 30 * 3600, fineHours: 24 });
    expect(fine!.bucketNs).toBe(NS_PER_SEC);
    expect(fine!.points.map((p) => [Number(p.tNs / NS_PER_SEC) - T0, p.count])).toEqual([0, 60, 120, 180, 240].map((s) => [s, 1200]));
  });

  it("keeps a one-point range close to the range when no round width fits it (a rolling baseline's window)", async () => {
    const id = await source("baseline");
    const hour = Math.ceil(T0 / 3600) * 3600;
    // The last 5 minutes, across a whole hour: a round width fitting them in one point would be 2 h.
    const [one] = await queryRange(db, {
      sourceIds: [id],
      fromNs: epochNs(BigInt(hour - 120) * NS_PER_SEC),
      toNs: epochNs(BigInt(hour + 179) * NS_PER_SEC),
      width: 1,
    });
    expect(one!.bucketNs).toBeLessThanOrEqual(600n * NS_PER_SEC);
    expect(one!.bucketNs).toBeGreaterThanOrEqual(300n * NS_PER_SEC);
  });

  it("refuses a width it would not draw and a reversed range", async () => {
    await expect(queryRange(db, { sourceIds: [], fromNs: epochNs(0n), toNs: epochNs(1n), width: 4001 })).rejects.toThrow(/width/);
    await expect(queryRange(db, { sourceIds: [], fromNs: epochNs(5n), toNs: epochNs(1n), width: 10 })).rejects.toThrow(/ends before/);
  });
});
