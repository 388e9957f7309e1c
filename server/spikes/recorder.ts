/**
 * Live latency history: for every session that has latency sources and streams to the relay
 * in live mode, one subscription to the server's LiveHub (the same channel the Live page
 * uses: the relay takes one viewer per session) feeding the HistoryWriter.
 *
 * Decoding stays in the hub's worker thread; what runs here per event is the extractor (a
 * name test and a field read, or the period engine) and a sketch insert, about a microsecond
 * each: a few ms per second at the demo's 2,000 requests/s. The subscription's queue is the
 * largest the hub allows, so the recorder is sampled (values lost, counted in `skipped`) only
 * if the event loop stalls for longer than that queue lasts.
 */
import type { Db } from "../db";
import { moduleLogger } from "../log";
import { ViewerConnection } from "../live/connection";
import type { LiveHub } from "../live/hub";
import { MAX_QUEUE_EVENTS } from "../live/subscriber";
import { prepareLiveFilter } from "../live/filter";
import type { LiveTarget } from "../live/target";
import { epochNs, toEpochNs, type EpochNs } from "../time";
import type { HistoryWriter } from "./history";
import { compileSource, latencySourceSchema, wireToEvent, type Extractor } from "./sources";

const log = moduleLogger("spikes");

export interface RecorderOptions {
  relay: { host: string; port: number };
  /** How often sessions and sources are looked at again (default 3 s). */
  pollMs?: number;
}

interface Recording {
  session: string;
  /** Source ids and definitions this subscription was started with (restarted when they change). */
  signature: string;
  abort: AbortController;
  done: Promise<void>;
  values: number;
  skipped: number;
  state: "starting" | "streaming" | "ended";
}

export interface RecordingStatus {
  session: string;
  state: Recording["state"];
  values: number;
  skipped: number;
}

export class LiveRecorder {
  private readonly recordings = new Map<string, Recording>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly writer: HistoryWriter,
    private readonly hub: LiveHub,
    private readonly opts: RecorderOptions,
  ) {}

  start(): void {
    if (this.timer !== null) return;
    this.stopped = false;
    this.timer = setInterval(() => void this.poll(), this.opts.pollMs ?? 3000);
    this.timer.unref();
    void this.poll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.polling;
    const all = [...this.recordings.values()];
    for (const r of all) r.abort.abort();
    await Promise.all(all.map((r) => r.done));
    this.recordings.clear();
  }

  status(): RecordingStatus[] {
    return [...this.recordings.values()].map((r) => ({ session: r.session, state: r.state, values: r.values, skipped: r.skipped }));
  }

  /** Looks again now (after sources changed); resolves once subscriptions are (re)started. */
  poll(): Promise<void> {
    this.polling ??= this.doPoll()
      .catch((err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, "latency recorder poll failed"))
      .finally(() => {
        this.polling = null;
      });
    return this.polling;
  }

  private async doPoll(): Promise<void> {
    const rows = await this.db.latencySource.findMany({ where: { sessionName: { not: null } }, orderBy: { id: "asc" } });
    const bySession = new Map<string, { id: number; definition: string }[]>();
    for (const r of rows) {
      const list = bySession.get(r.sessionName!) ?? [];
      list.push({ id: r.id, definition: r.definition });
      bySession.set(r.sessionName!, list);
    }
    // Stop what is no longer wanted, or wanted differently.
    for (const [session, rec] of this.recordings) {
      const want = bySession.get(session);
      if (want === undefined || JSON.stringify(want) !== rec.signature || rec.state === "ended") {
        rec.abort.abort();
        await rec.done;
        this.recordings.delete(session);
      }
    }
    const missing = [...bySession.keys()].filter((s) => !this.recordings.has(s));
    if (missing.length === 0 || this.stopped) return;
    // Only sessions the relay lists as live: subscribing to others would start a consumer each poll.
    let live: Set<string>;
    let c: ViewerConnection | undefined;
    try {
      c = await ViewerConnection.open({ host: this.opts.relay.host, port: this.opts.relay.port, commandTimeoutMs: 5_000 });
      live = new Set((await c.listSessions()).filter((s) => s.liveTimerUs > 0).map((s) => s.name));
    } catch {
      return; // no relay: nothing is live
    } finally {
      c?.close();
    }
    for (const session of missing) {
      if (!live.has(session) || this.stopped) continue;
      const sources = bySession.get(session)!;
      this.record(session, sources, JSON.stringify(sources));
    }
  }

  private record(session: string, sources: { id: number; definition: string }[], signature: string): void {
    const compiled: { id: number; x: Extractor }[] = [];
    let names: Set<string> | null = new Set();
    for (const s of sources) {
      const parsed = latencySourceSchema.safeParse(JSON.parse(s.definition));
      if (!parsed.success) continue;
      const x = compileSource(parsed.data);
      compiled.push({ id: s.id, x });
      if (x.eventNames === null) names = null;
      else if (names !== null) for (const n of x.eventNames) names.add(n);
    }
    if (compiled.length === 0) return;
    const abort = new AbortController();
    const rec: Recording = { session, signature, abort, done: Promise.resolve(), values: 0, skipped: 0, state: "starting" };
    const target: LiveTarget = { relayHost: this.opts.relay.host, relayPort: this.opts.relay.port, hostname: undefined, session };
    // Only the sources' event names leave the live worker (none named: every event).
    const filter = prepareLiveFilter({ names: names === null ? [] : [...names], where: "" });
    rec.done = (async () => {
      let origin: EpochNs | null = null;
      try {
        for await (const m of this.hub.subscribe(target, filter, { queue: MAX_QUEUE_EVENTS, signal: abort.signal })) {
          if (m.kind === "status") rec.state = m.state === "ended" || m.state === "failed" ? "ended" : "streaming";
          else if (m.kind === "end") break;
          else if (m.kind === "events") {
            rec.skipped += m.skipped;
            for (const we of m.events) {
              // Whole seconds: relative values stay exact and bucket keys cheap.
              origin ??= epochNs(we.tsNs - (we.tsNs % 1_000_000_000n));
              const ev = wireToEvent(we, origin);
              for (const { id, x } of compiled)
                for (let v = x.push(ev); v !== undefined; v = x.next()) {
                  this.writer.add(id, toEpochNs(origin, v.tsNs), v.valueNs);
                  rec.values++;
                }
            }
          }
        }
      } catch (err) {
        if (!abort.signal.aborted) log.info({ session, err: err instanceof Error ? err.message : String(err) }, "latency recorder: live subscription ended");
      } finally {
        rec.state = "ended";
      }
    })();
    this.recordings.set(session, rec);
  }
}
