/**
 * What the live bench's subscribers saw, whichever way they read (the hub in-process, or
 * SSE from a server): every delivered event's delay from its timestamp, what each got and
 * was sampled out of, the channel's counters, and the lag of subscriber 0 along the run
 * (a lag that grows is a reader too slow, a constant one a stall at the start).
 */
import type { LiveMessage } from "../../../server/live/wire";
import { Delays } from "./delays.mjs";

export class LiveTally {
  private readonly delays = new Delays();
  private readonly delivered: number[];
  private readonly skippedBy: number[];
  private received = 0;
  private discarded = 0;
  private lostPackets = 0;
  private ended = "";
  private readonly lagAt: { atMs: number; delayMs: number }[] = [];
  /** Subscribers of the hub that take everything share one LiveEvents: its times are read once. */
  private readonly tsMsOf = new WeakMap<object, Float64Array>();

  constructor(private readonly n: number) {
    this.delivered = new Array<number>(n).fill(0);
    this.skippedBy = new Array<number>(n).fill(0);
  }

  /** Subscriber i received `m` now. */
  add(i: number, m: LiveMessage): void {
    if (m.kind === "events") {
      const now = Date.now();
      const ev = m.events;
      let tsMs = this.tsMsOf.get(ev);
      if (!tsMs) {
        tsMs = Float64Array.from({ length: ev.length }, (_, k) => ev.epochMs(k));
        this.tsMsOf.set(ev, tsMs);
      }
      for (let k = 0; k < tsMs.length; k++) this.delays.add(now - tsMs[k]!);
      if (i === 0 && tsMs.length > 0) this.lagAt.push({ atMs: now, delayMs: now - tsMs[0]! });
      this.delivered[i]! += ev.length;
    } else if (m.kind === "stats") {
      this.skippedBy[i] = m.subscriber.skipped;
      this.received = Math.max(this.received, m.channel.received);
      this.discarded = m.channel.discardedEvents;
      this.lostPackets = m.channel.lostPackets;
    } else if (m.kind === "end") this.ended = m.reason;
  }

  summary(): Record<string, unknown> {
    const lag = this.lagAt;
    return {
      subscribers: this.n,
      received: this.received,
      delivered: this.delivered,
      skipped: this.skippedBy.reduce((a, b) => a + b, 0),
      discarded: this.discarded,
      lostPackets: this.lostPackets,
      p50: this.delays.quantile(0.5),
      p99: this.delays.quantile(0.99),
      max: this.delays.max,
      samples: this.delays.count,
      lag: [0, 0.25, 0.5, 0.75, 1]
        .map((f) => lag[Math.min(lag.length - 1, Math.floor(f * lag.length))])
        .map((l) => l && { atS: (l.atMs - (lag[0]?.atMs ?? 0)) / 1000, delayMs: Math.round(l.delayMs) }),
      ended: this.ended,
    };
  }
}
