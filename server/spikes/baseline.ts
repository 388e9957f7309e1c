/**
 * The rolling p99 behind relative thresholds ("3 × the p99 of the last 10 minutes"), read from
 * the latency history (one merged sketch over the window) and cached: the detector asks on
 * every value over its hot path, the database is asked at most once per `refreshMs` per
 * (source, window), in the background.
 */
import type { Db } from "../db";
import type { Baseline } from "./detector";
import { queryRange } from "./history";
import { epochNs } from "../time";

interface Entry {
  p99: number | null;
  at: number;
  pending: boolean;
}

export class HistoryBaseline implements Baseline {
  private readonly cache = new Map<string, Entry>();

  constructor(
    private readonly db: Db,
    private readonly refreshMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  p99Ns(sourceId: number, windowMin: number): number | null {
    const key = `${sourceId}/${windowMin}`;
    let e = this.cache.get(key);
    if (!e) this.cache.set(key, (e = { p99: null, at: -Infinity, pending: false }));
    if (!e.pending && this.now() - e.at >= this.refreshMs) void this.refresh(e, sourceId, windowMin);
    return e.p99;
  }

  /** Reads the window's p99 now (tests; the detector's calls refresh in the background). */
  async refreshNow(sourceId: number, windowMin: number): Promise<number | null> {
    const key = `${sourceId}/${windowMin}`;
    const e = this.cache.get(key) ?? { p99: null, at: -Infinity, pending: false };
    this.cache.set(key, e);
    await this.refresh(e, sourceId, windowMin);
    return e.p99;
  }

  private async refresh(e: Entry, sourceId: number, windowMin: number): Promise<void> {
    e.pending = true;
    try {
      const toNs = epochNs(BigInt(this.now()) * 1_000_000n);
      const fromNs = epochNs(toNs - BigInt(windowMin) * 60_000_000_000n);
      const [series] = await queryRange(this.db, { sourceIds: [sourceId], fromNs, toNs, width: 1 });
      const p = series?.points[0];
      e.p99 = p && p.count > 0 ? p.p99 : null;
      e.at = this.now();
    } catch {
      // The history cannot answer now: keep the last known baseline, ask again later.
      e.at = this.now();
    } finally {
      e.pending = false;
    }
  }
}
