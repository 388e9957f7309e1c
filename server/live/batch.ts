/**
 * Events from the live worker to the fan-out as one transferable ArrayBuffer per round,
 * instead of arrays of objects: structured-cloning ~200 k small objects a second (nested
 * payloads, bigints, strings) cost more CPU on both threads than decoding them (measured:
 * `npm run bench -- live`, server/live/README.md). The buffer is columnar — time, name id,
 * cpu, the subscribers' filter bits (filters run in the worker, where the fields already are
 * objects) — plus the fields in a compact tagged encoding that the main thread turns back
 * into a `WireEvent` only for events a subscriber takes, once for all subscribers.
 *
 * Names and object shapes (the keys of an event class's payload or context, stable per
 * class: server/ctf/decode/codegen.ts) go once per worker, as table entries in the batch
 * that first uses them; a `BatchDecoder` keeps the tables of one worker.
 */
import type { CompiledEvent, FieldMap, FieldValue } from "../ctf/index";
import { formatTimeOfDay, formatTimeOfDayParts, toEpochNs, type EpochNs } from "../time";
import type { LiveCounters } from "./consumer";
import type { WireEvent } from "./wire";

/** Filters evaluated in the worker, one bit each in the batch's mask column. */
export const MAX_WORKER_FILTERS = 32;

export interface BatchMessage {
  type: "events";
  buf: ArrayBuffer;
  count: number;
  /** Absolute epoch ns that the time column is relative to. */
  originNs: EpochNs;
  /** `seq` of the first event (arrival order within the worker). */
  seqBase: number;
  /** Name table entries added by this batch (ids continue the decoder's table). */
  names: string[];
  /** Shape table entries (object keys) added by this batch. */
  shapes: string[][];
  /** Key of the filter behind each mask bit. */
  filterKeys: string[];
  counters: LiveCounters;
}

// Value tags of the field encoding.
const T_NULL = 0;
const T_INT32 = 1;
const T_F64 = 2;
const T_I64 = 3;
const T_U64 = 4;
const T_ASCII = 5;
const T_UTF8 = 6;
const T_ARRAY = 7;
const T_SHAPED = 8;
const T_OBJECT = 9;
const T_EMPTY = 10;

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const U64_MAX = (1n << 64n) - 1n;

/** Builds batches in the worker: `add` per event in time order, `take` per round. */
export class BatchWriter {
  private n = 0;
  private cap = 1024;
  private ts = new Float64Array(this.cap);
  private nameId = new Uint32Array(this.cap);
  private cpu = new Int32Array(this.cap);
  private mask = new Uint32Array(this.cap);
  private starts = new Uint32Array(this.cap + 1);
  private bytes = new Uint8Array(1 << 16);
  private dv = new DataView(this.bytes.buffer);
  private pos = 0;
  private seq = 0;
  private readonly nameIds = new Map<string, number>();
  private newNames: string[] = [];
  private readonly shapeIds = new Map<string, number>();
  private newShapes: string[][] = [];
  /** Per event class: shape ids of its payload and context (-1: empty). */
  private readonly classShapes = new Map<CompiledEvent, [number, string[], number, string[]]>();

  get length(): number {
    return this.n;
  }

  /** `ts`: ns relative to the batch origin; `nameId` from `nameOf`; `mask`: the filter bits this event matched. */
  add(ts: number, nameId: number, cpu: number, mask: number, payload: FieldMap, context: FieldMap, cls?: CompiledEvent): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.ts[i] = Math.round(ts);
    this.nameId[i] = nameId;
    this.cpu[i] = cpu;
    this.mask[i] = mask;
    this.starts[i] = this.pos;
    const shapes = cls ? this.shapesOf(cls, payload, context) : undefined;
    this.top(payload, shapes?.[0], shapes?.[1]);
    this.top(context, shapes?.[2], shapes?.[3]);
  }

  /** Name id of an event name (the subscribers' name filters are cached per id). */
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
  take(originNs: EpochNs, filterKeys: string[], counters: LiveCounters): BatchMessage | undefined {
    const n = this.n;
    if (n === 0) return undefined;
    this.starts[n] = this.pos;
    // Layout: ts f64[n] | nameId u32[n] | cpu i32[n] | mask u32[n] | starts u32[n+1] | bytes.
    const size = n * 8 + n * 12 + (n + 1) * 4 + this.pos;
    const buf = new ArrayBuffer(size);
    new Float64Array(buf, 0, n).set(this.ts.subarray(0, n));
    let off = n * 8;
    new Uint32Array(buf, off, n).set(this.nameId.subarray(0, n));
    off += n * 4;
    new Int32Array(buf, off, n).set(this.cpu.subarray(0, n));
    off += n * 4;
    new Uint32Array(buf, off, n).set(this.mask.subarray(0, n));
    off += n * 4;
    new Uint32Array(buf, off, n + 1).set(this.starts.subarray(0, n + 1));
    off += (n + 1) * 4;
    new Uint8Array(buf, off, this.pos).set(this.bytes.subarray(0, this.pos));
    const m: BatchMessage = { type: "events", buf, count: n, originNs, seqBase: this.seq, names: this.newNames, shapes: this.newShapes, filterKeys, counters };
    this.seq += n;
    this.n = 0;
    this.pos = 0;
    this.newNames = [];
    this.newShapes = [];
    return m;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const re = <T extends Float64Array | Uint32Array | Int32Array>(a: T, len: number): T => {
      const b = new (a.constructor as new (n: number) => T)(len);
      b.set(a);
      return b;
    };
    this.ts = re(this.ts, cap);
    this.nameId = re(this.nameId, cap);
    this.cpu = re(this.cpu, cap);
    this.mask = re(this.mask, cap);
    this.starts = re(this.starts, cap + 1);
    this.cap = cap;
  }

  private shapesOf(cls: CompiledEvent, payload: FieldMap, context: FieldMap): [number, string[], number, string[]] {
    let s = this.classShapes.get(cls);
    if (!s) {
      const p = Object.keys(payload);
      const c = Object.keys(context);
      s = [p.length ? this.shapeId(p) : -1, p, c.length ? this.shapeId(c) : -1, c];
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

  /** A payload or context: by its class's shape when it has one (values only), else generic. */
  private top(obj: FieldMap, shape: number | undefined, keys: string[] | undefined): void {
    if (shape === undefined || keys === undefined) return this.value(obj);
    this.room(5);
    if (shape < 0 || keys.length === 0) {
      this.bytes[this.pos++] = T_EMPTY;
      return;
    }
    this.bytes[this.pos++] = T_SHAPED;
    this.dv.setUint32(this.pos, shape, true);
    this.pos += 4;
    for (let i = 0; i < keys.length; i++) this.value(obj[keys[i]!]!);
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
        // Not ASCII: encode the whole string as UTF-8 (rare in traces).
        const w = Buffer.from(b.buffer, b.byteOffset, b.length).write(s, at + 5, "utf8");
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

/** The tables of one worker's batches, on the main thread. */
export class BatchDecoder {
  readonly names: string[] = [];
  readonly shapes: string[][] = [];

  open(m: BatchMessage): EventBatch {
    for (const n of m.names) this.names.push(n);
    for (const s of m.shapes) this.shapes.push(s);
    return new EventBatch(m, this);
  }
}

const NS_PER_S = 1_000_000_000;

/** One round's events on the main thread; `event(i)` builds (once) what subscribers get. */
export class EventBatch {
  readonly length: number;
  readonly seqBase: number;
  readonly filterKeys: string[];
  readonly originNs: EpochNs;
  readonly counters: LiveCounters;
  private readonly ts: Float64Array;
  private readonly nameId: Uint32Array;
  private readonly cpu: Int32Array;
  private readonly mask: Uint32Array;
  private readonly starts: Uint32Array;
  private readonly bytes: Buffer;
  private readonly dv: DataView;
  private pos = 0;
  private readonly cache: (WireEvent | undefined)[];
  private everything: readonly WireEvent[] | undefined;
  private readonly originSec: number;
  private readonly originRem: number;

  constructor(
    m: BatchMessage,
    private readonly tables: BatchDecoder,
  ) {
    const n = m.count;
    this.length = n;
    this.seqBase = m.seqBase;
    this.filterKeys = m.filterKeys;
    this.originNs = m.originNs;
    this.counters = m.counters;
    this.ts = new Float64Array(m.buf, 0, n);
    let off = n * 8;
    this.nameId = new Uint32Array(m.buf, off, n);
    off += n * 4;
    this.cpu = new Int32Array(m.buf, off, n);
    off += n * 4;
    this.mask = new Uint32Array(m.buf, off, n);
    off += n * 4;
    this.starts = new Uint32Array(m.buf, off, n + 1);
    off += (n + 1) * 4;
    this.bytes = Buffer.from(m.buf, off, m.buf.byteLength - off);
    this.dv = new DataView(m.buf, off, m.buf.byteLength - off);
    this.cache = new Array<WireEvent | undefined>(n);
    // Time of day from numbers: the origin split once, each event's offset (< 2^53 ns) added.
    const o = m.originNs < 0n ? 0n : m.originNs;
    this.originSec = Number(o / 1_000_000_000n);
    this.originRem = Number(o % 1_000_000_000n);
  }

  /** The mask bit of a filter in this batch, -1 when the worker did not evaluate it. */
  bitOf(key: string): number {
    return this.filterKeys.indexOf(key);
  }

  matches(i: number, bit: number): boolean {
    return ((this.mask[i]! >>> bit) & 1) === 1;
  }

  name(i: number): string {
    return this.tables.names[this.nameId[i]!]!;
  }

  tsNs(i: number): bigint {
    return toEpochNs(this.originNs, this.ts[i]!);
  }

  /** Every event of the batch, one array for all subscribers that take them all: do not modify. */
  all(): WireEvent[] {
    if (!this.everything) {
      const a = new Array<WireEvent>(this.length);
      for (let i = 0; i < this.length; i++) a[i] = this.event(i);
      this.everything = a;
    }
    return this.everything as WireEvent[];
  }

  event(i: number): WireEvent {
    let e = this.cache[i];
    if (e) return e;
    this.pos = this.starts[i]!;
    const payload = this.value() as FieldMap;
    const context = this.value() as FieldMap;
    const rel = this.ts[i]!;
    const tsNs = toEpochNs(this.originNs, rel);
    const total = this.originRem + rel;
    const sec = Math.floor(total / NS_PER_S);
    const time = this.originNs < 0n ? formatTimeOfDay(tsNs) : formatTimeOfDayParts(this.originSec + sec, total - sec * NS_PER_S);
    e = { seq: this.seqBase + i, tsNs, time, name: this.name(i), cpu: this.cpu[i]!, payload, context };
    this.cache[i] = e;
    return e;
  }

  private value(): FieldValue {
    const dv = this.dv;
    const p = this.pos;
    switch (this.bytes[p]) {
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
      case T_ASCII:
      case T_UTF8: {
        const len = dv.getUint32(p + 1, true);
        this.pos = p + 5 + len;
        return this.bytes.toString(this.bytes[p] === T_ASCII ? "latin1" : "utf8", p + 5, p + 5 + len);
      }
      case T_ARRAY: {
        const len = dv.getUint32(p + 1, true);
        this.pos = p + 5;
        const a = new Array<FieldValue>(len);
        for (let k = 0; k < len; k++) a[k] = this.value();
        return a;
      }
      case T_SHAPED: {
        const keys = this.tables.shapes[dv.getUint32(p + 1, true)]!;
        this.pos = p + 5;
        const o: Record<string, FieldValue> = {};
        for (const k of keys) o[k] = this.value();
        return o;
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
      case T_EMPTY:
        this.pos = p + 1;
        return {};
      default:
        throw new Error(`Bad live batch encoding at byte ${p}`);
    }
  }
}
