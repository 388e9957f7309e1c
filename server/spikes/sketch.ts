/**
 * The quantile sketch of latency buckets: DDSketch from @datadog/sketches-js, with one
 * relative accuracy for every bucket so that all of them merge.
 *
 * Stored form: the library's own `toProto()`/`fromProto()` cost 256 µs per bucket here
 * (protobufjs, plus a fresh sketch per row), which made a 5,000-bucket range query take
 * 1.3 s. So a bucket stores the sketch's non-empty bins (key, count) as varints, and a
 * query adds them straight into the pixel's sketch through the library's store: mapping,
 * stores and quantiles stay the library's; only the byte layout is ours.
 */
import { DDSketch } from "@datadog/sketches-js";

/** Relative accuracy of every stored quantile (p50/p90/p99 are within ±1 % of a true value). */
export const HISTORY_ACCURACY = 0.01;

export function newSketch(): DDSketch {
  return new DDSketch({ relativeAccuracy: HISTORY_ACCURACY });
}

const FORMAT = 1;

interface StoreView {
  bins: number[];
  offset: number;
  minKey: number;
  maxKey: number;
  count: number;
  add(key: number, weight?: number): void;
}

function storeOf(s: DDSketch, negative: boolean): StoreView {
  return (negative ? s.negativeStore : s.store) as unknown as StoreView;
}

class Writer {
  private buf = new Uint8Array(256);
  len = 0;
  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  /** Unsigned integer up to 2^53 (LEB128). */
  uint(v: number): void {
    this.ensure(8);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }
  /** Signed integer (zig-zag). */
  int(v: number): void {
    this.uint(v < 0 ? -2 * v - 1 : 2 * v);
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function writeStore(w: Writer, st: StoreView): void {
  const { bins, offset, minKey, maxKey } = st;
  let n = 0;
  if (st.count > 0) for (let k = minKey; k <= maxKey; k++) if ((bins[k - offset] ?? 0) > 0) n++;
  w.uint(n);
  let prev = 0;
  if (n === 0) return;
  for (let k = minKey; k <= maxKey; k++) {
    const c = bins[k - offset] ?? 0;
    if (c <= 0) continue;
    w.int(k - prev);
    prev = k;
    // Weights are whole counts (accept() with weight 1, merges add them).
    w.uint(Math.round(c));
  }
}

/** The sketch's bins in the stored form. */
export function encodeSketch(s: DDSketch): Uint8Array {
  const w = new Writer();
  w.uint(FORMAT);
  w.uint(Math.round(s.zeroCount));
  writeStore(w, storeOf(s, false));
  writeStore(w, storeOf(s, true));
  return w.bytes();
}

/**
 * Adds a stored sketch's bins into `into` (its count included; min/max/sum are the
 * bucket's own columns, exact, so the sketch's are not kept).
 */
export function mergeEncoded(into: DDSketch, bytes: Uint8Array): void {
  let p = 0;
  const uint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = bytes[p++];
      if (b === undefined) throw new Error("latency sketch: truncated");
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 0x80;
    }
  };
  const int = (): number => {
    const u = uint();
    return u % 2 === 1 ? -(u + 1) / 2 : u / 2;
  };
  const format = uint();
  if (format !== FORMAT) throw new Error(`latency sketch: unknown format ${format}`);
  const zero = uint();
  into.zeroCount += zero;
  let total = zero;
  for (const negative of [false, true]) {
    const st = storeOf(into, negative);
    const n = uint();
    let key = 0;
    for (let i = 0; i < n; i++) {
      key += int();
      const c = uint();
      st.add(key, c);
      total += c;
    }
  }
  into.count += total;
}

/** Positive-store keys the accumulator holds in its array (beyond: added to the sketch directly). */
const ACC_BASE = -4096;
const ACC_SIZE = 8192;

/**
 * Bins of many stored sketches summed in a typed array, then added to one sketch with one
 * store insert per distinct key: a pixel merging 60 one-second buckets costs the library's
 * insert once per key instead of once per key per bucket (4× faster on a 5,000-bucket query).
 */
export class BinAccumulator {
  private readonly counts = new Float64Array(ACC_SIZE);
  private lo = ACC_SIZE;
  private hi = -1;
  private zero = 0;
  /** Keys outside the array, and the negative store: [negative, key, count]. */
  private readonly spill: [boolean, number, number][] = [];

  add(bytes: Uint8Array): void {
    // Hot loop of a range query (one call per stored bucket): varints decoded inline.
    const n = bytes.length;
    let p = 0;
    let field = 0;
    // Fields in order: format, zero count, then per store (positive, negative): bin count, then (key delta, count) pairs.
    let store = 0;
    let left = -1;
    let key = 0;
    let pendingKey = 0;
    let haveKey = false;
    while (p < n) {
      let v = 0;
      let mul = 1;
      let b: number;
      do {
        b = bytes[p++]!;
        v += (b & 0x7f) * mul;
        mul *= 0x80;
      } while (b >= 0x80 && p < n);
      if (b >= 0x80) break;
      if (field === 0) {
        if (v !== FORMAT) throw new Error(`latency sketch: unknown format ${v}`);
        field = 1;
      } else if (field === 1) {
        this.zero += v;
        field = 2;
      } else if (left <= 0 && !haveKey) {
        if (left === 0) store++;
        left = v;
        key = 0;
        if (left === 0) {
          left = 0;
          if (store === 1) return;
        }
      } else if (!haveKey) {
        key += v % 2 === 1 ? -(v + 1) / 2 : v / 2;
        pendingKey = key;
        haveKey = true;
      } else {
        haveKey = false;
        left--;
        const idx = pendingKey - ACC_BASE;
        if (store === 1 || idx < 0 || idx >= ACC_SIZE) this.spill.push([store === 1, pendingKey, v]);
        else {
          this.counts[idx]! += v;
          if (idx < this.lo) this.lo = idx;
          if (idx > this.hi) this.hi = idx;
        }
        if (left === 0 && store === 1) return;
      }
    }
    if (field < 2 || store < 1 || left !== 0 || haveKey) throw new Error("latency sketch: truncated");
  }

  /** Adds everything accumulated into `into` (count included) and empties the accumulator. */
  drainInto(into: DDSketch): void {
    let total = this.zero;
    into.zeroCount += this.zero;
    const st = storeOf(into, false);
    // The library's dense store grows (and shifts) to take a key outside its range: give it
    // the highest and the lowest key first, so the keys in between never grow it again.
    if (this.hi >= this.lo) {
      for (const i of this.hi > this.lo ? [this.hi, this.lo] : [this.lo]) {
        st.add(i + ACC_BASE, this.counts[i]!);
        total += this.counts[i]!;
        this.counts[i] = 0;
      }
    }
    for (let i = this.lo + 1; i < this.hi; i++) {
      const c = this.counts[i]!;
      if (c === 0) continue;
      st.add(i + ACC_BASE, c);
      total += c;
      this.counts[i] = 0;
    }
    for (const [negative, key, c] of this.spill) {
      storeOf(into, negative).add(key, c);
      total += c;
    }
    into.count += total;
    this.spill.length = 0;
    this.zero = 0;
    this.lo = ACC_SIZE;
    this.hi = -1;
  }
}

export function decodeSketch(bytes: Uint8Array): DDSketch {
  const s = newSketch();
  mergeEncoded(s, bytes);
  return s;
}
