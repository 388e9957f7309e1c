/**
 * The packet-level decoder shared by files and the live client: given a trace model and a
 * buffer holding a packet, decode its header and context, then its events one by one. It
 * knows nothing of files, sockets or ordering (STYLE "keep the decoder narrow").
 */
import { CtfError } from "../errors";
import type { ClockModel, EventClass, StreamClass, StructType, TraceModel } from "../tsdl/model";
import { ClockBase, compileEvent, compileEventHeader, compileScopeStruct, type DecodeEvent, type DecoderCache } from "./codegen";
import { DecodeState } from "./runtime";
import { epochNs, type EpochNs } from "../../time";

const CTF_MAGIC = 0xc1fc1fc1;

export interface PacketInfo {
  /** Offset of the packet in its source (file offset for files). */
  offsetBytes: number;
  /** Whole packet size in bytes (padding included). */
  packetBytes: number;
  /** Content size in bits from the packet start. */
  contentBits: number;
  streamId: number;
  streamInstanceId?: number | bigint;
  /** Raw clock values (cycles) of `timestamp_begin` / `timestamp_end`. */
  beginCycles?: bigint;
  endCycles?: bigint;
  /** Packet context `events_discarded` snapshot (a running counter). */
  eventsDiscarded?: number;
  /** Packet context `packet_seq_num`. */
  seqNum?: number;
  /** Packet context `cpu_id`, -1 when absent. */
  cpu: number;
  /** Decoded packet header and context (display names). */
  header: Record<string, unknown>;
  context: Record<string, unknown>;
}

/** A compiled event class. Its decoder is generated on first use (kernel traces declare ~1,500 classes). */
export class CompiledEvent {
  readonly name: string;
  constructor(
    readonly cls: EventClass,
    /** Index in CompiledTrace.eventList (dense, for per-class counters). */
    readonly index: number,
    private readonly stream: CompiledStream,
    private readonly trace: CompiledTrace,
  ) {
    this.name = cls.name;
  }

  /** The stream class's event context (decoded into every event's context, before the class's own). */
  get streamEventContext(): StructType | undefined {
    return this.stream.cls.eventContext;
  }

  /** The generated decoder (compiled now if needed). */
  decoder(): DecodeEvent {
    let fn = this.stream.decoders[this.cls.id < 65536 ? this.cls.id : 0];
    if (fn === undefined || this.cls.id >= 65536) {
      try {
        fn = compileEvent(
          this.cls,
          this.stream.cls.eventContext,
          { ph: this.trace.model.packetHeader, pc: this.stream.cls.packetContext },
          this.trace.K,
          this.trace.decoderCache,
        );
      } catch (e) {
        const md = this.trace.metadataFile;
        throw e instanceof CtfError && e.file === undefined && md !== undefined ? e.withFile(md) : e;
      }
      if (this.cls.id < 65536) this.stream.decoders[this.cls.id] = fn;
    }
    return fn;
  }
}

export class CompiledStream {
  readonly packetContext: ((S: DecodeState) => Record<string, unknown>) | undefined;
  readonly header: ((S: DecodeState) => void) | undefined;
  /** Event classes by id (dense array; sparse ids above 65535 go to `byId`). */
  readonly events: (CompiledEvent | undefined)[] = [];
  /**
   * Generated decoders by event id, filled on first use. Kept apart from CompiledEvent:
   * replacing a function-valued property would deoptimise the loop that calls it.
   */
  readonly decoders: (DecodeEvent | undefined)[] = [];
  readonly byId = new Map<number, CompiledEvent>();
  readonly defaultEventId: number;

  constructor(
    readonly cls: StreamClass,
    trace: CompiledTrace,
  ) {
    const ph = trace.model.packetHeader;
    this.packetContext = cls.packetContext ? compileScopeStruct(cls.packetContext, "pc", { ph }, trace.K) : undefined;
    this.header = cls.eventHeader && cls.eventHeader.fields.length ? compileEventHeader(cls.eventHeader, { ph, pc: cls.packetContext }, trace.K) : undefined;
    const ids = [...cls.events.keys()].sort((a, b) => a - b);
    this.defaultEventId = ids.length === 1 ? ids[0]! : 0;
    // Packed arrays (no holes) keep the by-id lookups on V8's fast elements path.
    const dense = Math.min(65536, (ids.filter((i) => i < 65536).pop() ?? -1) + 1);
    for (let i = 0; i < dense; i++) {
      this.events.push(undefined);
      this.decoders.push(undefined);
    }
    for (const id of ids) {
      const ev = new CompiledEvent(cls.events.get(id)!, trace.eventList.length, this, trace);
      trace.eventList.push(ev);
      this.byId.set(id, ev);
      if (id < 65536) this.events[id] = ev;
    }
  }
}

const INT64_MAX = (1n << 63n) - 1n;

/** Everything generated from one trace's metadata. */
export class CompiledTrace {
  readonly K = new ClockBase();
  /** Generated event decoders by source (shared by classes of identical layout). */
  readonly decoderCache: DecoderCache = new Map();
  readonly packetHeader: ((S: DecodeState) => Record<string, unknown>) | undefined;
  readonly streams = new Map<number, CompiledStream>();
  readonly eventList: CompiledEvent[] = [];
  /** The clock events are timed with, when the metadata declares one. */
  readonly clock: ClockModel | undefined;
  /** Absolute epoch ns of clock value 0 (offset_s and offset applied). */
  readonly clockOffsetNs: bigint;
  /** Nanoseconds per cycle. */
  readonly nsPerCycle: number;
  private readonly uuidBytes: number[] | undefined;
  /** The metadata file, named by errors found when a class is compiled lazily. */
  metadataFile: string | undefined;

  constructor(readonly model: TraceModel) {
    this.packetHeader = model.packetHeader ? compileScopeStruct(model.packetHeader, "ph", {}, this.K) : undefined;
    for (const [id, s] of model.streams) this.streams.set(id, new CompiledStream(s, this));
    this.clock = pickClock(model);
    const c = this.clock;
    this.clockOffsetNs = c ? c.offsetSeconds * 1000000000n + (c.offsetCycles * 1000000000n) / c.freq : 0n;
    // Times are signed 64-bit ns since the epoch at the edges (as in babeltrace2, which
    // refuses such a clock too): an offset outside that range has no true time to show.
    if (c && (this.clockOffsetNs > INT64_MAX || this.clockOffsetNs < -INT64_MAX - 1n))
      throw new CtfError(
        "metadata-semantic",
        `Clock '${c.name}' cannot be converted to nanoseconds since the epoch: its offset (offset_s = ${c.offsetSeconds}, offset = ${c.offsetCycles} cycles) does not fit in 64 bits`,
      );
    this.nsPerCycle = c ? 1e9 / Number(c.freq) : 1;
    this.uuidBytes = model.uuid
      ? model.uuid
          .replace(/-/g, "")
          .match(/../g)!
          .map((h) => parseInt(h, 16))
      : undefined;
  }

  /** Absolute epoch ns of a raw clock value. */
  cyclesToEpochNs(cycles: bigint): EpochNs {
    const c = this.clock;
    if (!c || c.freq === 1000000000n) return epochNs(this.clockOffsetNs + cycles);
    return epochNs(this.clockOffsetNs + (cycles * 1000000000n) / c.freq);
  }

  /**
   * Reads the packet header and context of the packet at byte `off` of `u8` (`avail` bytes
   * available from there). Leaves `S` ready to decode the packet's events. Throws
   * CtfError("bad-packet"/"truncated") naming the file offset.
   */
  beginPacket(S: DecodeState, off: number, avail: number, where: { file: string; fileOffset: number }): PacketInfo {
    S.off = off;
    S.pos = 0;
    S.end = avail * 8;
    const at = where.fileOffset + off;
    const fail = (code: "bad-packet" | "truncated", msg: string): never => {
      throw new CtfError(code, msg, { file: where.file || undefined, offsetBytes: at });
    };
    // A scope the data ends inside of is a truncated packet, named by its file offset.
    const scope = (decode: ((S: DecodeState) => Record<string, unknown>) | undefined, what: string): Record<string, unknown> => {
      try {
        return decode === undefined ? {} : decode(S);
      } catch (e) {
        if (e instanceof CtfError) fail("truncated", `Packet ${what} runs past the end of the data`);
        throw e;
      }
    };
    const header = scope(this.packetHeader, "header");
    S.ph = header;
    if ("magic" in header && header.magic !== CTF_MAGIC) fail("bad-packet", `Bad packet magic 0x${Number(header.magic).toString(16)}`);
    const uuid = header.uuid;
    if (this.uuidBytes && Array.isArray(uuid)) {
      for (let i = 0; i < 16; i++) if (uuid[i] !== this.uuidBytes[i]) fail("bad-packet", "Packet UUID differs from the trace UUID");
    }
    const streamId = header.stream_id === undefined ? (this.streams.size === 1 ? [...this.streams.keys()][0]! : 0) : Number(header.stream_id);
    const stream = this.streams.get(streamId);
    if (!stream) return fail("bad-packet", `Packet refers to unknown stream class ${String(header.stream_id)}`);
    const context = scope(stream.packetContext, "context");
    S.pc = context;
    const packetBits = context.packet_size === undefined ? avail * 8 : toNum(context.packet_size);
    const contentBits = context.content_size === undefined ? packetBits : toNum(context.content_size);
    if (!(packetBits > 0) || packetBits % 8 !== 0) fail("bad-packet", `Bad packet size ${String(context.packet_size)} bits`);
    if (!(contentBits <= packetBits)) fail("bad-packet", `Content size ${contentBits} bits exceeds packet size ${packetBits} bits`);
    if (contentBits < S.pos) fail("bad-packet", `Content size ${contentBits} bits is smaller than the packet header and context`);
    const info: PacketInfo = {
      offsetBytes: at,
      packetBytes: packetBits / 8,
      contentBits,
      streamId,
      cpu: context.cpu_id === undefined ? -1 : Number(context.cpu_id),
      header,
      context,
    };
    if (header.stream_instance_id !== undefined) info.streamInstanceId = header.stream_instance_id as number | bigint;
    if (context.timestamp_begin !== undefined) info.beginCycles = BigInt(context.timestamp_begin as number | bigint);
    if (context.timestamp_end !== undefined) info.endCycles = BigInt(context.timestamp_end as number | bigint);
    if (context.events_discarded !== undefined) info.eventsDiscarded = Number(context.events_discarded);
    if (context.packet_seq_num !== undefined) info.seqNum = Number(context.packet_seq_num);
    if (info.beginCycles !== undefined) {
      if (!this.K.isSet) this.K.set(info.beginCycles);
      this.setClock(S, info.beginCycles);
    }
    S.end = Math.min(contentBits, avail * 8);
    return info;
  }

  /** Positions the stream clock at an absolute cycle value. */
  setClock(S: DecodeState, cycles: bigint): void {
    S.clk = Number(cycles - this.K.base);
    S.lo32 = Number(cycles & 0xffffffffn);
  }

  /** Cycles → ns relative to the trace's clock base (the caller adds its own shift). */
  relNs(cycles: bigint): number {
    return Number(cycles - this.K.base) * this.nsPerCycle;
  }

  streamOf(info: PacketInfo): CompiledStream {
    return this.streams.get(info.streamId)!;
  }
}

/** A mutable event record as decoders fill it (the public EventRecord shape). */
export interface MutableEvent {
  kind: "event";
  name: string;
  ts: number;
  cpu: number;
  trace: number;
  payload: Record<string, unknown>;
  context: Record<string, unknown>;
}

export function newMutableEvent(trace: number): MutableEvent {
  // ts: -0 keeps the field a double from the start (see DecodeState).
  return { kind: "event", name: "", ts: -0, cpu: -1, trace, payload: {}, context: {} };
}

/**
 * Decodes the next event of the current packet into `rec` (name, payload, context, clock in
 * S.clk). Returns its class, or undefined at the end of the packet content.
 */
export function decodeNextEvent(S: DecodeState, stream: CompiledStream, rec: MutableEvent, where: { file: string }): CompiledEvent | undefined {
  if (S.pos >= S.end) return undefined;
  const start = S.pos;
  S.eid = stream.defaultEventId;
  if (stream.header !== undefined) stream.header(S);
  const id = S.eid;
  const ev = id < 65536 ? stream.events[id] : stream.byId.get(id);
  if (ev === undefined) {
    throw new CtfError("bad-event", `Unknown event class id ${id} in stream class ${stream.cls.id}`, {
      file: where.file || undefined,
      offsetBytes: S.fileOffset + S.off + Math.floor(S.pos / 8),
    });
  }
  const fn = id < 65536 ? stream.decoders[id] : undefined;
  if (fn !== undefined) fn(S, rec as unknown as { context: unknown; payload: unknown });
  else ev.decoder()(S, rec as unknown as { context: unknown; payload: unknown });
  rec.name = ev.name;
  // An event that occupies no bits would repeat forever (possible with corrupt metadata).
  if (S.pos <= start) {
    throw new CtfError("bad-event", `Event class '${ev.name}' decodes to zero bits`, {
      file: where.file || undefined,
      offsetBytes: S.fileOffset + S.off + Math.floor(start / 8),
    });
  }
  return ev;
}

function pickClock(model: TraceModel): ClockModel | undefined {
  const names = new Set<string>();
  const visit = (t: StructType | undefined) => {
    if (!t) return;
    const walk = (x: import("../tsdl/model").CtfType): void => {
      if (x.kind === "int" && x.clock) names.add(x.clock);
      else if (x.kind === "struct") x.fields.forEach((f) => walk(f.type));
      else if (x.kind === "variant") x.options.forEach((f) => walk(f.type));
    };
    walk(t);
  };
  for (const s of model.streams.values()) {
    visit(s.eventHeader);
    visit(s.packetContext);
  }
  for (const n of names) {
    const c = model.clocks.get(n);
    if (c) return c;
  }
  return model.clocks.size ? [...model.clocks.values()][0] : undefined;
}

function toNum(v: unknown): number {
  return typeof v === "bigint" ? (v > 0xfffffffffffffn ? NaN : Number(v)) : Number(v);
}
