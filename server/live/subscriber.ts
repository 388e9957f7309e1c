/**
 * One browser (or API client) watching a live channel: its filter, a bounded queue, and the
 * messages it has not read yet. The channel never waits for a subscriber: when the queue is
 * full, the events that matched since the last read are reservoir-sampled into it (every one
 * had the same chance to be kept), and the batch says how many were skipped.
 *
 * A subscriber that has read everything offered so far gets the next batch whole (up to
 * MAX_QUEUE_EVENTS), even past its capacity: it has not fallen behind, the batch is one
 * round of the relay (one packet per stream, often more than 5,000 events at high rates),
 * and its events are shared by every subscriber, so only the references are per subscriber.
 */
import type { EventBatch } from "./batch";
import type { LiveFilter } from "./filter";
import type { LiveMessage, SubscriberStats, WireEvent } from "./wire";

export const DEFAULT_QUEUE_EVENTS = 5_000;
export const MIN_QUEUE_EVENTS = 100;
export const MAX_QUEUE_EVENTS = 50_000;
/** Control messages (status, gap, stats) kept at most; older ones of the same kind are dropped first. */
const MAX_CONTROL = 64;

export class Subscriber {
  readonly stats: SubscriberStats = { matched: 0, delivered: 0, skipped: 0 };
  private queue: WireEvent[] = [];
  /** `queue` is a batch's own array of all its events (shared by subscribers): copy before writing. */
  private queueShared = false;
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

  /**
   * Takes what matches from a batch. The worker has evaluated this filter when the batch
   * names it (a mask bit); otherwise (a filter added while the batch was on its way, or
   * past the worker's bits) it is evaluated here. An event becomes an object only when
   * it enters the queue.
   */
  offer(batch: EventBatch): void {
    if (this.closed) return;
    const f = this.filter;
    const bit = f.all ? -1 : batch.bitOf(f.key);
    const n = batch.length;
    // The reservoir: the capacity, a whole batch for a reader that has read everything, or
    // what the queue already holds (a sample stays uniform over all that matched since the last read).
    const cap = Math.max(this.capacity, this.queue.length === 0 ? Math.min(n, MAX_QUEUE_EVENTS) : this.queue.length);
    if (f.all && this.queue.length === 0 && n <= cap) {
      // Everything, and the reader is up to date: the batch's one array, no work per event.
      this.queue = batch.all();
      this.queueShared = true;
      this.stats.matched += n;
      if (n > 0) this.notify();
      return;
    }
    if (this.queueShared) {
      this.queue = this.queue.slice();
      this.queueShared = false;
    }
    let added = false;
    for (let i = 0; i < n; i++) {
      if (!f.all) {
        if (bit >= 0 ? !batch.matches(i, bit) : !f.name(batch.name(i)) || (f.where !== undefined && !f.where(batch.event(i)))) continue;
      }
      this.stats.matched++;
      added = true;
      if (this.queue.length < cap) {
        this.queue.push(batch.event(i));
        continue;
      }
      // Reservoir sampling (algorithm R) over what matched since the queue filled.
      if (this.seenWhileFull === 0) this.seenWhileFull = cap;
      this.seenWhileFull++;
      this.stats.skipped++;
      this.skippedSinceRead++;
      const j = Math.floor(this.random() * this.seenWhileFull);
      if (j < cap) this.queue[j] = batch.event(i);
    }
    if (added) this.notify();
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
    if (this.queue.length > 0) {
      const sampled = this.seenWhileFull > 0;
      let events = this.queue;
      // A sample was filled in random slots: put it back in time order.
      if (sampled) events = events.sort((a, b) => a.seq - b.seq);
      out.push({ kind: "events", events, skipped: this.skippedSinceRead, sampled });
      this.stats.delivered += events.length;
      this.queue = [];
      this.queueShared = false;
      this.seenWhileFull = 0;
      this.skippedSinceRead = 0;
    }
    return out;
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
