/**
 * Small synthetic CTF 1.8 traces for tests: plain-text TSDL and little-endian, byte-aligned
 * stream files, written field by field. Enough to reproduce what other CTF producers do
 * (clock layouts, stream naming, equal timestamps) without their tools.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** One field value of a packet or event, written little-endian with its byte size. */
export type Field = { bytes: 1 | 2 | 4 | 6 | 8; value: bigint | number };

/** Little-endian bytes of fields, in order (no padding: callers keep fields byte-aligned). */
export function le(fields: readonly Field[]): Buffer {
  const out = Buffer.alloc(fields.reduce((n, f) => n + f.bytes, 0));
  let off = 0;
  for (const f of fields) {
    let v = BigInt(f.value);
    if (v < 0n) v = BigInt.asUintN(f.bytes * 8, v);
    for (let i = 0; i < f.bytes; i++) {
      out[off + i] = Number(v & 0xffn);
      v >>= 8n;
    }
    off += f.bytes;
  }
  return out;
}

export const u8 = (value: bigint | number): Field => ({ bytes: 1, value });
export const u16 = (value: bigint | number): Field => ({ bytes: 2, value });
export const u32 = (value: bigint | number): Field => ({ bytes: 4, value });
export const u48 = (value: bigint | number): Field => ({ bytes: 6, value });
export const u64 = (value: bigint | number): Field => ({ bytes: 8, value });

/**
 * A packet: header and context fields (with `content_size` / `packet_size` in bits computed
 * here when the context declares them: pass `sizes` as the index of those two fields), then
 * the events' bytes.
 */
export function packet(header: Field[], context: Field[], events: Buffer[], sizes?: { content: number; packet: number }): Buffer {
  const body = Buffer.concat(events);
  const headLen = le(header).length + le(context).length;
  const bits = (headLen + body.length) * 8;
  const ctx = context.map((f, i) => (sizes !== undefined && (i === sizes.content || i === sizes.packet) ? { ...f, value: bits } : f));
  return Buffer.concat([le(header), le(ctx), body]);
}

/** Writes `metadata` (TSDL, the "/* CTF 1.8 *\/" signature prepended) and the stream files. */
export function writeTrace(dir: string, metadata: string, streams: Record<string, Buffer>): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "metadata"), `/* CTF 1.8 */\n${metadata}`);
  for (const [name, data] of Object.entries(streams)) writeFileSync(join(dir, name), data);
  return dir;
}

/** TSDL type aliases the synthetic traces share. */
export const TSDL_TYPES = `
typealias integer { size = 8; align = 8; signed = false; } := uint8_t;
typealias integer { size = 16; align = 8; signed = false; } := uint16_t;
typealias integer { size = 32; align = 8; signed = false; } := uint32_t;
typealias integer { size = 64; align = 8; signed = false; } := uint64_t;
`;
