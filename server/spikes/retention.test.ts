/** Retention of 1 s buckets behind their 1 min buckets (real SQLite file): nothing counted twice or lost. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDb } from "../testing/db";
import { NS_PER_SEC, SecondBuckets, queryRange, replaceBuckets, rowData } from "./history";
import { fineHours, rollUp } from "./retention";
import { decodeSketch } from "./sketch";
import { epochNs } from "../time";

let t: ReturnType<typeof tempDb>;
beforeAll(() => {
  t = tempDb();
});
afterAll(async () => {
  await t.cleanup();
});

const M0 = 1_779_999_960; // a whole minute

describe("rollUp", () => {
  it("keeps the minutes written alongside the seconds, exact, and deletes the seconds before the cutoff", async () => {
    const db = t.db;
    const src = await db.latencySource.create({ data: { name: "r", definition: "{}" } });
    const sb = new SecondBuckets();
    const all: number[] = [];
    // 3 minutes and 30 s of values, 7 per second, deterministic.
    for (let s = 0; s < 210; s++)
      for (let i = 0; i < 7; i++) {
        const v = 1000 + ((s * 7919 + i * 104729) % 50_000);
        sb.add(M0 + s, v);
        all.push(v);
      }
    await replaceBuckets(db, src.id, M0, M0 + 209, sb.toStored());
    const before = await queryRange(db, {
      sourceIds: [src.id],
      fromNs: epochNs(BigInt(M0) * NS_PER_SEC),
      toNs: epochNs(BigInt(M0 + 209) * NS_PER_SEC),
      width: 1,
    });
    // Cutoff in the middle of the third minute: only the first two minutes lose their seconds.
    const r = await rollUp(db, M0 + 150);
    expect(r).toEqual({ seconds: 120, minutes: 0 });
    const rows = await db.latencyBucket.findMany({ where: { sourceId: src.id }, orderBy: [{ resolution: "desc" }, { startSec: "asc" }] });
    const minutes = rows.filter((x) => x.resolution === 60);
    expect(minutes.map((m) => Number(m.startSec))).toEqual([M0, M0 + 60, M0 + 120, M0 + 180]);
    for (const [k, m] of minutes.entries()) {
      const vals = all.slice(k * 60 * 7, (k + 1) * 60 * 7);
      expect([m.count, m.min, m.max, m.sum]).toEqual([vals.length, Math.min(...vals), Math.max(...vals), vals.reduce((a, b) => a + b, 0)]);
      expect(decodeSketch(m.sketch).count).toBe(vals.length);
    }
    expect(rows.filter((x) => x.resolution === 1).map((x) => Number(x.startSec))).toEqual(Array.from({ length: 90 }, (_, i) => M0 + 120 + i));
    // The whole range reads the same before and after (one point: every bucket merged).
    const after = await queryRange(db, {
      sourceIds: [src.id],
      fromNs: epochNs(BigInt(M0) * NS_PER_SEC),
      toNs: epochNs(BigInt(M0 + 209) * NS_PER_SEC),
      width: 1,
    });
    expect(after).toEqual(before);
    // Again: nothing left before the cutoff; later seconds of a rolled-up minute merge into it.
    expect(await rollUp(db, M0 + 150)).toEqual({ seconds: 0, minutes: 0 });
    const late = new SecondBuckets();
    late.add(M0 + 5, 1);
    await replaceBuckets(db, src.id, M0 + 5, M0 + 5, late.toStored());
    expect(await rollUp(db, M0 + 150)).toEqual({ seconds: 1, minutes: 0 });
    const first = await db.latencyBucket.findUnique({ where: { sourceId_resolution_startSec: { sourceId: src.id, resolution: 60, startSec: BigInt(M0) } } });
    expect([first!.count, first!.min]).toEqual([421, 1]);
  });

  it("builds the minute of seconds stored without one (a history from before minutes were written) before deleting them", async () => {
    const db = t.db;
    const src = await db.latencySource.create({ data: { name: "legacy", definition: "{}" } });
    const sb = new SecondBuckets();
    for (let s = 0; s < 90; s++) sb.add(M0 + s, 100 + s);
    await db.latencyBucket.createMany({ data: sb.toStored().map((b) => rowData(src.id, 1, b)) });
    expect(await rollUp(db, M0 + 60)).toEqual({ seconds: 60, minutes: 2 });
    const rows = await db.latencyBucket.findMany({ where: { sourceId: src.id, resolution: 60 }, orderBy: { startSec: "asc" } });
    expect(rows.map((m) => [Number(m.startSec), m.count, m.min, m.max])).toEqual([
      [M0, 60, 100, 159],
      [M0 + 60, 30, 160, 189],
    ]);
    expect(await db.latencyBucket.count({ where: { sourceId: src.id, resolution: 1 } })).toBe(30);
  });

  it("reads the fine-bucket age from the environment, bounded", () => {
    expect(fineHours({})).toBe(24);
    expect(fineHours({ TRACEDECK_LATENCY_FINE_HOURS: "48" })).toBe(48);
    expect(fineHours({ TRACEDECK_LATENCY_FINE_HOURS: "0" })).toBe(24);
    expect(fineHours({ TRACEDECK_LATENCY_FINE_HOURS: "x" })).toBe(24);
  });
});
