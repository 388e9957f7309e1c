/**
 * Reading a trace's `metadata`: packetized (binary packets, magic 0x75d11d57, CTF 1.8 §7.1)
 * or plain TSDL text. Also the incremental form the live client needs
 * (`MetadataAccumulator`): metadata arrives in pieces and is parsed once complete.
 */
import { closeSync, fstatSync, readFileSync } from "node:fs";
import { CtfError } from "./errors";
import { openTraceFile } from "./reader/safe-open";
import { parseTsdl } from "./tsdl/parser";
import type { TraceModel } from "./tsdl/model";

export const METADATA_PACKET_MAGIC = 0x75d11d57;
const HEADER_BYTES = 37;
/** Refuse absurd metadata sizes instead of allocating them. */
export const MAX_METADATA_BYTES = 256 * 1024 * 1024;

export interface MetadataText {
  text: string;
  /** UUID found in the metadata packet headers, lower-case, when packetized. */
  packetUuid?: string;
  packetized: boolean;
}

/** Extracts the TSDL text from metadata bytes (packetized or plain). */
export function metadataTextFromBytes(buf: Uint8Array, file?: string): MetadataText {
  if (buf.length >= 4) {
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const le = dv.getUint32(0, true) === METADATA_PACKET_MAGIC;
    const be = dv.getUint32(0, false) === METADATA_PACKET_MAGIC;
    if (le || be) return depacketize(buf, dv, le, file);
  }
  // CTF 2 metadata is a JSON text sequence (RFC 7464): each fragment starts with RS (0x1E).
  if (buf.length > 0 && buf[0] === 0x1e)
    throw new CtfError("unsupported", "CTF 2 traces (LTTng 2.14+ --trace-format=ctf-2) are not supported yet: this metadata is CTF 2 (a JSON text sequence)", {
      file,
      offsetBytes: 0,
    });
  // Plain text metadata must start with the "/* CTF x.y" signature or TSDL directly.
  const text = new TextDecoder("utf-8").decode(buf);
  if (buf.length === 0) throw new CtfError("not-a-trace", "Metadata is empty", { file, offsetBytes: 0 });
  if (text.includes("\0")) throw new CtfError("not-a-trace", "Metadata is neither packetized (bad magic) nor text", { file, offsetBytes: 0 });
  return { text, packetized: false };
}

function depacketize(buf: Uint8Array, dv: DataView, le: boolean, file?: string): MetadataText {
  const parts: string[] = [];
  const dec = new TextDecoder("utf-8");
  let off = 0;
  let uuid: string | undefined;
  while (off < buf.length) {
    if (buf.length - off < HEADER_BYTES) throw new CtfError("truncated", "Metadata packet header is truncated", { file, offsetBytes: off });
    const magic = dv.getUint32(off, le);
    if (magic !== METADATA_PACKET_MAGIC) throw new CtfError("bad-packet", `Bad metadata packet magic 0x${magic.toString(16)}`, { file, offsetBytes: off });
    const u = formatUuid(buf.subarray(off + 4, off + 20));
    if (uuid === undefined) uuid = u;
    else if (u !== uuid) throw new CtfError("bad-packet", "Metadata packets disagree on the trace UUID", { file, offsetBytes: off + 4 });
    const contentBits = dv.getUint32(off + 24, le);
    const packetBits = dv.getUint32(off + 28, le);
    const compression = buf[off + 32]!;
    const encryption = buf[off + 33]!;
    const checksum = buf[off + 34]!;
    const major = buf[off + 35]!;
    const minor = buf[off + 36]!;
    if (contentBits % 8 !== 0 || packetBits % 8 !== 0 || contentBits < HEADER_BYTES * 8 || packetBits < contentBits)
      throw new CtfError("bad-packet", `Bad metadata packet sizes (content ${contentBits} bits, packet ${packetBits} bits)`, { file, offsetBytes: off });
    if (off + contentBits / 8 > buf.length) throw new CtfError("truncated", "Metadata packet extends past the end of the file", { file, offsetBytes: off });
    if (compression || encryption || checksum)
      throw new CtfError("unsupported", "Compressed, encrypted or checksummed metadata is not supported", { file, offsetBytes: off + 32 });
    if (major !== 1 || minor !== 8)
      throw new CtfError("unsupported", `Unsupported CTF version ${major}.${minor} in metadata packet header`, { file, offsetBytes: off + 35 });
    let text = buf.subarray(off + HEADER_BYTES, off + contentBits / 8);
    // LTTng pads the last packet with NULs inside content_size on some versions.
    const nul = text.indexOf(0);
    if (nul >= 0) text = text.subarray(0, nul);
    parts.push(dec.decode(text));
    off += packetBits / 8;
  }
  return { text: parts.join(""), packetUuid: uuid, packetized: true };
}

export function formatUuid(b: Uint8Array): string {
  let h = "";
  for (let i = 0; i < 16; i++) h += (b[i] ?? 0).toString(16).padStart(2, "0");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Parses metadata text; errors gain the metadata file name. */
export function parseMetadata(md: MetadataText, file?: string): TraceModel {
  try {
    const model = parseTsdl(md.text, { lazyEvents: true, ...(file !== undefined ? { file } : {}) });
    if (md.packetUuid !== undefined && model.uuid !== undefined && md.packetUuid !== model.uuid)
      // Offset 4: the UUID field of the first metadata packet header.
      throw new CtfError("bad-packet", `Metadata packet UUID ${md.packetUuid} differs from the trace UUID ${model.uuid}`, { offsetBytes: 4 });
    return model;
  } catch (e) {
    if (e instanceof CtfError) throw file !== undefined ? e.withFile(file) : e;
    // Never let a parser bug surface as a crash: report it as a metadata error.
    throw new CtfError("metadata-semantic", `Cannot parse metadata (${(e as Error)?.message ?? String(e)})`, { file }, { cause: e });
  }
}

/** Reads and parses the `metadata` file of a trace directory. */
export function readMetadataFile(file: string): TraceModel {
  const fd = openTraceFile(file, "metadata");
  let buf: Buffer;
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_METADATA_BYTES) throw new CtfError("bad-packet", `Metadata file is too large (${size} bytes)`, { file });
    buf = readFileSync(fd);
  } catch (e) {
    if (e instanceof CtfError) throw e;
    throw new CtfError("io", "Cannot read metadata", { file }, { cause: e });
  } finally {
    closeSync(fd);
  }
  return parseMetadata(metadataTextFromBytes(buf, file), file);
}

/**
 * Incremental metadata for live sessions: append the bytes as they arrive; `model()` parses
 * what has been received. It returns `{status: "incomplete"}` while the text ends inside a
 * block (live metadata arrives in pieces).
 */
export class MetadataAccumulator {
  private chunks: Uint8Array[] = [];
  private total = 0;

  append(bytes: Uint8Array): void {
    if (this.total + bytes.length > MAX_METADATA_BYTES) throw new CtfError("bad-packet", "Metadata is too large");
    this.chunks.push(bytes.slice());
    this.total += bytes.length;
  }

  model(): { status: "ok"; model: TraceModel } | { status: "incomplete" } {
    const all = new Uint8Array(this.total);
    let o = 0;
    for (const c of this.chunks) {
      all.set(c, o);
      o += c.length;
    }
    let md: MetadataText;
    try {
      md = metadataTextFromBytes(all);
    } catch (e) {
      if (e instanceof CtfError && e.code === "truncated") return { status: "incomplete" };
      throw e;
    }
    // LTTng cuts metadata packets anywhere, even inside a token; text that does not end a
    // top-level statement is certainly incomplete (LTTng always ends a block with "};").
    if (!/;\s*$/.test(md.text)) return { status: "incomplete" };
    try {
      return { status: "ok", model: parseMetadata(md) };
    } catch (e) {
      // An unterminated block means "more to come" (a struct may end in "};" too).
      if (
        e instanceof CtfError &&
        (e.code === "metadata-syntax" || e.code === "metadata-semantic") &&
        /end of metadata|Unterminated|Missing trace block/.test(e.message)
      )
        return { status: "incomplete" };
      throw e;
    }
  }
}
