/**
 * The Timeline's answer for a stored trace equals the period analyses' numbers for the same
 * ranges: a demo trace recorded here with real LTTng, read into a latency source's history by
 * the ingest worker, then queried at pixel width. Per interval, count, min and max are
 * periodstats' over exactly that interval (--begin/--end); p50/p90/p99 are within the
 * sketch's relative accuracy of the true quantiles of periodlog's durations; the same at whole
 * minutes, read from the 1 min rows written alongside the seconds.
 */
process.env.TZ = "UTC";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAnalysisPool } from "../analysis/worker-pool";
import { analyzeWithArgs } from "../analysis/testing/analyze";
import { tempDb } from "../testing/db";
import { recordTrace } from "../testing/record";
import { NS_PER_SEC, minuteOf, queryRange, type SourceSeries } from "./history";
import { listIngestJobs, startIngest } from "./ingest-jobs";
import { HISTORY_ACCURACY } from "./sketch";
import type { LatencySource } from "./sources";
import { epochNs } from "../time";

const FIELD = "tracedeck_demo:request_end.latency_ns";
const PERIOD = 'req:$evt.$name == "tracedeck_demo:request_begin" : $evt.$name == "tracedeck_demo:request_end" && $evt.id == $begin.$evt.id';

let dir: string;
let trace: string;
const t = tempDb();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "td-timeline-"));
  const rec = await recordTrace({
    name: "timeline",
    events: ["tracedeck_demo:*"],
    workload: ["--rate", "1500", "--threads", "2", "--duration", "3.5", "--slow-every", "400", "--slow-ms", "6"],
    outDir: dir,
  });
  trace = rec.path;
}, 120_000);

afterAll(async () => {
  await closeAnalysisPool();
  await t.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Cell = { value?: number | bigint | string };
const n = (c: Cell | undefined) => Number(c!.value);

/** periodstats over [begin, end] (epoch ns, inclusive): count, min, max. */
function periodstats(args: string[]): { count: number; min: number; max: number } {
  const [table] = analyzeWithArgs(trace, "periodstats", [...args, "--no-intersection"]).results;
  const row = (table?.data as unknown as Cell[][] | undefined)?.[0];
  return row === undefined ? { count: 0, min: NaN, max: NaN } : { count: n(row[1]), min: n(row[2]), max: n(row[4]) };
}

async function ingest(name: string, def: LatencySource): Promise<number> {
  const src = await t.db.latencySource.create({ data: { name, definition: JSON.stringify(def) } });
  const { job, done } = startIngest(t.db, src.id, def, [trace], trace);
  expect(listIngestJobs().some((j) => j.id === job.id)).toBe(true);
  await done;
  expect([job.state, job.error, job.fraction]).toEqual(["done", null, 1]);
  return src.id;
}

describe("timeline answer = period analyses", () => {
  it("duration field: per interval at 1 s and 2 s pixels, count/min/max exact, quantiles within the sketch's accuracy", async () => {
    const id = await ingest("field", { kind: "field", event: "tracedeck_demo:request_end", field: "latency_ns", unit: "ns" });
    // True durations by end time, from periodlog (one row per request: begin, end, duration, …).
    const [log] = analyzeWithArgs(trace, "periodlog", ["--duration-field", FIELD, "--no-intersection"]).results;
    const durations = (log!.data as unknown as Cell[][]).map((r) => ({ end: BigInt(r[1]!.value as bigint), d: n(r[2]) }));
    expect(durations.length).toBeGreaterThan(4000);
    const first = durations.reduce((a, b) => (b.end < a ? b.end : a), durations[0]!.end);
    const last = durations.reduce((a, b) => (b.end > a ? b.end : a), durations[0]!.end);
    const check = (series: SourceSeries, label: string) => {
      const points = series.points;
      expect(points.reduce((s, p) => s + p.count, 0)).toBe(durations.length);
      for (const p of points) {
        const end = p.tNs + series.bucketNs - 1n;
        expect({ count: p.count, min: p.min, max: p.max }, `${p.tNs} ${label}`).toEqual(
          periodstats(["--duration-field", FIELD, "--begin", String(p.tNs), "--end", String(end)]),
        );
        const vals = durations
          .filter((x) => x.end >= p.tNs && x.end <= end)
          .map((x) => x.d)
          .sort((a, b) => a - b);
        for (const [q, got] of [
          [0.5, p.p50],
          [0.9, p.p90],
          [0.99, p.p99],
        ] as const) {
          const truth = vals[Math.floor(q * (vals.length - 1))]!;
          expect(Math.abs(got - truth) / truth, `p${q * 100} at ${p.tNs} ${label}`).toBeLessThanOrEqual(HISTORY_ACCURACY + 1e-12);
        }
      }
    };
    for (const width of [4000, 2]) {
      const [series] = await queryRange(t.db, { sourceIds: [id], fromNs: epochNs(first), toNs: epochNs(last), width });
      if (width === 2) expect(series!.bucketNs).toBeGreaterThanOrEqual(2n * NS_PER_SEC);
      check(series!, `width ${width}`);
    }
    // Whole minutes at one pixel each: the 1 min rows written alongside the seconds are read.
    const m0 = BigInt(minuteOf(Number(first / NS_PER_SEC)));
    const m1 = BigInt(minuteOf(Number(last / NS_PER_SEC)));
    const minutes = Number((m1 - m0) / 60n) + 1;
    const [perMinute] = await queryRange(t.db, {
      sourceIds: [id],
      fromNs: epochNs(m0 * NS_PER_SEC),
      toNs: epochNs((m1 + 60n) * NS_PER_SEC - 1n),
      width: minutes,
    });
    expect(perMinute!.bucketNs).toBe(60n * NS_PER_SEC);
    const stored = await t.db.latencyBucket.count({ where: { sourceId: id, resolution: 60 } });
    expect(stored).toBe(perMinute!.points.length);
    check(perMinute!, "1 min");
  });

  it("begin/end period paired by id: the whole trace's count, min and max are periodstats'", async () => {
    const id = await ingest("period", { kind: "period", definition: PERIOD });
    const [series] = await queryRange(t.db, { sourceIds: [id], fromNs: epochNs(0n), toNs: epochNs(4_000_000_000n * NS_PER_SEC), width: 1 });
    const [p] = series!.points;
    expect({ count: p!.count, min: p!.min, max: p!.max }).toEqual(periodstats(["--period", PERIOD]));
  });
});
