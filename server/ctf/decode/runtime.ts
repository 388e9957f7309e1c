/**
 * The state and helpers generated decoders run against. Generated code (codegen.ts) keeps
 * the hot path inline (aligned 8/16/32-bit reads through a DataView); everything rare or
 * bulky (bit-fields of unknown phase, 64-bit values, strings, errors) lives here.
 */
import { CtfError } from "../errors";

/**
 * Mutable decoding cursor over one buffer. Positions are in bits relative to the current
 * packet's first byte (`off`), so CTF alignment (relative to the packet) is a mask.
 */
export class DecodeState {
  // Fields that will hold values beyond 2^31 start as -0 (a double, equal to 0): V8 then
  // stores them as doubles from the start. Starting as a small integer, the first large
  // value would change the object's map and deoptimise every decoder that saw the old one.
  /** Borrowed: the buffer currently being decoded (owned by the packet source). */
  u8: Buffer = Buffer.alloc(0);
  dv: DataView = new DataView(new ArrayBuffer(0));
  /** Byte offset of the packet in `u8`. */
  off = 0;
  /** Current position in bits from the packet start. */
  pos = 0;
  /** Packet content end in bits from the packet start. */
  end = 0;
  /** Current clock value in cycles relative to the trace's base (see ClockBase). */
  clk = -0;
  /** Low 32 bits of the absolute clock value (for wrap extension of short timestamps). */
  lo32 = -0;
  /** Event class id from the last event header. */
  eid = 0;
  /** Scratch output of helpers (end of a string, in bytes). */
  tmp = 0;
  /** Decoded trace packet header / stream packet context of the current packet. */
  ph: Record<string, unknown> = {};
  pc: Record<string, unknown> = {};
  /** For error messages: the file being read and the file offset of `u8[0]`. */
  file = "";
  fileOffset = -0;

  setBuffer(u8: Buffer, fileOffset: number): void {
    this.u8 = u8;
    this.dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
    this.fileOffset = fileOffset;
  }
}

const TWO32 = 4294967296;

export function u64(dv: DataView, b: number, le: boolean): number | bigint {
  const lo = dv.getUint32(le ? b : b + 4, le);
  const hi = dv.getUint32(le ? b + 4 : b, le);
  return hi < 0x200000 ? hi * TWO32 + lo : (BigInt(hi) << 32n) | BigInt(lo);
}

export function i64(dv: DataView, b: number, le: boolean): number | bigint {
  const lo = dv.getUint32(le ? b : b + 4, le);
  const hi = dv.getInt32(le ? b + 4 : b, le);
  return hi >= -0x200000 && hi < 0x200000 ? hi * TWO32 + lo : (BigInt(hi) << 32n) | BigInt(lo);
}

/** Any integer layout: `size` bits at bit `pos` after byte `base`. Slow path. */
export function readBits(u8: Uint8Array, base: number, pos: number, size: number, le: boolean, signed: boolean): number | bigint {
  let v = 0n;
  if (le) {
    for (let i = size - 1; i >= 0; i--) {
      const q = pos + i;
      v = (v << 1n) | BigInt((u8[base + (q >>> 3)]! >>> (q & 7)) & 1);
    }
  } else {
    for (let i = 0; i < size; i++) {
      const q = pos + i;
      v = (v << 1n) | BigInt((u8[base + (q >>> 3)]! >>> (7 - (q & 7))) & 1);
    }
  }
  if (signed) v = BigInt.asIntN(size, v);
  return v >= -0x1fffffffffffffn && v <= 0x1fffffffffffffn ? Number(v) : v;
}

// Traces repeat the same short strings (process names, paths, logger names) millions of
// times: a small direct-mapped cache returns the existing string after a byte compare,
// instead of allocating a new one per event.
const CACHE_SIZE = 1024;
const cacheBytes: (Uint8Array | undefined)[] = new Array(CACHE_SIZE).fill(undefined);
const cacheStrs: string[] = new Array(CACHE_SIZE).fill("");

/** Bytes [s, e) as a string (UTF-8). */
export function text(u8: Buffer, s: number, e: number): string {
  const n = e - s;
  if (n === 0) return "";
  if (n > 48) return u8.toString("utf8", s, e);
  const h = (n * 31 + u8[s]! * 7 + u8[e - 1]! * 131 + u8[s + (n >> 1)]! * 17) & (CACHE_SIZE - 1);
  const c = cacheBytes[h];
  if (c !== undefined && c.length === n) {
    let i = 0;
    while (i < n && c[i] === u8[s + i]) i++;
    if (i === n) return cacheStrs[h]!;
  }
  const str = u8.toString("utf8", s, e);
  cacheBytes[h] = new Uint8Array(u8.subarray(s, e)); // a copy: u8 is a reused read buffer
  cacheStrs[h] = str;
  return str;
}

/** A NUL-terminated string starting at byte `s`; its end (after the NUL) goes to S.tmp. */
export function cstr(S: DecodeState, s: number, limit: number): string {
  skipStr(S, s, limit);
  return text(S.u8, s, S.tmp - 1);
}

/** Moves past a NUL-terminated string starting at byte `s` without decoding it (end to S.tmp). */
export function skipStr(S: DecodeState, s: number, limit: number): void {
  const u8 = S.u8;
  let i = s;
  while (i < limit && u8[i] !== 0) i++;
  if (i >= limit) overrun(S, (s - S.off) * 8, "String runs past the end of the packet content");
  S.tmp = i + 1;
}

/** A fixed-size text array: bytes up to the first NUL within [s, s+n). */
export function textArray(u8: Buffer, s: number, n: number): string {
  const e = s + n;
  let i = s;
  while (i < e && u8[i] !== 0) i++;
  return text(u8, s, i);
}

export function overrun(S: DecodeState, posBits: number, msg = "Field runs past the end of the packet content"): never {
  throw new CtfError("bad-event", msg, { file: S.file || undefined, offsetBytes: S.fileOffset + S.off + Math.floor(posBits / 8) });
}

export function badTag(S: DecodeState, value: unknown): never {
  throw new CtfError("bad-event", `Variant tag value ${String(value)} selects no option`, {
    file: S.file || undefined,
    offsetBytes: S.fileOffset + S.off + Math.floor(S.pos / 8),
  });
}

export function badLength(S: DecodeState, posBits: number, len: unknown): never {
  throw new CtfError("bad-event", `Sequence length ${String(len)} is invalid`, {
    file: S.file || undefined,
    offsetBytes: S.fileOffset + S.off + Math.floor(posBits / 8),
  });
}

/** Clock update from a timestamp of `size` bits (33..63 or unusual layouts): slow path. */
export function clockUpdate(S: DecodeState, base: bigint, value: number | bigint, size: number): void {
  const cur = BigInt(Math.round(S.clk)) + base;
  const v = BigInt(value);
  if (size >= 64) {
    S.clk = Number(v - base);
  } else {
    const mask = (1n << BigInt(size)) - 1n;
    let next = (cur & ~mask) | v;
    if (v < (cur & mask)) next += mask + 1n;
    S.clk = Number(next - base);
  }
  S.lo32 = Number(BigInt.asUintN(32, BigInt(Math.round(S.clk)) + base));
}

/** The helpers object passed to generated code. */
export const RT = { u64, i64, readBits, cstr, skipStr, textArray, overrun, badTag, badLength, clockUpdate };
export type Runtime = typeof RT;
