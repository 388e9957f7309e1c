/**
 * One browser (or API client) watching a live channel: its filter, a bounded queue, and the
 * messages it has not read yet. The channel never waits for a subscriber: when the queue is
 * full, the events that matched since the last read are reservoir-sampled into it (every one
 * had the same chance to be kept), and the batch says how many were skipped.
 *
 * A subscriber that has read everything offered so far gets the next batch whole (up to
 * MAX_QUEUE_EVENTS), even past its capacity: it has not fallen behind, the batch is one
 * round of the relay (one packet per stream, often more than 5,000 events at high rates),
 * and a whole batch is packed once for every subscriber that takes it.
 *
 * The queue holds places (batch, index), not events: what is read is packed into one
 * `LiveEvents` (server/shared/live-events.ts), buffer to buffer.
 */
import { packChunks, type LiveEvents } from "../shared/live-events";
import { serverTimeOfDay, type EventBatch } from "./batch";
import type { LiveFilter } from "./filter";
import type { LiveMessage, SubscriberStats } from "./wire";

export const DEFAULT_QUEUE_EVENTS = 5_000;
export const MIN_QUEUE_EVENTS = 100;
export const MAX_QUEUE_EVENTS = 50_000;
/** Control messages (status, gap, stats) kept at most; older ones of the same kind are dropped first. */
const MAX_CONTROL = 64;

export class Subscriber {
  readonly stats: SubscriberStats = { matched: 0, delivered: 0, skipped: 0 };
  /** A whole batch taken by a reader that was up to date (no per-event place kept). */
  private whole: EventBatch | undefined;
  /** The queue: event `qIndex[k]` of batch `qBatch[k]`. */
  private qBatch: EventBatch[] = [];
  private qIndex: number[] = [];
  /** Matched events since the queue filled up (reservoir size), 0 while not sampling. */
  private seenWhileFull = 0;
  private skippedSinceRead = 0;
  private control: LiveMessage[] = [];
  private wake: (() => void) | undefined;
  private closed = false;

  constructor(
    readonly filter: LiveFilter,
    readonly capacity = DEFAULT_QUEUE_EVENTS,
    private readonly random: () => number = Math.random,
  ) {}

  private get queued(): number {
    return this.whole ? this.whole.length : this.qBatch.length;
  }

  /**
   * Takes what matches from a batch. The worker has evaluated this filter when the batch
   * names it (a mask bit); otherwise (a filter added while the batch was on its way, or
   * past the worker's bits) it is evaluated here, on the event as an object.
   */
  offer(batch: EventBatch): void {
    if (this.closed) return;
    const f = this.filter;
    const bit = f.all ? -1 : batch.bitOf(f.key);
    const n = batch.length;
    const queued = this.queued;
    // The reservoir: the capacity, a whole batch for a reader that has read everything, or
    // what the queue already holds (a sample stays uniform over all that matched since the last read).
    const cap = Math.max(this.capacity, queued === 0 ? Math.min(n, MAX_QUEUE_EVENTS) : queued);
    if (f.all && queued === 0 && n <= cap) {
      // Everything, and the reader is up to date: the batch itself, no work per event.
      this.whole = batch;
      this.stats.matched += n;
      if (n > 0) this.notify();
      return;
    }
    if (this.whole) {
      const w = this.whole;
      this.whole = undefined;
      for (let i = 0; i < w.length; i++) this.place(w, i);
    }
    const qb = this.qBatch;
    const qi = this.qIndex;
    let added = false;
    for (let i = 0; i < n; i++) {
      if (!f.all) {
        if (bit >= 0 ? !batch.matches(i, bit) : !f.name(batch.name(i)) || (f.where !== undefined && !f.where(batch.event(i)))) continue;
      }
      this.stats.matched++;
      added = true;
      if (qb.length < cap) {
        this.place(batch, i);
        continue;
      }
      // Reservoir sampling (algorithm R) over what matched since the queue filled.
      if (this.seenWhileFull === 0) this.seenWhileFull = cap;
      this.seenWhileFull++;
      this.stats.skipped++;
      this.skippedSinceRead++;
      const j = Math.floor(this.random() * this.seenWhileFull);
      if (j < cap) {
        qb[j] = batch;
        qi[j] = i;
      }
    }
    if (added) this.notify();
  }

  private place(batch: EventBatch, i: number): void {
    this.qBatch.push(batch);
    this.qIndex.push(i);
  }

  push(m: LiveMessage): void {
    if (this.closed) return;
    if (m.kind === "stats") this.control = this.control.filter((c) => c.kind !== "stats");
    this.control.push(m);
    if (this.control.length > MAX_CONTROL) this.control.splice(0, this.control.length - MAX_CONTROL);
    this.notify();
  }

  /** No more messages after those pending; `next()` then returns null. */
  close(): void {
    this.closed = true;
    this.notify();
  }

  /** Waits for the next messages (control first, then one events batch); null once closed and drained. */
  async next(signal?: AbortSignal): Promise<LiveMessage[] | null> {
    for (;;) {
      const out = this.take();
      if (out.length > 0) return out;
      if (this.closed || signal?.aborted) return null;
      let onAbort: (() => void) | undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        onAbort = resolve;
        signal?.addEventListener("abort", onAbort, { once: true });
      });
      if (onAbort) signal?.removeEventListener("abort", onAbort);
      this.wake = undefined;
    }
  }

  private take(): LiveMessage[] {
    const out = this.control;
    this.control = [];
    let parts: LiveEvents[] = [];
    let sampled = false;
    let skipped = 0;
    if (this.whole) {
      parts = this.whole.all();
      this.whole = undefined;
    } else if (this.qBatch.length > 0) {
      sampled = this.seenWhileFull > 0;
      skipped = this.skippedSinceRead;
      const qb = this.qBatch;
      const qi = this.qIndex;
      let order: number[] | undefined;
      // A sample was filled in random slots: put it back in arrival order.
      if (sampled) order = Array.from(qb.keys()).sort((a, b) => qb[a]!.events.seq(qi[a]!) - qb[b]!.events.seq(qi[b]!));
      const ordered = order;
      parts = packChunks(
        qb.length,
        ordered ? (k) => qb[ordered[k]!]!.events : (k) => qb[k]!.events,
        ordered ? (k) => qi[ordered[k]!]! : (k) => qi[k]!,
        serverTimeOfDay,
      );
      this.qBatch = [];
      this.qIndex = [];
      this.seenWhileFull = 0;
      this.skippedSinceRead = 0;
    }
    // Wire-sized parts, one message each; the first says what was skipped before them all.
    parts.forEach((events, k) => out.push({ kind: "events", events, skipped: k === 0 ? skipped : 0, sampled }));
    for (const p of parts) this.stats.delivered += p.length;
    return out;
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
