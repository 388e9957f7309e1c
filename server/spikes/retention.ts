/**
 * Latency history retention: 1 s buckets older than a day (TRACEDECK_LATENCY_FINE_HOURS) are
 * deleted; their 1 min buckets, written alongside them (history.ts), stay. Buckets are
 * mergeable, so a minute's count, min, max and sum are exact and its sketch is the union of
 * its seconds' sketches. A minute missing for its seconds (a history written before minutes
 * were written alongside) is built from them first, so nothing is lost.
 */
import type { Db } from "../db";
import { Bucket, fromRow, minuteOf } from "./history";

export { DEFAULT_FINE_HOURS, fineHours } from "./history";

export interface RollupResult {
  /** 1 s rows deleted (their minutes hold them). */
  seconds: number;
  /** 1 min rows built from seconds that had none. */
  minutes: number;
}

/** Minutes built per transaction: a bounded amount of work and memory per step. */
const BATCH = 60;

/** Builds the 1 min bucket of every minute that has 1 s buckets and no 1 min bucket. */
export async function buildMissingMinutes(db: Db): Promise<number> {
  // Integer division on BIGINT is the same in SQLite and PostgreSQL for the non-negative seconds.
  const missing = await db.$queryRaw<{ sourceId: number; minute: bigint }[]>`
    SELECT DISTINCT b."sourceId" AS "sourceId", (b."startSec" / 60) * 60 AS "minute"
    FROM "LatencyBucket" b
    WHERE b."resolution" = 1 AND b."startSec" >= 0 AND NOT EXISTS (
      SELECT 1 FROM "LatencyBucket" m
      WHERE m."sourceId" = b."sourceId" AND m."resolution" = 60 AND m."startSec" = (b."startSec" / 60) * 60)`;
  for (let i = 0; i < missing.length; i += BATCH)
    await db.$transaction(async (tx) => {
      for (const { sourceId, minute } of missing.slice(i, i + BATCH)) {
        const m = Number(minute);
        const secs = await tx.latencyBucket.findMany({
          where: { sourceId: Number(sourceId), resolution: 1, startSec: { gte: BigInt(m), lte: BigInt(m + 59) } },
        });
        const b = new Bucket();
        for (const r of secs) b.mergeStored(fromRow(r));
        const s = b.toStored(m);
        await tx.latencyBucket.create({
          data: {
            sourceId: Number(sourceId),
            resolution: 60,
            startSec: BigInt(m),
            count: s.count,
            min: s.min,
            max: s.max,
            sum: s.sum,
            sketch: s.sketch as Uint8Array<ArrayBuffer>,
          },
        });
      }
    });
  return missing.length;
}

/**
 * Deletes the 1 s buckets that start before `cutoffSec` (epoch s; rounded down to a whole
 * minute so no minute loses only some of its seconds), once every minute has its 1 min bucket.
 */
export async function rollUp(db: Db, cutoffSec: number): Promise<RollupResult> {
  const minutes = await buildMissingMinutes(db);
  const { count } = await db.latencyBucket.deleteMany({ where: { resolution: 1, startSec: { lt: BigInt(minuteOf(cutoffSec)) } } });
  return { seconds: count, minutes };
}
