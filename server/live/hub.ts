/**
 * One consumer per live session in the server (relayd takes one viewer per session), fanned
 * out to every subscriber. A channel starts with its first subscriber, stays while any
 * remains, and detaches `lingerMs` after the last one left. The consumer runs in a worker
 * thread (decoding stays off the event loop); the channel never waits for a subscriber.
 *
 * When the relay goes away mid-stream, the channel reconnects with backoff (250 ms doubling
 * to 5 s) for as long as it has subscribers, and marks the gap in the stream with its
 * duration once events flow again. LTTng 2.13.9 sessions do not reconnect to a restarted
 * relay by themselves (measured: the restarted relay never sees the session again), so the
 * stream resumes when a session of that name streams to the relay again.
 */
import { resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { moduleLogger } from "../log";
import { BatchDecoder, MAX_WORKER_FILTERS } from "./batch";
import type { Seek } from "./consumer";
import { LiveError, type LiveErrorCode } from "./errors";
import type { LiveFilter, LiveFilterInput } from "./filter";
import { Subscriber } from "./subscriber";
import { formatLiveUrl, type LiveTarget } from "./target";
import type { ChannelState, LiveChannelStats, LiveMessage, WorkerMessage, WorkerRequest } from "./wire";

const log = moduleLogger("live");

export interface HubOptions {
  /** dist/workers/live.mjs by default (scripts/build.mjs). */
  workerFile?: string;
  /** How long a channel without subscribers stays attached (default 10 s). */
  lingerMs?: number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** Stats message period per subscriber (default 1 s). */
  statsMs?: number;
}

/** Errors that end a channel at once instead of being retried. */
const FATAL: ReadonlySet<LiveErrorCode | "INTERNAL"> = new Set(["NOT_LIVE", "ALREADY_ATTACHED", "INVALID_INPUT", "INTERNAL"]);

export class LiveChannel {
  readonly subscribers = new Set<Subscriber>();
  state: ChannelState = "connecting";
  private worker: Worker | undefined;
  /** Name and shape tables of the current worker's batches. */
  private decoder = new BatchDecoder();
  /** Filters of the subscribers (but "everything"), with how many use each: the worker evaluates them. */
  private readonly filters = new Map<string, { spec: LiveFilterInput; users: number }>();
  private attachedOnce = false;
  private attempts = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private lostAt: number | undefined;
  private lostReason = "";
  private lastTsNs: bigint | null = null;
  private received = 0;
  private receivedAtLastTick = 0;
  private rate = 0;
  private discardedEvents = 0;
  private lostPackets = 0;
  private reconnects = 0;
  private liveTimerUs: number | undefined;
  private hostname: string | undefined;
  /** Set once attached for the first time, or failed before: what the first subscribers wait for. */
  private readonly ready: Promise<void>;
  private settleReady!: (e?: LiveError) => void;
  private closed = false;

  constructor(
    readonly key: string,
    readonly target: LiveTarget,
    private readonly seek: Seek,
    private readonly opts: Required<HubOptions>,
    private readonly onClosed: (ch: LiveChannel) => void,
  ) {
    this.ready = new Promise<void>((ok, fail) => {
      this.settleReady = (e) => (e ? fail(e) : ok());
    });
    // A rejection nobody awaits yet must not crash the process.
    this.ready.catch(() => undefined);
    this.statsTimer = setInterval(() => this.tick(), opts.statsMs);
    this.start(seek);
  }

  /** Resolves once attached; rejects with the LiveError of a first attempt that failed. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  stats(): LiveChannelStats {
    return {
      state: this.state,
      received: this.received,
      receivedPerSecond: this.rate,
      discardedEvents: this.discardedEvents,
      lostPackets: this.lostPackets,
      subscribers: this.subscribers.size,
      reconnects: this.reconnects,
    };
  }

  add(sub: Subscriber): void {
    if (this.lingerTimer) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = undefined;
    }
    this.subscribers.add(sub);
    const f = sub.filter;
    if (!f.all) {
      const e = this.filters.get(f.key);
      if (e) e.users++;
      else {
        this.filters.set(f.key, { spec: f.spec, users: 1 });
        this.sendFilters();
      }
    }
    sub.push(this.statusMessage());
  }

  remove(sub: Subscriber): void {
    if (!this.subscribers.delete(sub)) return;
    const e = sub.filter.all ? undefined : this.filters.get(sub.filter.key);
    if (e && --e.users === 0) {
      this.filters.delete(sub.filter.key);
      this.sendFilters();
    }
    if (this.subscribers.size === 0 && !this.closed) {
      this.lingerTimer = setTimeout(() => this.close("no subscriber left"), this.opts.lingerMs);
      this.lingerTimer.unref?.();
    }
  }

  /** Detaches from the relay and ends every subscriber's stream. */
  close(why: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.lingerTimer);
    clearInterval(this.statsTimer);
    this.stopWorker();
    for (const s of this.subscribers) s.close();
    log.info({ session: this.key, why }, "live channel closed");
    this.onClosed(this);
  }

  private statusMessage(): LiveMessage {
    const messages: Record<ChannelState, string> = {
      connecting: `Attaching to ${formatLiveUrl(this.target)}`,
      streaming: `Streaming ${this.target.session}`,
      reconnecting: `Lost lttng-relayd (${this.lostReason}); reconnecting`,
      ended: `Session ${this.target.session} ended`,
      failed: `Stopped: ${this.lostReason}`,
    };
    return { kind: "status", state: this.state, message: messages[this.state], liveTimerUs: this.liveTimerUs, hostname: this.hostname };
  }

  private broadcast(m: LiveMessage): void {
    for (const s of this.subscribers) s.push(m);
  }

  private setState(s: ChannelState): void {
    this.state = s;
    this.broadcast(this.statusMessage());
  }

  /** The filters the worker evaluates (in mask-bit order); subscribers past the bits filter here. */
  private workerFilters(): LiveFilterInput[] {
    return [...this.filters.values()].slice(0, MAX_WORKER_FILTERS).map((e) => e.spec);
  }

  private sendFilters(): void {
    this.worker?.postMessage({ type: "filters", filters: this.workerFilters() } satisfies WorkerRequest);
  }

  private tick(): void {
    this.rate = this.received - this.receivedAtLastTick;
    this.receivedAtLastTick = this.received;
    const channel = this.stats();
    for (const s of this.subscribers) s.push({ kind: "stats", channel, subscriber: { ...s.stats } });
  }

  private start(seek: Seek): void {
    const w = new Worker(this.opts.workerFile, { workerData: { target: this.target, seek, filters: this.workerFilters() } });
    this.worker = w;
    this.decoder = new BatchDecoder();
    let settled = false;
    w.on("message", (m: WorkerMessage) => {
      if (this.worker !== w) return;
      if (m.type === "error" || m.type === "end") settled = true;
      this.onWorkerMessage(m);
    });
    w.on("error", (e) => {
      if (this.worker !== w || settled) return;
      settled = true;
      this.onWorkerMessage({ type: "error", code: "INTERNAL", message: e.message });
    });
    w.on("exit", () => {
      if (this.worker === w && !settled && !this.closed) this.onWorkerMessage({ type: "error", code: "INTERNAL", message: "The live worker exited" });
    });
  }

  private stopWorker(): void {
    const w = this.worker;
    this.worker = undefined;
    if (!w) return;
    w.postMessage({ type: "stop" } satisfies WorkerRequest);
    // The consumer closes its socket on stop; terminate in case it is stuck in a decode.
    setTimeout(() => void w.terminate(), 2_000).unref?.();
  }

  private onWorkerMessage(m: WorkerMessage): void {
    switch (m.type) {
      case "attached": {
        this.attempts = 0;
        this.liveTimerUs = m.liveTimerUs;
        this.hostname = m.hostname;
        if (this.lostAt !== undefined) {
          this.broadcast({ kind: "gap", afterNs: this.lastTsNs, durationMs: Date.now() - this.lostAt, reason: this.lostReason });
          this.lostAt = undefined;
          this.reconnects++;
        }
        this.attachedOnce = true;
        this.settleReady();
        this.setState("streaming");
        return;
      }
      case "events": {
        const batch = this.decoder.open(m);
        this.received += batch.length;
        this.lastTsNs = batch.events.tsNs(batch.length - 1);
        for (const s of this.subscribers) s.offer(batch);
        return;
      }
      case "discarded":
        if (m.kind === "discarded") this.discardedEvents += m.count;
        else this.lostPackets += m.count;
        return;
      case "end":
        this.worker = undefined;
        if (m.reason === "ended") {
          // Final counters first: the last periodic stats may be a second old.
          this.tick();
          this.setState("ended");
          this.broadcast({ kind: "end", reason: `Session ${this.target.session} was destroyed` });
          this.close("session ended");
        }
        return;
      case "error": {
        this.worker = undefined;
        const err = new LiveError(m.code === "INTERNAL" ? "PROTOCOL" : m.code, m.message);
        if (!this.attachedOnce || FATAL.has(m.code)) {
          // Nothing was streaming yet (or retrying cannot help): say why and leave nothing running.
          this.lostReason = m.message;
          this.settleReady(err);
          this.setState("failed");
          this.broadcast({ kind: "end", reason: m.message });
          this.close(m.message);
          return;
        }
        if (this.lostAt === undefined) this.lostAt = Date.now();
        this.lostReason = m.message;
        this.setState("reconnecting");
        const delay = Math.min(this.opts.backoffMaxMs, this.opts.backoffMinMs * 2 ** this.attempts++);
        log.warn({ session: this.key, delay, err: m.message }, "live channel lost the relay; reconnecting");
        this.retryTimer = setTimeout(() => {
          if (!this.closed) this.start("last");
        }, delay);
        return;
      }
    }
  }
}

export class LiveHub {
  private readonly channels = new Map<string, LiveChannel>();
  private readonly opts: Required<HubOptions>;

  constructor(opts: HubOptions = {}) {
    this.opts = {
      workerFile: opts.workerFile ?? process.env.TRACEDECK_LIVE_WORKER ?? resolve(process.cwd(), "dist/workers/live.mjs"),
      lingerMs: opts.lingerMs ?? 10_000,
      backoffMinMs: opts.backoffMinMs ?? 250,
      backoffMaxMs: opts.backoffMaxMs ?? 5_000,
      statsMs: opts.statsMs ?? 1_000,
    };
  }

  static keyOf(t: LiveTarget): string {
    return `${t.relayHost}:${t.relayPort}/${t.hostname ?? "*"}/${t.session}`;
  }

  channel(key: string): LiveChannel | undefined {
    return this.channels.get(key);
  }

  /**
   * Subscribes to a live session: yields its messages until the session ends, the channel
   * fails, or `signal` aborts. Throws the LiveError of a first attach that failed (unknown
   * session, relay down, not live, held by another viewer), leaving nothing running.
   * `seek` applies when this call starts the channel; later subscribers join the stream.
   */
  async *subscribe(target: LiveTarget, filter: LiveFilter, o: { seek?: Seek; queue?: number; signal?: AbortSignal } = {}): AsyncGenerator<LiveMessage> {
    const key = LiveHub.keyOf(target);
    let ch = this.channels.get(key);
    if (!ch) {
      ch = new LiveChannel(key, target, o.seek ?? "last", this.opts, (c) => {
        if (this.channels.get(c.key) === c) this.channels.delete(c.key);
      });
      this.channels.set(key, ch);
    }
    const sub = new Subscriber(filter, o.queue);
    ch.add(sub);
    try {
      await ch.whenReady();
      for (;;) {
        const batch = await sub.next(o.signal);
        if (batch === null) return;
        for (const m of batch) yield m;
      }
    } finally {
      ch.remove(sub);
    }
  }

  /** Detaches every channel (server shutdown, tests). */
  closeAll(): void {
    for (const ch of [...this.channels.values()]) ch.close("hub closed");
  }
}

let hub: LiveHub | undefined;
/** The server's one hub (on globalThis so that Next's dev reloads do not orphan workers). */
export function liveHub(): LiveHub {
  const g = globalThis as unknown as { tracedeckLiveHub?: LiveHub };
  hub ??= g.tracedeckLiveHub ??= new LiveHub();
  return hub;
}
