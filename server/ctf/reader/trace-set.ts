/**
 * A set of traces read as one time-ordered sequence of items (events, discarded events,
 * lost packets). Assumption of the merge: each stream is already in time order; the merge
 * is a k-way heap over the streams' current items, with babeltrace2's tie-break (trace
 * UUID, then stream class id, then stream id) for equal timestamps. Streams that are not
 * monotonic (old LTTng bugs) are still read to the end: the merge never drops an item.
 *
 * Memory is bounded: each stream holds one read chunk (or one packet, when bigger).
 */
import { basename, dirname, join, relative, resolve } from "node:path";
import { readSync, closeSync } from "node:fs";
import { openTraceFile } from "./safe-open";
import { CtfError } from "../errors";
import { readMetadataFile } from "../metadata";
import { CompiledTrace, type CompiledEvent, type PacketInfo } from "../decode/packet";
import { DecodeState } from "../decode/runtime";
import { installSkipDecoders } from "../decode/skip";
import { enumFieldLabelers, type EnumLabeler } from "../enums";
import type { DiscardedRecord, EventRecord, LostPacketsRecord, TraceInfo, TraceItem } from "../types";
import { findTraceDirs, listDataFiles, type DataFile } from "./discover";
import { FileStream, type StreamFile } from "./file-stream";
import { readPacketIndex } from "./packet-index";
import { epochNs, type EpochNs } from "../../time";

export interface OpenOptions {
  /** Read chunk per stream in bytes (default: 4 MiB, less when there are many streams). */
  chunkBytes?: number;
  /**
   * The event classes (by name) the consumer reads. Events of the other classes still come
   * out, in order, with name, time and cpu, but with empty payload and context: their
   * decoding is skipped. Default: every class is decoded.
   */
  events?: (name: string) => boolean;
}

export interface TraceSetCounters {
  events: number;
  discardedEvents: number;
  lostPackets: number;
  packets: number;
}

/** What a visitor gets besides the item: where it came from. Borrowed; valid during the callback. */
export interface ItemSource {
  /** The stream's current packet (header and context, display names). */
  packet: PacketInfo | undefined;
  trace: CompiledTrace;
  traceIndex: number;
  streamFile: string;
  /** Index of the stream in the set (the order of messagePlans()). */
  streamIndex: number;
  /** Stream class id and stream instance id (babeltrace2's "stream ID"). */
  streamClassId: number;
  streamId: number;
  /**
   * Exact absolute time of the current event (epoch ns). `ts` is a JS number relative to
   * the set's origin, exact only within 104 days of it; this is exact whatever the span.
   */
  epochNs(): bigint;
  /** The class of the current event (undefined for discarded/lost records). */
  eventClass(): CompiledEvent | undefined;
}

interface OpenedTrace {
  dir: string;
  compiled: CompiledTrace;
  info: TraceInfo;
  groups: { files: StreamFile[]; streamClassId: number; streamId: number; firstBegin: bigint | undefined }[];
}

const PROBE_BYTES = 4096;

/** The reader's public face (see server/ctf/index.ts). */
export class TraceSet implements Iterable<TraceItem> {
  readonly traces: TraceInfo[];
  /** Absolute epoch ns every `ts` is relative to. */
  readonly originNs: EpochNs;
  /** First packet begin over all streams (relative ns). */
  readonly beginTs: number;
  private readonly streams: FileStream[];
  private readonly sources: ItemSource[];
  private readonly compiled: CompiledTrace[];
  private heap: FileStream[] = [];
  private started = false;
  private endTsCache: number | undefined;
  private deferred: unknown;

  /** Each trace's name as babeltrace2 gives it (warnings name traces so; ties are ordered by it). */
  readonly traceNames: string[];

  private constructor(opened: OpenedTrace[], opts: OpenOptions, inputs: readonly string[]) {
    this.traces = opened.map((t) => t.info);
    this.compiled = opened.map((t) => t.compiled);
    if (opts.events !== undefined) for (const c of this.compiled) installSkipDecoders(c, opts.events);
    // A trace whose packets carry no timestamp_begin set no clock base while probed: its
    // streams' clocks start at 0 cycles, which is then the base (so the clock's offset is
    // kept: times are offset + cycles, not cycles since 1970).
    for (const t of opened) if (!t.compiled.K.isSet && t.compiled.clock !== undefined) t.compiled.K.set(0n);
    let origin: bigint | undefined;
    for (const t of opened) {
      for (const g of t.groups) {
        if (g.firstBegin === undefined) continue;
        const abs = t.compiled.cyclesToEpochNs(g.firstBegin);
        if (origin === undefined || abs < origin) origin = abs;
      }
    }
    if (origin === undefined)
      origin = opened.reduce<bigint | undefined>((m, t) => (t.compiled.K.isSet ? min(m, t.compiled.cyclesToEpochNs(t.compiled.K.base)) : m), undefined) ?? 0n;
    this.originNs = epochNs(origin);
    const nStreams = opened.reduce((n, t) => n + t.groups.length, 0);
    const chunk = opts.chunkBytes ?? Math.max(256 * 1024, Math.min(4 * 1024 * 1024, Math.floor((96 * 1024 * 1024) / Math.max(nStreams, 1))));
    this.traceNames = opened.map((t) => babeltraceTraceName(inputs, t.dir, t.info.hostname));
    // Ties: babeltrace2's muxer (plugins/common/muxing/muxing.c, common_muxing_compare_messages)
    // orders messages of equal time by, in turn: trace UUID (bytes compared; a trace with one
    // before a trace without), trace name (a trace with one first; strcmp), stream class id,
    // stream id (stream_instance_id, else numbered in the order of the streams' first file
    // paths). Its later rules (message type, event class id…) only order messages of one
    // stream, which are in stream order already. The rank below is that order of streams.
    const order: { t: number; g: number; key: StreamKey }[] = [];
    opened.forEach((t, ti) =>
      t.groups.forEach((g, gi) =>
        order.push({ t: ti, g: gi, key: { uuid: t.compiled.model.uuid, name: this.traceNames[ti]!, streamClassId: g.streamClassId, streamId: g.streamId } }),
      ),
    );
    order.sort((a, b) => cmpStreamKey(a.key, b.key));
    const rank = new Map<string, number>();
    order.forEach((o, i) => rank.set(`${o.t}/${o.g}`, i));
    this.streams = [];
    this.sources = [];
    let begin = Infinity;
    opened.forEach((t, ti) => {
      const c = t.compiled;
      const shiftBig = c.K.isSet ? c.cyclesToEpochNs(c.K.base) - origin : 0n;
      const shift = Number(shiftBig);
      t.groups.forEach((g, gi) => {
        const s = new FileStream(rank.get(`${ti}/${gi}`)!, ti, c, g.files, chunk, shift, shiftBig);
        this.streams.push(s);
        if (g.firstBegin !== undefined) begin = Math.min(begin, s.ns(g.firstBegin));
      });
    });
    this.beginTs = begin === Infinity ? 0 : begin;
    this.sources = this.streams.map((s, streamIndex) => {
      const g = opened[s.traceIdx]!.groups.find((x) => x.files === s.files)!;
      const src: ItemSource = {
        streamIndex,
        packet: undefined,
        trace: s.trace,
        traceIndex: s.traceIdx,
        streamFile: s.files[0]?.path ?? "",
        streamClassId: g.streamClassId,
        streamId: g.streamId,
        epochNs: () => s.trace.cyclesToEpochNs(s.trace.K.base + BigInt(s.S.clk)),
        eventClass: () => (s.head?.kind === "event" ? s.cls : undefined),
      };
      s.src = src;
      return src;
    });
  }

  /** Opens trace directories (or directories above them). Throws CtfError. */
  static open(paths: string[], opts: OpenOptions = {}): TraceSet {
    const dirs = findTraceDirs(paths);
    const opened = dirs.map((d) => openTrace(d));
    return new TraceSet(opened, opts, paths);
  }

  /** Last packet end over all streams (relative ns), from the index or packet headers. */
  get endTs(): number {
    if (this.endTsCache === undefined) {
      let end = this.beginTs;
      for (const s of this.streams) {
        for (let n = 0; n < s.files.length; n++) {
          const f = s.files[n]!;
          let packets = f.index;
          if (!packets) {
            const probe = new FileStream(-1, s.traceIdx, s.trace, s.files, 64 * 1024, s.shift);
            packets = probe.scanPackets(n);
            probe.close();
          }
          const last = packets[packets.length - 1];
          if (last) end = Math.max(end, s.ns(last.endCycles));
        }
      }
      this.endTsCache = end;
    }
    return this.endTsCache;
  }

  get counters(): TraceSetCounters {
    const c: TraceSetCounters = { events: 0, discardedEvents: 0, lostPackets: 0, packets: 0 };
    for (const s of this.streams) {
      c.events += s.counters.events;
      c.discardedEvents += s.counters.discardedEvents;
      c.lostPackets += s.counters.lostPackets;
      c.packets += s.counters.packets;
    }
    return c;
  }

  /**
   * The labels of the top-level enum fields of the event class named `name` (its first
   * trace that has one), as babeltrace 1 would give them (server/ctf/enums.ts); null when
   * it has no enum field or no such class. Computed on first request per name.
   */
  enumLabels(name: string): ReadonlyMap<string, EnumLabeler> | null {
    let byName = this.enumsByName;
    if (byName === undefined) this.enumsByName = byName = new Map();
    let labels = byName.get(name);
    if (labels === undefined) {
      let ev: CompiledEvent | undefined;
      for (const c of this.compiled) if ((ev = c.eventList.find((e) => e.name === name)) !== undefined) break;
      byName.set(name, (labels = ev === undefined ? null : enumFieldLabelers(ev)));
    }
    return labels;
  }
  private enumsByName: Map<string, ReadonlyMap<string, EnumLabeler> | null> | undefined;

  /** Every event class of every trace (for per-class statistics); index = CompiledEvent.index per trace. */
  eventClasses(trace: number): CompiledEvent[] {
    return this.compiled[trace]!.eventList;
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.heap = [];
    for (const s of this.streams) if (s.advance()) this.heap.push(s);
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftDown(i: number): void {
    const h = this.heap;
    const n = h.length;
    const x = h[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && less(h[r]!, h[l]!)) c = r;
      if (!less(h[c]!, x)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = x;
  }

  /** After the top stream delivered its item: move it on, keep the heap ordered. */
  private step(top: FileStream): void {
    let more: boolean;
    try {
      more = top.advance();
    } catch (e) {
      // Items decoded before the error are delivered first; the error comes next.
      this.deferred = e;
      more = false;
    }
    if (more) this.siftDown(0);
    else {
      const last = this.heap.pop()!;
      if (this.heap.length) {
        this.heap[0] = last;
        this.siftDown(0);
      }
    }
  }

  private throwDeferred(): void {
    if (this.deferred !== undefined) {
      const e = this.deferred;
      this.deferred = undefined;
      this.heap = [];
      throw e;
    }
  }

  [Symbol.iterator](): Iterator<TraceItem> {
    this.start();
    return {
      next: (): IteratorResult<TraceItem> => {
        this.throwDeferred();
        const top = this.heap[0];
        if (top === undefined) return { done: true, value: undefined };
        const h = top.head!;
        let value: TraceItem;
        if (h.kind === "event") {
          const e: EventRecord = {
            kind: "event",
            name: h.name,
            ts: h.ts,
            cpu: h.cpu,
            trace: h.trace,
            payload: h.payload as EventRecord["payload"],
            context: h.context as EventRecord["context"],
          };
          value = e;
        } else value = h;
        this.step(top);
        return { done: false, value };
      },
    };
  }

  /**
   * The fast visitor: calls `cb` for every item in time order. The event record passed is
   * REUSED for the next event of the same stream: copy what you keep (payload and context
   * objects themselves are fresh per event and may be kept). Return `false` to stop early.
   */
  forEach(cb: (item: EventRecord | DiscardedRecord | LostPacketsRecord, src: ItemSource) => boolean | void): void {
    this.start();
    for (;;) {
      this.throwDeferred();
      const top = this.heap[0];
      if (top === undefined) return;
      const src = top.src as ItemSource;
      src.packet = top.packet;
      const stop = cb(top.head as EventRecord, src) === false;
      this.step(top);
      if (stop) return;
    }
  }

  /**
   * Visits every item stream by stream, NOT in global time order (each stream's items are
   * in order). Faster than forEach for order-independent work (counts, statistics). Same
   * record reuse rules as forEach. Independent of (and resets) the ordered iteration.
   */
  forEachUnordered(cb: (item: EventRecord | DiscardedRecord | LostPacketsRecord, src: ItemSource) => boolean | void): void {
    this.heap = [];
    this.started = true;
    for (const s of this.streams) {
      s.rewind();
      const src = s.src as ItemSource;
      while (s.advance()) {
        src.packet = s.packet;
        if (cb(s.head as EventRecord, src) === false) return;
      }
    }
  }

  /** Back to the start of every stream (the next iteration reads from the beginning). */
  rewind(): void {
    this.deferred = undefined;
    this.heap = [];
    this.started = false;
    for (const s of this.streams) s.rewind();
  }

  /**
   * Each stream's messages as babeltrace2's src.ctf.fs would emit them (stream beginning,
   * then per packet: discarded events/packets, packet beginning, events, packet end; stream
   * end), with their times, for reproducing babeltrace2's own behaviour (compat/). Streams
   * in the order of `this.streams` (babeltrace2's port order); `rank` is the tie-break rank.
   * Reads every stream once; rewinds the set.
   */
  messagePlans(): MessagePlan[] {
    const classIds = new Map<object, number>();
    const plans: MessagePlan[] = [];
    for (const s of this.streams) {
      s.rewind();
      const types: number[] = [];
      const times: number[] = [];
      const classes: number[] = [];
      const push = (type: MessageType, ts: number, cls = -1) => {
        types.push(type);
        times.push(ts);
        classes.push(cls);
      };
      let open: PacketInfo | undefined;
      let beginPending = false;
      const closePacket = () => {
        if (open === undefined) return;
        if (beginPending) push(MessageType.PacketBeginning, open.beginCycles !== undefined ? s.ns(open.beginCycles) : NaN);
        push(MessageType.PacketEnd, open.endCycles !== undefined ? s.ns(open.endCycles) : NaN);
      };
      push(MessageType.StreamBeginning, NaN);
      s.onPacket = (info) => {
        closePacket();
        open = info;
        beginPending = true;
      };
      try {
        while (s.advance()) {
          const h = s.head!;
          if (h.kind === "event") {
            if (beginPending) {
              push(MessageType.PacketBeginning, open!.beginCycles !== undefined ? s.ns(open!.beginCycles) : NaN);
              beginPending = false;
            }
            let id = classIds.get(s.cls!);
            if (id === undefined) classIds.set(s.cls!, (id = classIds.size));
            push(MessageType.Event, h.ts, id);
          } else {
            // babeltrace2 times these by the packets around them only when both have times.
            const timed = open?.beginCycles !== undefined && open.endCycles !== undefined;
            push(h.kind === "discarded" ? MessageType.DiscardedEvents : MessageType.DiscardedPackets, timed ? h.beginTs : NaN);
          }
        }
      } finally {
        s.onPacket = undefined;
      }
      closePacket();
      push(MessageType.StreamEnd, NaN);
      plans.push({ rank: s.id, types: Uint8Array.from(types), times: Float64Array.from(times), classes: Int32Array.from(classes) });
    }
    this.rewind();
    return plans;
  }

  /** Positions every stream at the first item at or after `ts` (relative ns). */
  seek(ts: number): void {
    this.deferred = undefined;
    this.started = true;
    this.heap = [];
    for (const s of this.streams) {
      s.seekTo(ts);
      let more = s.advance();
      while (more && s.headTs < ts) more = s.advance();
      if (more) this.heap.push(s);
    }
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  close(): void {
    for (const s of this.streams) s.close();
    this.heap = [];
  }

  /**
   * Each data file's span, first packet begin to last packet end (relative ns), from the
   * index or packet headers (no event decoding); null for a file without a whole packet.
   * Per file, not per stream, because babeltrace 1 reads each rotated file as a stream of
   * its own, and its stream intersection (lttng-analyses' default) works at that level.
   */
  fileSpans(): FileSpan[] {
    const out: FileSpan[] = [];
    for (const s of this.streams) {
      let probe: FileStream | undefined;
      s.files.forEach((f, n) => {
        if (!f.index) probe ??= new FileStream(-1, s.traceIdx, s.trace, s.files, 64 * 1024, s.shift);
        const packets = f.index ?? probe!.scanPackets(n);
        const first = packets[0];
        const last = packets[packets.length - 1];
        out.push({ trace: s.traceIdx, path: f.path, span: first && last ? [s.ns(first.beginCycles), s.ns(last.endCycles)] : null });
      });
      probe?.close();
    }
    return out;
  }
}

/** babeltrace2 message types (the ones src.ctf.fs emits). */
export const MessageType = {
  StreamBeginning: 0,
  PacketBeginning: 1,
  Event: 2,
  DiscardedEvents: 3,
  PacketEnd: 4,
  DiscardedPackets: 5,
  StreamEnd: 6,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** One stream's babeltrace2 messages (TraceSet.messagePlans). */
export interface MessagePlan {
  /** Rank of the stream in babeltrace2's tie-break (lower first). */
  rank: number;
  types: Uint8Array;
  /** Set-relative ns; NaN for a message without a clock snapshot. */
  times: Float64Array;
  /** Event class (dense id over the set) of event messages; -1 for the others. */
  classes: Int32Array;
}

export interface FileSpan {
  trace: number;
  path: string;
  span: [begin: number, end: number] | null;
}

/**
 * Merge order. Within a trace, times relative to the trace's clock base are exact. Across
 * traces, set-relative numbers are exact only within 104 days of the origin: when two are
 * that close to each other, compare exact bigints.
 */
function less(a: FileStream, b: FileStream): boolean {
  if (a.traceIdx === b.traceIdx) return a.headRel < b.headRel || (a.headRel === b.headRel && a.id < b.id);
  const d = a.headTs - b.headTs;
  if (d < -4096 || d > 4096) return d < 0;
  const ea = a.shiftBig + BigInt(Math.round(a.headRel));
  const eb = b.shiftBig + BigInt(Math.round(b.headRel));
  return ea < eb || (ea === eb && a.id < b.id);
}

interface StreamKey {
  uuid: string | undefined;
  name: string;
  streamClassId: number;
  streamId: number;
}

/** babeltrace2's tie-break between streams (see the constructor). */
function cmpStreamKey(a: StreamKey, b: StreamKey): number {
  if (a.uuid !== b.uuid) {
    if (a.uuid === undefined) return 1;
    if (b.uuid === undefined) return -1;
    // Canonical lower-case hex: comparing the text compares the 16 bytes.
    const ua = a.uuid.toLowerCase();
    const ub = b.uuid.toLowerCase();
    if (ua !== ub) return ua < ub ? -1 : 1;
  }
  if (a.name !== b.name) return Buffer.compare(Buffer.from(a.name), Buffer.from(b.name));
  if (a.streamClassId !== b.streamClassId) return a.streamClassId < b.streamClassId ? -1 : 1;
  if (a.streamId !== b.streamId) return a.streamId < b.streamId ? -1 : 1;
  return 0;
}

/**
 * babeltrace2's trace name (src.ctf.fs): the hostname, then the trace directory relative
 * to the input path it was found under (its base name when the input is the trace itself).
 */
export function babeltraceTraceName(inputs: readonly string[], tracePath: string, hostname: string): string {
  const abs = inputs.map((i) => resolve(i));
  const input = abs.find((i) => tracePath === i || tracePath.startsWith(i + "/")) ?? dirname(tracePath);
  const rel = relative(input, tracePath) || basename(tracePath);
  return hostname ? `${hostname}/${rel}` : rel;
}

function min(a: bigint | undefined, b: bigint): bigint {
  return a === undefined || b < a ? b : a;
}

function openTrace(dir: string): OpenedTrace {
  const mdFile = join(dir, "metadata");
  const model = readMetadataFile(mdFile);
  let compiled: CompiledTrace;
  try {
    compiled = new CompiledTrace(model);
    compiled.metadataFile = mdFile;
  } catch (e) {
    if (e instanceof CtfError) throw e.withFile(mdFile);
    throw new CtfError("metadata-semantic", `Cannot compile decoders (${(e as Error)?.message ?? String(e)})`, { file: mdFile }, { cause: e });
  }
  const env = model.env;
  const info: TraceInfo = {
    path: dir,
    domain: typeof env.domain === "string" ? env.domain : "",
    hostname: typeof env.hostname === "string" ? env.hostname : "",
    env,
  };
  if (env.tracer_major !== undefined && env.tracer_minor !== undefined)
    info.tracerVersion = { major: Number(env.tracer_major), minor: Number(env.tracer_minor), patch: Number(env.tracer_patchlevel ?? 0) };
  const probed = listDataFiles(dir).map((f) => probeFile(compiled, f, dir));
  // Files of one stream (tracefile rotation) share stream class and instance id.
  const groups = new Map<string, { files: (StreamFile & { begin?: bigint })[]; streamClassId: number; streamId: number }>();
  let auto = 0;
  for (const p of probed) {
    const key = p.instanceId !== undefined ? `${p.streamClassId}:${p.instanceId}` : `file:${p.file.path}`;
    let g = groups.get(key);
    if (!g) {
      g = { files: [], streamClassId: p.streamClassId, streamId: p.instanceId !== undefined ? Number(p.instanceId) : auto++ };
      groups.set(key, g);
    }
    g.files.push({ path: p.file.path, size: p.file.size, ...(p.index ? { index: p.index } : {}), ...(p.begin !== undefined ? { begin: p.begin } : {}) });
  }
  const out = [...groups.values()].map((g) => {
    g.files.sort((a, b) => (a.begin === undefined || b.begin === undefined ? 0 : a.begin < b.begin ? -1 : a.begin > b.begin ? 1 : 0));
    const firstBegin = g.files[0]?.begin;
    return { files: g.files.map(({ begin: _b, ...f }) => f), streamClassId: g.streamClassId, streamId: g.streamId, firstBegin };
  });
  return { dir, compiled, info, groups: out };
}

/** Reads a data file's first packet header + context (stream ids, first timestamp). */
function probeFile(compiled: CompiledTrace, file: DataFile, dir: string) {
  const fd = openTraceFile(file.path, "stream file");
  const buf = Buffer.allocUnsafe(Math.min(PROBE_BYTES, file.size));
  try {
    let got = 0;
    while (got < buf.length) {
      const r = readSync(fd, buf, got, buf.length - got, got);
      if (r === 0) break;
      got += r;
    }
  } catch (e) {
    throw new CtfError("io", "Cannot read stream file", { file: file.path, offsetBytes: 0 }, { cause: e });
  } finally {
    closeSync(fd);
  }
  const S = new DecodeState();
  S.setBuffer(buf, 0);
  let info;
  try {
    info = compiled.beginPacket(S, 0, buf.length, { file: file.path, fileOffset: 0 });
  } catch (e) {
    if (e instanceof CtfError) throw e.file === undefined ? e.withFile(file.path, 0) : e;
    throw new CtfError("bad-packet", `Cannot decode packet header (${(e as Error)?.message ?? String(e)})`, { file: file.path, offsetBytes: 0 }, { cause: e });
  }
  const index = readPacketIndex(join(dir, "index", file.name + ".idx"));
  const okIndex =
    index && index.length > 0 && index[0]!.offsetBytes === 0 && index.every((e) => e.offsetBytes + e.packetBits / 8 <= file.size) ? index : undefined;
  return { file, streamClassId: info.streamId, instanceId: info.streamInstanceId, begin: info.beginCycles, index: okIndex };
}
