/**
 * The live consumer: attaches to every relay session of one tracing session, keeps each
 * trace's metadata current, fetches and decodes packets with the CTF reader's packet API,
 * and hands events out in time order until the session ends.
 *
 * Ordering assumption (as babeltrace2's muxer): each stream is sorted. An event leaves
 * only when every other stream either holds a later event, or has promised (packet end,
 * or an inactivity beacon's timestamp) that nothing earlier will come, so the output is
 * the order `babeltrace2` gives the finished trace, ties broken the same way (trace UUID,
 * trace path, stream class id, stream id). Nothing waits longer than a beacon period.
 *
 * Commands go strictly in the order the 2.13 relay needs (protocol.ts, connection.ts):
 * CONNECT → CREATE_SESSION → LIST_SESSIONS → ATTACH → per round: GET_METADATA for traces
 * flagged NEW_METADATA, then passes, each one write answered back to back: GET_PACKET for
 * the previous pass's INDEX_OKs, GET_METADATA for flagged traces (read before those packets
 * are decoded), GET_NEXT_INDEX on each stream, GET_NEW_STREAMS: the 2.13.9 relay reports
 * NEW_STREAM once, on an OK reply only, so new streams are polled every pass, after the
 * indexes, so that a stream created before a watermark was read is known before that
 * watermark lets events out.
 */
import { hostname as osHostname } from "node:os";
import { CompiledTrace, CtfError, MetadataAccumulator, PacketCursor, compileMetadata, type EventRecord, type ItemSource, type PacketInfo } from "../ctf/index";
import type { CompiledEvent } from "../ctf/index";
import { ViewerConnection } from "./connection";
import { LiveError } from "./errors";
import * as P from "./protocol";
import type { LiveTarget } from "./target";
import { epochNs, toEpochNs, toRelNs, type EpochNs } from "../time";

export type Seek = "beginning" | "last";

/** Packets read from one stream in one round (one per pass, the streams in turn). */
const MAX_PACKETS_PER_ROUND = 32;
/** Decoded events held for the merge; past this, reading waits for the merge (memory bound). */
const MAX_BUFFERED_EVENTS = 400_000;

/** A decoded event waiting for its turn; `cls` and `packet` serve the printer. */
export interface LiveEvent extends EventRecord {
  cls: CompiledEvent;
}

export interface LiveCounters {
  /** Events decoded and delivered in order. */
  events: number;
  packets: number;
  /** Packet bytes received. */
  bytes: number;
  /** The tracer's discarded events (index `events_discarded` deltas). */
  discardedEvents: number;
  /** Packets lost in transport (`packet_seq_num` gaps). */
  lostPackets: number;
  /** Data streams currently attached (not hung up). */
  streams: number;
  /** Relay commands sent. */
  commands: number;
}

export interface DiscardedNote {
  kind: "discarded" | "lost-packets";
  count: number;
  /** Relative ns, as event `ts`. */
  beginTs: number;
  endTs: number;
  stream: string;
}

export interface LiveConsumerOptions {
  target: LiveTarget;
  seek?: Seek;
  /**
   * Called for each event in time order. `src` (and `rec`) are valid during the call only,
   * like the file reader's forEach: copy what you keep.
   */
  onEvent(rec: LiveEvent, src: ItemSource): void;
  onDiscarded?(note: DiscardedNote, src: ItemSource): void;
  /** Called after each pass that may have delivered events (a writer flushes here). */
  onFlush?(): void;
  /** Called once attached (relay sessions and streams known). */
  onAttached?(info: AttachedInfo): void;
  /** Sleep between rounds that brought nothing (default: live timer / 10, within 5..20 ms). */
  pollMs?: number;
  commandTimeoutMs?: number;
}

export interface AttachedInfo {
  relaySessions: P.RelaySession[];
  hostname: string;
  liveTimerUs: number;
  relayMinor: number;
}

export interface LiveEnd {
  /** "ended": the tracing session was destroyed and every stream drained; "stopped": stop() was called. */
  reason: "ended" | "stopped";
  counters: LiveCounters;
}

interface TraceState {
  id: bigint;
  metadataStream: bigint | undefined;
  pathName: string;
  acc: MetadataAccumulator;
  compiled: CompiledTrace | undefined;
  /** Fetch metadata before the next packet of this trace. */
  needMetadata: boolean;
  /** The relay disposed of the metadata stream (GET_METADATA ERR): nothing more will come. */
  metadataClosed: boolean;
  index: number;
}

interface Batch {
  info: PacketInfo;
  events: LiveEvent[];
  pos: number;
}

interface StreamState {
  rec: P.StreamRecord;
  trace: TraceState;
  cursor: PacketCursor | undefined;
  cursorOf: CompiledTrace | undefined;
  batches: Batch[];
  /** Relative ns before which no further event will come on this stream. */
  watermark: number;
  hup: boolean;
  rank: number;
  key: [string, string, number, number];
  prevDiscarded: bigint | undefined;
  prevSeq: number | undefined;
  prevEndTs: number;
  src: ItemSource & { cls: CompiledEvent | undefined; ts: number };
  /** Stream class and instance ids are known (from the first packet header). */
  keyKnown: boolean;
}

export class LiveConsumer {
  readonly counters: LiveCounters = { events: 0, packets: 0, bytes: 0, discardedEvents: 0, lostPackets: 0, streams: 0, commands: 0 };
  private conn: ViewerConnection | undefined;
  private readonly traces = new Map<bigint, TraceState>();
  private readonly streams = new Map<bigint, StreamState>();
  /** Streams seen so far: each gets the next number as its ItemSource.streamIndex. */
  private streamsSeen = 0;
  private sessions: { s: P.RelaySession; hup: boolean }[] = [];
  private origin: EpochNs | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private pollMs = 10;
  /** Events decoded and not yet handed out. */
  private buffered = 0;

  constructor(private readonly opts: LiveConsumerOptions) {}

  /** Absolute epoch ns that every `ts` is relative to (known once the first packet or beacon arrives). */
  get originNs(): EpochNs | undefined {
    return this.origin;
  }

  /** Detaches (closes the connection) and makes run() resolve with "stopped". */
  stop(): void {
    this.stopped = true;
    this.conn?.close();
    this.wake?.();
  }

  /**
   * Connects, attaches and streams until the session ends. Throws LiveError with a code
   * the caller can show (SESSION_NOT_FOUND, NOT_LIVE, ALREADY_ATTACHED, RELAY_UNREACHABLE…).
   * The connection is closed when this returns or throws.
   */
  async run(): Promise<LiveEnd> {
    const t = this.opts.target;
    try {
      this.conn = await ViewerConnection.open({ host: t.relayHost, port: t.relayPort, commandTimeoutMs: this.opts.commandTimeoutMs });
      if (this.stopped) return this.end("stopped");
      await this.attach();
      for (;;) {
        if (this.stopped) return this.end("stopped");
        const progress = await this.round();
        if (this.finished()) return this.end("ended");
        if (!progress) await this.sleep(this.pollMs);
      }
    } catch (e) {
      if (this.stopped) return this.end("stopped");
      throw e;
    } finally {
      this.conn?.close();
    }
  }

  private end(reason: LiveEnd["reason"]): LiveEnd {
    this.counters.streams = 0;
    return { reason, counters: this.counters };
  }

  private get c(): ViewerConnection {
    this.counters.commands++;
    return this.conn!;
  }

  private async attach(): Promise<void> {
    const t = this.opts.target;
    await this.c.createSession();
    const all = await this.c.listSessions();
    const named = all.filter((s) => s.name === t.session && (t.hostname === undefined || s.hostname === t.hostname));
    if (named.length === 0) {
      const live = [...new Set(all.filter((s) => s.liveTimerUs > 0).map((s) => `${s.hostname}/${s.name}`))];
      throw new LiveError(
        "SESSION_NOT_FOUND",
        `No session ${JSON.stringify(t.session)}${t.hostname ? ` of host ${t.hostname}` : ""} on lttng-relayd at ${this.conn!.where}` +
          (live.length ? ` (live sessions there: ${live.slice(0, 10).join(", ")}${live.length > 10 ? ", …" : ""})` : " (it has no live session)"),
      );
    }
    // One tracing session is several relay sessions (one per consumer daemon), all of one host.
    const hosts = [...new Set(named.map((s) => s.hostname))];
    let host = hosts[0]!;
    if (hosts.length > 1) {
      const mine = osHostname();
      if (!hosts.includes(mine))
        throw new LiveError(
          "INVALID_INPUT",
          `Session ${JSON.stringify(t.session)} exists on several hosts (${hosts.join(", ")}): name one in a URL net://RELAY/host/HOST/SESSION`,
        );
      host = mine;
    }
    const mineNamed = named.filter((s) => s.hostname === host);
    const live = mineNamed.filter((s) => s.liveTimerUs > 0);
    if (live.length === 0)
      throw new LiveError(
        "NOT_LIVE",
        `Session ${JSON.stringify(t.session)} streams to lttng-relayd at ${this.conn!.where} but is not a live session (created without --live)`,
      );
    const seek = this.opts.seek === "beginning" ? P.SEEK_BEGINNING : P.SEEK_LAST;
    for (const s of live) {
      const r = await this.c.attach(s.id, seek);
      switch (r.status) {
        case P.AttachStatus.OK:
          this.sessions.push({ s, hup: false });
          this.addStreams(r.streams);
          break;
        case P.AttachStatus.ALREADY:
          throw new LiveError(
            "ALREADY_ATTACHED",
            `Session ${JSON.stringify(t.session)} is already read by another live viewer (lttng-relayd takes one per session; babeltrace2 or another dashboard holds it)`,
          );
        case P.AttachStatus.UNK:
          throw new LiveError("SESSION_NOT_FOUND", `Session ${JSON.stringify(t.session)} is gone or closing on lttng-relayd at ${this.conn!.where}`);
        case P.AttachStatus.NOT_LIVE:
          throw new LiveError("NOT_LIVE", `Session ${JSON.stringify(t.session)} is not a live session`);
        default:
          throw new LiveError("PROTOCOL", `ATTACH_SESSION of ${JSON.stringify(t.session)} answered ${P.statusName(P.AttachStatus, r.status)}`);
      }
    }
    const timer = Math.min(...live.map((s) => s.liveTimerUs));
    this.pollMs = this.opts.pollMs ?? Math.max(5, Math.min(20, Math.round(timer / 10_000)));
    this.opts.onAttached?.({ relaySessions: live, hostname: host, liveTimerUs: timer, relayMinor: this.conn!.relayMinor });
  }

  private addStreams(recs: P.StreamRecord[]): void {
    for (const r of recs) {
      if (!r.metadata) continue;
      const tr = this.traceOf(r.ctfTraceId, r.pathName);
      tr.metadataStream = r.id;
      tr.needMetadata = true;
    }
    let added = false;
    for (const r of recs) {
      if (r.metadata || this.streams.has(r.id)) continue;
      const trace = this.traceOf(r.ctfTraceId, r.pathName);
      const st: StreamState = {
        rec: r,
        trace,
        cursor: undefined,
        cursorOf: undefined,
        batches: [],
        watermark: -Infinity,
        hup: false,
        rank: 0,
        key: [trace.compiled?.model.uuid ?? "", r.pathName, 0, 0],
        prevDiscarded: undefined,
        prevSeq: undefined,
        prevEndTs: -Infinity,
        src: undefined as unknown as StreamState["src"],
        keyKnown: false,
      };
      st.src = this.makeSource(st);
      this.streams.set(r.id, st);
      added = true;
    }
    if (added) this.rerank();
    this.counters.streams = [...this.streams.values()].filter((s) => !s.hup).length;
  }

  private traceOf(id: bigint, pathName: string): TraceState {
    let tr = this.traces.get(id);
    if (!tr) {
      tr = {
        id,
        metadataStream: undefined,
        pathName,
        acc: new MetadataAccumulator(),
        compiled: undefined,
        needMetadata: true,
        metadataClosed: false,
        index: this.traces.size,
      };
      this.traces.set(id, tr);
    }
    return tr;
  }

  private makeSource(st: StreamState): StreamState["src"] {
    const self = this;
    const src = {
      packet: undefined as PacketInfo | undefined,
      get trace() {
        return st.trace.compiled!;
      },
      get traceIndex() {
        return st.trace.index;
      },
      streamFile: `${st.rec.pathName}/${st.rec.channelName}`,
      streamIndex: this.streamsSeen++,
      get streamClassId() {
        return st.key[2];
      },
      get streamId() {
        return st.key[3];
      },
      cls: undefined as CompiledEvent | undefined,
      ts: 0,
      // Exact: live timestamps are whole ns relative to an origin taken from a packet.
      epochNs: () => toEpochNs(self.origin ?? epochNs(0n), src.ts),
      eventClass: () => src.cls,
    };
    return src;
  }

  /** babeltrace2's tie order: trace UUID, trace path, stream class id, stream id. */
  private rerank(): void {
    const all = [...this.streams.values()].sort((a, b) => cmpKey(a.key, b.key));
    all.forEach((s, i) => (s.rank = i));
  }

  // --- one round ------------------------------------------------------------------------

  private async round(): Promise<boolean> {
    let progress = false;
    for (const tr of this.traces.values())
      if (tr.needMetadata && !tr.metadataClosed && tr.metadataStream !== undefined) progress = (await this.fetchMetadata(tr)) || progress;
    for (const st of this.streams.values()) {
      if (!st.hup && !st.trace.compiled && st.trace.metadataClosed) {
        // The trace ended before its metadata reached us: nothing of it can be decoded.
        st.hup = true;
        progress = true;
      }
    }
    // Fetch ahead of the merge, up to a bound: the relay drops what a viewer has not read
    // yet when a per-PID stream closes (see README), and a viewer that reads only when the
    // merge needs it falls behind the tracer. One packet per stream per pass, then what the
    // merge allows goes out: reading many packets of one stream before the next would hold
    // its events until the other streams catch up (seconds, when behind). A stream with
    // nothing buffered is read even past the bound: the merge may be waiting for it, and
    // skipping it would stall the session for good with the buffer full (seen at 200 k
    // events/s).
    //
    // Each pass is one write and one wait (connection.ts, pipelining): the packets the last
    // pass's indexes announced, the metadata of traces flagged NEW_METADATA, the next index
    // of every stream, then GET_NEW_STREAMS. The relay serves them in that order, so
    // - a packet is decoded after the metadata asked behind it, which holds everything the
    //   relay had when it flagged the packet's index (never decoded with stale metadata);
    // - GET_NEW_STREAMS follows the indexes: a stream created before a watermark was read
    //   is known before that watermark lets events out;
    // - GET_PACKET follows its INDEX_OK (the 2.13 relay crashes otherwise).
    // A packet's events wait for the next pass, and its stream's watermark with them. A
    // stream that answered RETRY is asked again with the others: in a batch that costs the
    // relay a few microseconds, and its packet may be the one the merge waits for.
    let announced: { st: StreamState; idx: P.IndexReply }[] = [];
    for (let pass = 0; ; pass++) {
      if (this.stopped) return false;
      const poll: StreamState[] = [];
      if (pass < MAX_PACKETS_PER_ROUND)
        for (const st of this.streams.values()) {
          if (st.hup || !st.trace.compiled || (this.buffered >= MAX_BUFFERED_EVENTS && st.batches.length > 0)) continue;
          poll.push(st);
        }
      // The round ends with a pass that announced no packet (and fetched the last ones).
      if (pass > 0 && announced.length === 0) break;
      const meta = [...this.traces.values()].filter((tr) => tr.needMetadata && tr.compiled && !tr.metadataClosed && tr.metadataStream !== undefined);
      const sessions = poll.length > 0 || pass === 0 ? this.sessions.filter((s) => !s.hup) : [];
      const c = this.conn!;
      const sent = c.batch(() => ({
        packets: announced.map((a) => this.requestPacket(c, a.st, a.idx)),
        meta: meta.map((tr) => c.getMetadata(tr.metadataStream!)),
        indexes: poll.map((st) => c.getNextIndex(st.rec.id)),
        newStreams: sessions.map((s) => c.getNewStreams(s.s.id)),
      }));
      this.counters.commands += sent.packets.length + meta.length + poll.length + sessions.length;
      const [packets, metaReplies, indexes, newStreams] = await Promise.all([
        Promise.all(sent.packets),
        Promise.all(sent.meta),
        Promise.all(sent.indexes),
        Promise.all(sent.newStreams),
      ]);
      if (this.stopped) return false;
      metaReplies.forEach((r, i) => (progress = this.takeMetadata(meta[i]!, [r], false) || progress));
      announced.forEach((a, i) => this.decodePacket(a.st, a.idx, packets[i]!));
      progress ||= announced.length > 0;
      announced = [];
      indexes.forEach((idx, i) => {
        const st = poll[i]!;
        const got = this.onIndex(st, idx);
        progress ||= got;
        if (idx.status === P.IndexStatus.OK) announced.push({ st, idx });
      });
      newStreams.forEach((r, i) => (progress = this.onNewStreams(sessions[i]!, r) || progress));
      this.emit();
      this.opts.onFlush?.();
    }
    return progress;
  }

  /** GET_METADATA until NO_NEW; recompiles the trace when whole new blocks arrived. */
  private async fetchMetadata(tr: TraceState): Promise<boolean> {
    const replies: { status: number; data: Buffer }[] = [];
    for (let i = 0; i < 1000; i++) {
      const r = await this.c.getMetadata(tr.metadataStream!);
      replies.push(r);
      // OK with 0 bytes happens after a clear: just ask again next round.
      if (r.status !== P.MetadataStatus.OK || r.data.length === 0) break;
    }
    return this.takeMetadata(tr, replies, true);
  }

  /**
   * Appends GET_METADATA replies to the trace's metadata and recompiles it when whole new
   * blocks arrived. `drained`: the last reply ended the exchange (NO_NEW, ERR or empty);
   * otherwise the trace stays flagged and is asked again with the next pass.
   */
  private takeMetadata(tr: TraceState, replies: { status: number; data: Buffer }[], drained: boolean): boolean {
    let got = 0;
    let more = false;
    for (const r of replies) {
      if (r.status === P.MetadataStatus.OK) {
        if (r.data.length === 0) continue;
        tr.acc.append(r.data);
        got += r.data.length;
        more = !drained;
        continue;
      }
      if (r.status === P.MetadataStatus.ERR) tr.metadataClosed = true;
      more = false;
    }
    // Until a trace has its first metadata, ask every round: no index is read for its
    // streams, so no NEW_METADATA flag would tell us.
    tr.needMetadata = !tr.metadataClosed && (more || tr.compiled === undefined);
    if (got === 0) return false;
    const m = tr.acc.model();
    if (m.status === "incomplete") {
      // The rest of a block is on its way: ask again next round (data waits for it).
      tr.needMetadata = !tr.metadataClosed;
      return true;
    }
    tr.compiled = compileMetadata(m.model);
    for (const st of this.streams.values()) {
      if (st.trace === tr) st.key[0] = tr.compiled.model.uuid ?? "";
    }
    this.rerank();
    return true;
  }

  private relNs(tr: TraceState, cycles: bigint): number {
    const abs = tr.compiled!.cyclesToEpochNs(cycles);
    this.origin ??= abs;
    return toRelNs(this.origin, abs);
  }

  /** One GET_NEXT_INDEX reply; an OK's packet is fetched with the next pass. Returns whether anything changed. */
  private onIndex(st: StreamState, idx: P.IndexReply): boolean {
    if (idx.flags & P.FLAG_NEW_METADATA) st.trace.needMetadata = true;
    switch (idx.status) {
      case P.IndexStatus.OK:
        return true;
      case P.IndexStatus.INACTIVE: {
        const w = this.relNs(st.trace, idx.timestampEnd);
        if (w > st.watermark) {
          st.watermark = w;
          return true;
        }
        return false;
      }
      case P.IndexStatus.RETRY:
        return false;
      case P.IndexStatus.HUP:
      case P.IndexStatus.EOF:
        st.hup = true;
        this.counters.streams = Math.max(0, this.counters.streams - 1);
        return true;
      default:
        throw new LiveError(
          "PROTOCOL",
          `GET_NEXT_INDEX of stream ${st.rec.pathName}/${st.rec.channelName} answered ${P.statusName(P.IndexStatus, idx.status)}`,
        );
    }
  }

  /**
   * Asks for the content of the packet `idx` announced (the padding after it is never
   * read), in requests of at most MAX_PACKET_REQUEST_BYTES written together. The 2.13
   * relay answers exactly what is asked or ERR (a short read is an error there).
   */
  private requestPacket(c: ViewerConnection, st: StreamState, idx: P.IndexReply): Promise<Buffer> {
    const size = Number(idx.packetSizeBits / 8n);
    const content = Number((idx.contentSizeBits + 7n) / 8n);
    const want = Math.max(1, Math.min(size, content));
    const parts: Promise<Buffer>[] = [];
    for (let at = 0; at < want; at += P.MAX_PACKET_REQUEST_BYTES) {
      const n = Math.min(P.MAX_PACKET_REQUEST_BYTES, want - at);
      parts.push(
        c.getPacket(st.rec.id, idx.offsetBytes + BigInt(at), n).then((r) => {
          if (r.status !== P.PacketStatus.OK || !r.data)
            throw new LiveError(
              "PROTOCOL",
              `GET_PACKET of stream ${st.rec.pathName}/${st.rec.channelName} at ${idx.offsetBytes} answered ${P.statusName(P.PacketStatus, r.status)}`,
            );
          if (r.data.length !== n) throw new LiveError("PROTOCOL", `GET_PACKET of stream ${st.rec.channelName} returned ${r.data.length} bytes for ${n} asked`);
          return r.data;
        }),
      );
    }
    return parts.length === 1 ? parts[0]! : Promise.all(parts).then((bufs) => Buffer.concat(bufs, want));
  }

  private decodePacket(st: StreamState, idx: P.IndexReply, buf: Buffer): void {
    this.counters.packets++;
    this.counters.bytes += buf.length;
    const tr = st.trace;
    const compiled = tr.compiled!;
    if (st.cursorOf !== compiled) {
      this.relNs(tr, idx.timestampBegin); // fixes the origin before the first cursor
      st.cursor = new PacketCursor(compiled, this.origin!, tr.index, `${st.rec.pathName}/${st.rec.channelName}`);
      st.cursorOf = compiled;
    }
    const events: LiveEvent[] = [];
    let info: PacketInfo;
    try {
      // Packet sizes in the index describe a whole packet; decode the content we fetched.
      info = st.cursor!.decode(buf, (rec, cls) => {
        events.push({ kind: "event", name: rec.name, ts: rec.ts, cpu: rec.cpu, trace: tr.index, payload: rec.payload, context: rec.context, cls } as LiveEvent);
      });
    } catch (e) {
      if (e instanceof CtfError)
        throw new LiveError("PROTOCOL", `Cannot decode a packet of ${st.rec.pathName}/${st.rec.channelName} at offset ${idx.offsetBytes}: ${e.message}`, {
          cause: e,
        });
      throw e;
    }
    if (!st.keyKnown) {
      st.key[2] = info.streamId;
      st.key[3] = info.streamInstanceId === undefined ? 0 : Number(info.streamInstanceId);
      st.keyKnown = true;
      this.rerank();
    }
    const endTs = this.relNs(tr, idx.timestampEnd);
    this.noteLosses(st, idx, info, endTs);
    st.prevEndTs = endTs;
    if (endTs > st.watermark) st.watermark = endTs;
    if (events.length > 0) {
      st.batches.push({ info, events, pos: 0 });
      this.buffered += events.length;
    }
  }

  private noteLosses(st: StreamState, idx: P.IndexReply, info: PacketInfo, endTs: number): void {
    const beginTs = st.prevEndTs === -Infinity ? this.relNs(st.trace, idx.timestampBegin) : st.prevEndTs;
    const notes: DiscardedNote[] = [];
    if (st.prevSeq !== undefined && info.seqNum !== undefined && info.seqNum > st.prevSeq + 1)
      notes.push({ kind: "lost-packets", count: info.seqNum - st.prevSeq - 1, beginTs, endTs, stream: st.src.streamFile });
    if (info.seqNum !== undefined) st.prevSeq = info.seqNum;
    const d = idx.eventsDiscarded;
    // A counter that goes down (seen with per-UID buffers) restarts from zero (ctf README).
    const delta = st.prevDiscarded === undefined ? d : d >= st.prevDiscarded ? d - st.prevDiscarded : d;
    st.prevDiscarded = d;
    if (delta > 0n) notes.push({ kind: "discarded", count: Number(delta), beginTs, endTs, stream: st.src.streamFile });
    for (const n of notes) {
      if (n.kind === "discarded") this.counters.discardedEvents += n.count;
      else this.counters.lostPackets += n.count;
      st.src.packet = info;
      this.opts.onDiscarded?.(n, st.src);
    }
  }

  /** One GET_NEW_STREAMS reply of relay session `s`. Returns whether anything changed. */
  private onNewStreams(s: { s: P.RelaySession; hup: boolean }, r: { status: number; streams: P.StreamRecord[] }): boolean {
    switch (r.status) {
      case P.NewStreamsStatus.OK:
        this.addStreams(r.streams);
        return r.streams.length > 0;
      case P.NewStreamsStatus.NO_NEW:
        return false;
      case P.NewStreamsStatus.HUP:
        s.hup = true;
        return true;
      default:
        throw new LiveError("PROTOCOL", `GET_NEW_STREAMS of relay session ${s.s.id} answered ${P.statusName(P.NewStreamsStatus, r.status)}`);
    }
  }

  /** Hands out every event that no stream can precede any more. */
  private emit(): void {
    const live: StreamState[] = [];
    for (const s of this.streams.values()) if (s.batches.length > 0 || !s.hup) live.push(s);
    for (;;) {
      // The earliest buffered event, ties by rank.
      let best: StreamState | undefined;
      let bestTs = Infinity;
      for (const s of live) {
        const b = s.batches[0];
        if (!b) continue;
        const ts = b.events[b.pos]!.ts;
        if (ts < bestTs || (ts === bestTs && s.rank < best!.rank)) {
          best = s;
          bestTs = ts;
        }
      }
      if (!best) return;
      // Streams with nothing buffered must have promised nothing earlier.
      for (const s of live) {
        if (s.batches.length > 0 || s.hup) continue;
        if (s.watermark < bestTs || (s.watermark === bestTs && s.rank < best.rank)) return;
      }
      const b = best.batches[0]!;
      const ev = b.events[b.pos++]!;
      this.buffered--;
      if (b.pos === b.events.length) best.batches.shift();
      const src = best.src;
      src.packet = b.info;
      src.cls = ev.cls;
      src.ts = ev.ts;
      this.counters.events++;
      this.opts.onEvent(ev, src);
      if (this.stopped) return;
    }
  }

  private finished(): boolean {
    if (this.sessions.length === 0 || this.sessions.some((s) => !s.hup)) return false;
    for (const s of this.streams.values()) if (!s.hup || s.batches.length > 0) return false;
    return true;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }
}

function cmpKey(a: [string, string, number, number], b: [string, string, number, number]): number {
  for (let i = 0; i < 4; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}
