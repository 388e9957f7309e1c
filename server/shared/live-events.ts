/**
 * Live events as columns, the one format from the live worker to the browser.
 *
 * The worker writes a pass's events into one transferable buffer (`BatchWriter`); the
 * fan-out never turns them into objects to forward them: a subscriber's share is copied,
 * buffer to buffer, into a packed `LiveEvents` (`packEvents`) whose wire form (base64 of the
 * buffer, the name and shape tables it uses, the time-of-day of each second it spans) is
 * computed once and sent as is to every subscriber that takes the same events. The browser
 * reads the same buffer with the same class and builds an event object only for a row it
 * shows or a field it needs. Building and serialising ~200 k event objects a second per
 * subscriber cost the server more than decoding them (server/live/README.md, "Speed").
 *
 * Layout, little-endian, n events:
 *   seq f64[n] | ts f64[n] | name u32[n] | cpu i32[n] | pshape i32[n] | cshape i32[n] |
 *   starts u32[n+1] | field bytes
 * `ts` is in ns from the batch's origin (exact below 2^53 ns); `name` indexes the name table;
 * `pshape` / `cshape` index the shape table (an event class's payload / context keys, stable
 * per class: server/ctf/decode/codegen.ts), and the event's bytes then hold just the values
 * in key order, or are -1 and the bytes hold a generic value (keys inline). `starts[i]` is
 * where event i's payload begins (its context follows); `starts[n]` is the end.
 *
 * ISOMORPHIC (bundled into the browser, like validators.ts): no Node-only imports.
 */
import SuperJSON from "superjson";
import type { FieldMap, FieldValue } from "../ctf/types";
import { brandAcrossBundles } from "./domain-error";

export interface WireEvent {
  /** Order of arrival in this channel (for sampling, and React keys). */
  seq: number;
  /** Absolute epoch ns. */
  tsNs: bigint;
  /** `HH:MM:SS.nnnnnnnnn` as babeltrace2 prints it (the server's time zone). */
  time: string;
  name: string;
  cpu: number;
  payload: FieldMap;
  context: FieldMap;
}

/** A batch's name and shape tables (the worker's, growing; or a packed batch's own). */
export interface LiveTables {
  names: string[];
  shapes: string[][];
}

/** `HH:MM:SS.nnnnnnnnn` of an absolute time split in whole epoch seconds and ns (0..1e9-1). */
export type TimeOfDay = (sec: number, ns: number) => string;

// Value tags of the field encoding.
const T_NULL = 0;
const T_INT32 = 1;
const T_F64 = 2;
const T_I64 = 3;
const T_U64 = 4;
const T_ASCII = 5;
const T_UTF8 = 6;
const T_ARRAY = 7;
const T_OBJECT = 9;

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const U64_MAX = (1n << 64n) - 1n;
const NS_PER_S = 1_000_000_000;
const COLUMN_BYTES = 8 + 8 + 4 * 4;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** Bytes of the columns of n events (the field bytes follow). */
function columnsSize(n: number): number {
  return n * COLUMN_BYTES + (n + 1) * 4;
}

interface Columns {
  seq: Float64Array;
  ts: Float64Array;
  name: Uint32Array;
  cpu: Int32Array;
  pshape: Int32Array;
  cshape: Int32Array;
  starts: Uint32Array;
  bytes: Uint8Array;
}

function columnsOf(buf: ArrayBuffer, n: number, byteLength = buf.byteLength): Columns {
  const at = (k: number) => n * 8 * Math.min(k, 2) + n * 4 * Math.max(0, k - 2);
  const bytesAt = columnsSize(n);
  return {
    seq: new Float64Array(buf, at(0), n),
    ts: new Float64Array(buf, at(1), n),
    name: new Uint32Array(buf, at(2), n),
    cpu: new Int32Array(buf, at(3), n),
    pshape: new Int32Array(buf, at(4), n),
    cshape: new Int32Array(buf, at(5), n),
    starts: new Uint32Array(buf, at(6), n + 1),
    bytes: new Uint8Array(buf, bytesAt, byteLength - bytesAt),
  };
}

/** A pass's events as the worker posts them: the buffer (transferred), and what the tables gained. */
export interface WrittenBatch {
  buf: ArrayBuffer;
  count: number;
  /** Name table entries added by this batch (ids continue the writer's table). */
  names: string[];
  /** Shape table entries added by this batch. */
  shapes: string[][];
}

/** Builds batches in the worker: `add` per event in time order, `take` per pass. */
export class BatchWriter {
  private n = 0;
  private cap = 1024;
  private seqCol = new Float64Array(this.cap);
  private ts = new Float64Array(this.cap);
  private nameId = new Uint32Array(this.cap);
  private cpu = new Int32Array(this.cap);
  private pshape = new Int32Array(this.cap);
  private cshape = new Int32Array(this.cap);
  private starts = new Uint32Array(this.cap + 1);
  private bytes = new Uint8Array(1 << 16);
  private dv = new DataView(this.bytes.buffer);
  private pos = 0;
  private seq = 0;
  private readonly nameIds = new Map<string, number>();
  private newNames: string[] = [];
  private readonly shapeIds = new Map<string, number>();
  private newShapes: string[][] = [];
  /** Per event class: shape ids and keys of its payload and context. */
  private readonly classShapes = new Map<object, [number, string[], number, string[]]>();

  get length(): number {
    return this.n;
  }

  /**
   * `ts`: ns relative to the batch origin; `nameId` from `nameOf`. With `cls` (the decoder's
   * event class, whose payload and context always have the same keys) the keys go once, in
   * the shape table.
   */
  add(ts: number, nameId: number, cpu: number, payload: FieldMap, context: FieldMap, cls?: object): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.seqCol[i] = this.seq++;
    this.ts[i] = Math.round(ts);
    this.nameId[i] = nameId;
    this.cpu[i] = cpu;
    this.starts[i] = this.pos;
    if (cls) {
      const s = this.shapesOf(cls, payload, context);
      this.pshape[i] = s[0];
      this.cshape[i] = s[2];
      this.shaped(payload, s[1]);
      this.shaped(context, s[3]);
    } else {
      this.pshape[i] = this.cshape[i] = -1;
      this.value(payload);
      this.value(context);
    }
  }

  /** Name id of an event name (filters cache their name test per id). */
  nameOf(name: string): number {
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.nameIds.size;
      this.nameIds.set(name, id);
      this.newNames.push(name);
    }
    return id;
  }

  /** The batch so far (undefined when empty), and a fresh one started. */
  take(): WrittenBatch | undefined {
    const n = this.n;
    if (n === 0) return undefined;
    this.starts[n] = this.pos;
    const buf = new ArrayBuffer(columnsSize(n) + this.pos);
    const c = columnsOf(buf, n);
    c.seq.set(this.seqCol.subarray(0, n));
    c.ts.set(this.ts.subarray(0, n));
    c.name.set(this.nameId.subarray(0, n));
    c.cpu.set(this.cpu.subarray(0, n));
    c.pshape.set(this.pshape.subarray(0, n));
    c.cshape.set(this.cshape.subarray(0, n));
    c.starts.set(this.starts.subarray(0, n + 1));
    c.bytes.set(this.bytes.subarray(0, this.pos));
    const out: WrittenBatch = { buf, count: n, names: this.newNames, shapes: this.newShapes };
    this.n = 0;
    this.pos = 0;
    this.newNames = [];
    this.newShapes = [];
    return out;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const re = <T extends Float64Array | Uint32Array | Int32Array>(a: T, len: number): T => {
      const b = new (a.constructor as new (n: number) => T)(len);
      b.set(a);
      return b;
    };
    this.seqCol = re(this.seqCol, cap);
    this.ts = re(this.ts, cap);
    this.nameId = re(this.nameId, cap);
    this.cpu = re(this.cpu, cap);
    this.pshape = re(this.pshape, cap);
    this.cshape = re(this.cshape, cap);
    this.starts = re(this.starts, cap + 1);
    this.cap = cap;
  }

  private shapesOf(cls: object, payload: FieldMap, context: FieldMap): [number, string[], number, string[]] {
    let s = this.classShapes.get(cls);
    if (!s) {
      const p = Object.keys(payload);
      const c = Object.keys(context);
      s = [this.shapeId(p), p, this.shapeId(c), c];
      this.classShapes.set(cls, s);
    }
    return s;
  }

  private shapeId(keys: string[]): number {
    const k = keys.join("\0");
    let id = this.shapeIds.get(k);
    if (id === undefined) {
      id = this.shapeIds.size;
      this.shapeIds.set(k, id);
      this.newShapes.push(keys);
    }
    return id;
  }

  private room(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    let len = this.bytes.length * 2;
    while (len < this.pos + n) len *= 2;
    const b = new Uint8Array(len);
    b.set(this.bytes.subarray(0, this.pos));
    this.bytes = b;
    this.dv = new DataView(b.buffer);
  }

  private shaped(obj: FieldMap, keys: string[]): void {
    for (let i = 0; i < keys.length; i++) this.value(obj[keys[i]!]);
  }

  private value(v: FieldValue | undefined): void {
    this.room(9);
    const b = this.bytes;
    if (typeof v === "number") {
      if ((v | 0) === v && (v !== 0 || 1 / v > 0)) {
        b[this.pos] = T_INT32;
        this.dv.setInt32(this.pos + 1, v, true);
        this.pos += 5;
      } else {
        b[this.pos] = T_F64;
        this.dv.setFloat64(this.pos + 1, v, true);
        this.pos += 9;
      }
    } else if (typeof v === "string") this.string(v);
    else if (typeof v === "bigint") {
      if (v >= I64_MIN && v <= I64_MAX) {
        b[this.pos] = T_I64;
        this.dv.setBigInt64(this.pos + 1, v, true);
      } else if (v > 0n && v <= U64_MAX) {
        b[this.pos] = T_U64;
        this.dv.setBigUint64(this.pos + 1, v, true);
      } else return this.string(v.toString()); // wider than CTF integers: cannot come from a decoder
      this.pos += 9;
    } else if (v === null || v === undefined) b[this.pos++] = T_NULL;
    else if (Array.isArray(v)) {
      b[this.pos] = T_ARRAY;
      this.dv.setUint32(this.pos + 1, v.length, true);
      this.pos += 5;
      for (const x of v) this.value(x);
    } else {
      const keys = Object.keys(v);
      b[this.pos] = T_OBJECT;
      this.dv.setUint32(this.pos + 1, keys.length, true);
      this.pos += 5;
      for (const k of keys) {
        this.string(k);
        this.value((v as Record<string, FieldValue>)[k]);
      }
    }
  }

  private string(s: string): void {
    const len = s.length;
    this.room(5 + len * 3);
    const b = this.bytes;
    const at = this.pos;
    let p = at + 5;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        // Not ASCII: the whole string as UTF-8 (rare in traces).
        const w = utf8Encoder.encodeInto(s, b.subarray(at + 5)).written;
        b[at] = T_UTF8;
        this.dv.setUint32(at + 1, w, true);
        this.pos = at + 5 + w;
        return;
      }
      b[p++] = c;
    }
    b[at] = T_ASCII;
    this.dv.setUint32(at + 1, len, true);
    this.pos = p;
  }
}

/**
 * Events in the columnar layout, read in place: columns by index, and an event object built
 * (once) only when asked for. One class on the server (a worker's batch, a subscriber's
 * packed share) and in the browser (what arrived over SSE). Read-only.
 */
export class LiveEvents implements Iterable<WireEvent> {
  readonly length: number;
  /** Absolute epoch ns that `ts` is relative to. */
  readonly originNs: bigint;
  private readonly c: Columns;
  private readonly dv: DataView;
  private pos = 0;
  private readonly cache: (WireEvent | undefined)[];
  private readonly originSec: number;
  private readonly originRem: number;
  /** The wire form, computed once for every subscriber this object goes to. */
  private wireForm: WireLiveEvents | undefined;
  /** Each event's time, given whole (times before the epoch, which the seconds table cannot say). */
  private readonly times: string[] | undefined;

  constructor(
    readonly buf: ArrayBuffer,
    count: number,
    originNs: bigint,
    readonly tables: LiveTables,
    private readonly timeOfDay: TimeOfDay,
    opts: { byteLength?: number; times?: string[] } = {},
  ) {
    this.length = count;
    this.times = opts.times;
    this.originNs = originNs;
    this.c = columnsOf(buf, count, opts.byteLength);
    this.dv = new DataView(buf, this.c.bytes.byteOffset, this.c.bytes.byteLength);
    this.cache = new Array<WireEvent | undefined>(count);
    // Times from numbers: the origin split once, each event's offset (< 2^53 ns) added.
    this.originSec = Number(originNs / 1_000_000_000n) - (originNs < 0n && originNs % 1_000_000_000n !== 0n ? 1 : 0);
    this.originRem = Number(originNs - BigInt(this.originSec) * 1_000_000_000n);
  }

  seq(i: number): number {
    return this.c.seq[i]!;
  }

  /** ns from `originNs`. */
  relNs(i: number): number {
    return this.c.ts[i]!;
  }

  tsNs(i: number): bigint {
    return this.originNs + BigInt(this.c.ts[i]!);
  }

  /** Epoch ms (sub-ms precision lost past 2^53 ns: for delays and charts, not for printing). */
  epochMs(i: number): number {
    return this.originSec * 1000 + (this.originRem + this.c.ts[i]!) / 1e6;
  }

  /** Whole epoch second of event i (floor). */
  second(i: number): number {
    return this.originSec + Math.floor((this.originRem + this.c.ts[i]!) / NS_PER_S);
  }

  nameId(i: number): number {
    return this.c.name[i]!;
  }

  name(i: number): string {
    return this.tables.names[this.c.name[i]!]!;
  }

  cpu(i: number): number {
    return this.c.cpu[i]!;
  }

  time(i: number): string {
    if (this.times) return this.times[i]!;
    const total = this.originRem + this.c.ts[i]!;
    const sec = Math.floor(total / NS_PER_S);
    return this.timeOfDay(this.originSec + sec, total - sec * NS_PER_S);
  }

  event(i: number): WireEvent {
    let e = this.cache[i];
    if (e) return e;
    const c = this.c;
    this.pos = c.starts[i]!;
    const payload = this.top(c.pshape[i]!);
    const context = this.top(c.cshape[i]!);
    e = { seq: c.seq[i]!, tsNs: this.tsNs(i), time: this.time(i), name: this.name(i), cpu: c.cpu[i]!, payload, context };
    this.cache[i] = e;
    return e;
  }

  *[Symbol.iterator](): Iterator<WireEvent> {
    for (let i = 0; i < this.length; i++) yield this.event(i);
  }

  /** Length of event i's field bytes (payload and context), for packing. */
  fieldLength(i: number): number {
    return this.c.starts[i + 1]! - this.c.starts[i]!;
  }

  /** Copies event i's field bytes into `into` at `at`; returns the position after them. */
  copyFields(i: number, into: Uint8Array, at: number): number {
    const b = this.c.bytes;
    const start = this.c.starts[i]!;
    const end = this.c.starts[i + 1]!;
    const len = end - start;
    // Most events are tens of bytes: a loop beats a subarray + set.
    if (len > 64) into.set(b.subarray(start, end), at);
    else for (let k = 0; k < len; k++) into[at + k] = b[start + k]!;
    return at + len;
  }

  pshape(i: number): number {
    return this.c.pshape[i]!;
  }

  cshape(i: number): number {
    return this.c.cshape[i]!;
  }

  /** The wire form (base64 of the buffer, the tables, the seconds' times), computed once. */
  toWire(): WireLiveEvents {
    if (this.wireForm) return this.wireForm;
    const n = this.length;
    let first = 0;
    let last = -1;
    const hms: string[] = [];
    if (n > 0 && this.second(0) >= 0) {
      first = this.second(0);
      last = this.second(n - 1);
      // Events are in time order: seconds first..last (a few per batch).
      for (let s = first; s <= last; s++) hms.push(this.timeOfDay(s, 0).slice(0, -10));
    }
    const times = n > 0 && hms.length === 0 ? Array.from({ length: n }, (_, i) => this.time(i)) : undefined;
    this.wireForm = {
      b: toBase64(new Uint8Array(this.buf, 0, this.c.bytes.byteOffset + this.c.bytes.byteLength)),
      n,
      o: this.originNs.toString(),
      names: this.tables.names,
      shapes: this.tables.shapes,
      s0: first,
      hms,
      ...(times ? { times } : {}),
    };
    return this.wireForm;
  }

  static fromWire(w: WireLiveEvents): LiveEvents {
    const bytes = fromBase64(w.b);
    // The server sent the time of day of every second these events span.
    const timeOfDay: TimeOfDay = (sec, ns) => `${w.hms[sec - w.s0]!}.${pad9(ns)}`;
    return new LiveEvents(bytes.buffer as ArrayBuffer, w.n, BigInt(w.o), { names: w.names, shapes: w.shapes }, timeOfDay, {
      byteLength: bytes.byteLength,
      times: w.times,
    });
  }

  private top(shape: number): FieldMap {
    if (shape < 0) return this.value() as FieldMap;
    const keys = this.tables.shapes[shape]!;
    const o: Record<string, FieldValue> = {};
    for (const k of keys) o[k] = this.value();
    return o;
  }

  private value(): FieldValue {
    const dv = this.dv;
    const b = this.c.bytes;
    const p = this.pos;
    switch (b[p]) {
      case T_NULL:
        this.pos = p + 1;
        return null;
      case T_INT32:
        this.pos = p + 5;
        return dv.getInt32(p + 1, true);
      case T_F64:
        this.pos = p + 9;
        return dv.getFloat64(p + 1, true);
      case T_I64:
        this.pos = p + 9;
        return dv.getBigInt64(p + 1, true);
      case T_U64:
        this.pos = p + 9;
        return dv.getBigUint64(p + 1, true);
      case T_ASCII: {
        const len = dv.getUint32(p + 1, true);
        this.pos = p + 5 + len;
        return ascii(b, p + 5, len);
      }
      case T_UTF8: {
        const len = dv.getUint32(p + 1, true);
        this.pos = p + 5 + len;
        return utf8Decoder.decode(b.subarray(p + 5, p + 5 + len));
      }
      case T_ARRAY: {
        const len = dv.getUint32(p + 1, true);
        this.pos = p + 5;
        const a = new Array<FieldValue>(len);
        for (let k = 0; k < len; k++) a[k] = this.value();
        return a;
      }
      case T_OBJECT: {
        const len = dv.getUint32(p + 1, true);
        this.pos = p + 5;
        const o: Record<string, FieldValue> = {};
        for (let k = 0; k < len; k++) {
          const key = this.value() as string;
          o[key] = this.value();
        }
        return o;
      }
      default:
        throw new Error(`Bad live event encoding at byte ${p}`);
    }
  }
}

function ascii(b: Uint8Array, at: number, len: number): string {
  // Short strings (most field values) are faster by char codes than through a decoder.
  if (len > 64) return utf8Decoder.decode(b.subarray(at, at + len));
  let s = "";
  for (let i = 0; i < len; i++) s += String.fromCharCode(b[at + i]!);
  return s;
}

function pad9(n: number): string {
  const s = String(n);
  return s.length >= 9 ? s : "000000000".slice(s.length) + s;
}

/**
 * A subscriber's share as one `LiveEvents` of its own: event `indexOf(k)` of `sourceOf(k)`
 * for k < count, in that order, their times rebased on the first one's origin, with tables
 * holding only the names and shapes they use (so the wire form is self-contained, whichever
 * worker wrote them). Copies columns and field bytes; builds no event object.
 */
export function packEvents(count: number, sourceOf: (k: number) => LiveEvents, indexOf: (k: number) => number, timeOfDay: TimeOfDay): LiveEvents {
  let bytes = 0;
  for (let k = 0; k < count; k++) bytes += sourceOf(k).fieldLength(indexOf(k));
  const buf = new ArrayBuffer(columnsSize(count) + bytes);
  const c = columnsOf(buf, count);
  const origin = count > 0 ? sourceOf(0).originNs : 0n;
  const names: string[] = [];
  const shapes: string[][] = [];
  // Per source's tables: its ids → this pack's ids.
  const remaps = new Map<LiveTables, { names: Map<number, number>; shapes: Map<number, number> }>();
  let src: LiveEvents | undefined;
  let shift = 0;
  let map = { names: new Map<number, number>(), shapes: new Map<number, number>() };
  const shapeOf = (id: number, from: LiveTables): number => {
    if (id < 0) return -1;
    let to = map.shapes.get(id);
    if (to === undefined) map.shapes.set(id, (to = shapes.push(from.shapes[id]!) - 1));
    return to;
  };
  let pos = 0;
  for (let k = 0; k < count; k++) {
    const events = sourceOf(k);
    const index = indexOf(k);
    if (events !== src) {
      src = events;
      // Exact: origins of one channel's batches are seconds apart, not 2^53 ns.
      shift = Number(events.originNs - origin);
      let m = remaps.get(events.tables);
      if (!m) remaps.set(events.tables, (m = { names: new Map(), shapes: new Map() }));
      map = m;
    }
    c.seq[k] = events.seq(index);
    c.ts[k] = events.relNs(index) + shift;
    const nid = events.nameId(index);
    let to = map.names.get(nid);
    if (to === undefined) map.names.set(nid, (to = names.push(events.tables.names[nid]!) - 1));
    c.name[k] = to;
    c.cpu[k] = events.cpu(index);
    c.pshape[k] = shapeOf(events.pshape(index), events.tables);
    c.cshape[k] = shapeOf(events.cshape(index), events.tables);
    c.starts[k] = pos;
    pos = events.copyFields(index, c.bytes, pos);
  }
  c.starts[count] = pos;
  return new LiveEvents(buf, count, origin, { names, shapes }, timeOfDay);
}

/**
 * Bytes of columns and fields per SSE message, at most (but for one event larger than that):
 * 48 KiB is 64 KiB of base64. Larger strings go to V8's large-object space, collected only
 * by full GCs: multi-megabyte messages to 10 subscribers at 200 k events/s kept the server's
 * main thread in GC (measured: 55 s of GC in 60 s, `npm run bench -- live`).
 */
export const WIRE_CHUNK_BYTES = 48 * 1024;

/** `packEvents` in parts of at most `maxBytes` each (the whole share, in order). */
export function packChunks(
  count: number,
  sourceOf: (k: number) => LiveEvents,
  indexOf: (k: number) => number,
  timeOfDay: TimeOfDay,
  maxBytes = WIRE_CHUNK_BYTES,
): LiveEvents[] {
  const out: LiveEvents[] = [];
  let from = 0;
  let bytes = 4;
  const cut = (to: number) => {
    const base = from;
    out.push(
      packEvents(
        to - base,
        (k) => sourceOf(base + k),
        (k) => indexOf(base + k),
        timeOfDay,
      ),
    );
    from = to;
  };
  for (let k = 0; k < count; k++) {
    const size = COLUMN_BYTES + 4 + sourceOf(k).fieldLength(indexOf(k));
    if (bytes + size > maxBytes && k > from) {
      cut(k);
      bytes = 4;
    }
    bytes += size;
  }
  if (count > from) cut(count);
  return out;
}

/** The JSON form of a `LiveEvents` on the wire (a type, not an interface: superjson wants it indexable). */
export type WireLiveEvents = {
  /** The buffer, base64. */
  b: string;
  n: number;
  /** Origin, epoch ns (decimal). */
  o: string;
  names: string[];
  shapes: string[][];
  /** `HH:MM:SS` of each whole second from `s0` (the server's time zone, as babeltrace2 prints). */
  s0: number;
  hms: string[];
  /** Each event's time, only when times before the epoch make the seconds table unusable. */
  times?: string[];
};

function toBase64(bytes: Uint8Array): string {
  const B = (globalThis as { Buffer?: { from(b: ArrayBuffer, o: number, l: number): { toString(e: string): string } } }).Buffer;
  if (B) return B.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(s: string): Uint8Array {
  const B = (globalThis as { Buffer?: { from(s: string, e: string): Uint8Array } }).Buffer;
  if (B) {
    // A copy of its own: Node's pool buffers share one ArrayBuffer and the reader takes it whole.
    const b = B.from(s, "base64");
    return new Uint8Array(b);
  }
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// The live hub is a start-up singleton (instrumentation's bundle); the transformer is the
// route's: each has its copy of this module (server/shared/domain-error.ts).
brandAcrossBundles(LiveEvents, "LiveEvents");

/**
 * The superjson of outputs (server) and of the live subscription (browser): it carries
 * `LiveEvents` as its wire form (superjson does not walk into what a custom serializer
 * returns). Inputs keep the plain instance: a request can never name this type.
 */
export const outputSuperjson = new SuperJSON();
outputSuperjson.registerCustom<LiveEvents, WireLiveEvents>(
  {
    isApplicable: (v): v is LiveEvents => v instanceof LiveEvents,
    serialize: (v) => v.toWire(),
    deserialize: (w) => LiveEvents.fromWire(w),
  },
  "tracedeck.LiveEvents",
);
