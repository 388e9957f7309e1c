/**
 * The Tracedeck side of `npm run bench -- spikes` (bundled and run by scripts/bench/spikes.mjs):
 * fills a latency source's history with 10 M values (1 s buckets and their 1 min buckets, as the
 * recorder and the ingest write them) in the SQLite file given, then times `queryRange` at
 * 1,500 px (wall and this process's CPU time), with the exact answer from the raw values (sort
 * per pixel) as the reference. Prints JSON lines. Never asserts.
 */
// @ts-expect-error: plain ESM script without type declarations
import { migrateSqlite } from "../../migrate.mjs";
import { openDb } from "../../../server/db";
import { epochNs } from "../../../server/time";
import { NS_PER_SEC, SecondBuckets, queryRange, replaceBuckets } from "../../../server/spikes/history";

const [file = "", valuesArg = "10000000", ratesArg = "2000"] = process.argv.slice(2);
const VALUES = Number(valuesArg);
const WIDTH = 1500;
const RUNS = 7;
(migrateSqlite as (f: string) => string[])(file);
const db = openDb(`file:${file}`);
const T0 = 1_779_999_960;

/** A seeded generator (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const rate of ratesArg.split(",").map(Number)) {
  const seconds = Math.ceil(VALUES / rate);
  const src = await db.latencySource.create({
    data: { name: `bench-${rate}-${Date.now()}`, definition: JSON.stringify({ kind: "field", event: "e", field: "d", unit: "ns" }) },
  });
  const r = rng(rate);
  // Raw values kept for the reference answer: 10 M doubles (80 MB).
  const raw = new Float64Array(VALUES);
  const t0 = performance.now();
  const CHUNK = 3600;
  let i = 0;
  for (let s0 = 0; s0 < seconds; s0 += CHUNK) {
    const sb = new SecondBuckets();
    for (let s = s0; s < Math.min(seconds, s0 + CHUNK); s++)
      for (let k = 0; k < rate && i < VALUES; k++, i++) {
        // Demo-like: ~50–300 µs, one in 2,000 at 60 ms.
        const v = r() < 0.0005 ? 60e6 + r() * 1e6 : 50_000 + r() * 250_000;
        raw[i] = v;
        sb.add(T0 + s, v);
      }
    const stored = sb.toStored();
    await replaceBuckets(db, src.id, stored[0]!.startSec, stored.at(-1)!.startSec, stored);
  }
  const fillS = (performance.now() - t0) / 1000;
  const q = { sourceIds: [src.id], fromNs: epochNs(BigInt(T0) * NS_PER_SEC), toNs: epochNs(BigInt(T0 + seconds) * NS_PER_SEC - 1n), width: WIDTH };
  const times: number[] = [];
  const cpu: number[] = [];
  let points = 0;
  let intervalS = 0;
  for (let k = 0; k < RUNS; k++) {
    const c0 = process.cpuUsage();
    const a = performance.now();
    const [series] = await queryRange(db, q);
    times.push(performance.now() - a);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    points = series!.points.length;
    intervalS = Number(series!.bucketNs / NS_PER_SEC);
  }
  // Reference: the exact per-pixel answer from the raw values (what a store of raw values would do).
  const a = performance.now();
  const bucketSec = Math.ceil(seconds / WIDTH);
  const perPixel = Math.ceil(seconds / bucketSec);
  const idx = new Int32Array(perPixel + 1);
  for (let p = 0; p <= perPixel; p++) idx[p] = Math.min(VALUES, p * bucketSec * rate);
  for (let p = 0; p < perPixel; p++) {
    const slice = raw.slice(idx[p]!, idx[p + 1]!).sort();
    void slice[Math.floor(0.99 * (slice.length - 1))];
  }
  const exactMs = performance.now() - a;
  const buckets = await db.latencyBucket.count({ where: { sourceId: src.id, resolution: 1 } });
  const minutes = await db.latencyBucket.count({ where: { sourceId: src.id, resolution: 60 } });
  console.log(
    JSON.stringify({
      rate,
      values: VALUES,
      seconds,
      buckets,
      minutes,
      intervalS,
      fillS,
      width: WIDTH,
      points,
      bestMs: Math.min(...times),
      medianMs: median(times),
      cpuBestMs: Math.min(...cpu),
      cpuMedianMs: median(cpu),
      exactSortMs: exactMs,
      sourceId: src.id,
      fromNs: q.fromNs.toString(),
      toNs: q.toNs.toString(),
    }),
  );
}
await db.$disconnect();
