/**
 * Latency history retention: 1 s buckets older than a day (TRACEDECK_LATENCY_FINE_HOURS) are
 * merged into 1 min buckets and deleted. Buckets are mergeable, so the minute's count, min,
 * max and sum are exact and its sketch is the union of the seconds' sketches.
 */
import { z } from "zod";
import type { Db } from "../db";
import { Bucket } from "./history";

export const DEFAULT_FINE_HOURS = 24;

/** Hours 1 s buckets are kept before being rolled up (env TRACEDECK_LATENCY_FINE_HOURS, 1..8760). */
export function fineHours(env: Record<string, string | undefined> = process.env): number {
  const r = z.coerce
    .number()
    .int()
    .min(1)
    .max(8760)
    .safeParse(env.TRACEDECK_LATENCY_FINE_HOURS ?? DEFAULT_FINE_HOURS);
  return r.success ? r.data : DEFAULT_FINE_HOURS;
}

export interface RollupResult {
  /** 1 s rows merged and deleted. */
  seconds: number;
  /** 1 min rows written (created or grown). */
  minutes: number;
}

/** Rows read per transaction: a bounded amount of work and memory per step. */
const BATCH = 3600;

/**
 * Rolls up the 1 s buckets that start before `cutoffSec` (epoch s; rounded down to a whole
 * minute so no minute is split between the two resolutions).
 */
export async function rollUp(db: Db, cutoffSec: number): Promise<RollupResult> {
  const cutoff = BigInt(Math.floor(cutoffSec / 60) * 60);
  const out: RollupResult = { seconds: 0, minutes: 0 };
  for (;;) {
    const rows = await db.latencyBucket.findMany({
      where: { resolution: 1, startSec: { lt: cutoff } },
      orderBy: [{ sourceId: "asc" }, { startSec: "asc" }],
      take: BATCH,
    });
    if (rows.length === 0) return out;
    const minutes = new Map<string, { sourceId: number; minute: bigint; bucket: Bucket; secs: bigint[] }>();
    for (const r of rows) {
      const minute = r.startSec - (((r.startSec % 60n) + 60n) % 60n);
      const key = `${r.sourceId}:${minute}`;
      let m = minutes.get(key);
      if (m === undefined) minutes.set(key, (m = { sourceId: r.sourceId, minute, bucket: new Bucket(), secs: [] }));
      m.bucket.mergeStored({ startSec: Number(r.startSec), count: r.count, min: r.min, max: r.max, sum: r.sum, sketch: r.sketch });
      m.secs.push(r.startSec);
    }
    await db.$transaction(async (tx) => {
      for (const m of minutes.values()) {
        const key = { sourceId_resolution_startSec: { sourceId: m.sourceId, resolution: 60, startSec: m.minute } };
        // A minute split over two batches (or rolled up before, then written late) merges.
        const prev = await tx.latencyBucket.findUnique({ where: key });
        if (prev !== null)
          m.bucket.mergeStored({ startSec: Number(prev.startSec), count: prev.count, min: prev.min, max: prev.max, sum: prev.sum, sketch: prev.sketch });
        const s = m.bucket.toStored(Number(m.minute));
        const data = {
          sourceId: m.sourceId,
          resolution: 60,
          startSec: m.minute,
          count: s.count,
          min: s.min,
          max: s.max,
          sum: s.sum,
          sketch: s.sketch as Uint8Array<ArrayBuffer>,
        };
        await tx.latencyBucket.upsert({ where: key, create: data, update: data });
        await tx.latencyBucket.deleteMany({ where: { sourceId: m.sourceId, resolution: 1, startSec: { in: m.secs } } });
        out.minutes++;
        out.seconds += m.secs.length;
      }
    });
  }
}
