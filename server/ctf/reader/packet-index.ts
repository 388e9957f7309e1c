/**
 * LTTng packet index files (`index/<stream>.idx`): a big-endian header then one fixed-size
 * entry per packet (offset, sizes, timestamps, discarded counter, ids). Used to seek and to
 * learn a stream's time span without reading its data. An index that does not parse is
 * ignored (the data file is the source of truth).
 */
import { closeSync, fstatSync, readFileSync } from "node:fs";
import { openTraceFile } from "./safe-open";

const INDEX_MAGIC = 0xc1f1dcc1;
const MAX_INDEX_BYTES = 64 * 1024 * 1024;

export interface PacketIndexEntry {
  offsetBytes: number;
  packetBits: number;
  contentBits: number;
  beginCycles: bigint;
  endCycles: bigint;
  eventsDiscarded: bigint;
  streamId: number;
  streamInstanceId?: bigint;
  seqNum?: bigint;
}

/** Parses an index file; returns undefined when it is absent or malformed. */
export function readPacketIndex(file: string): PacketIndexEntry[] | undefined {
  let buf: Buffer;
  let fd: number;
  try {
    fd = openTraceFile(file, "packet index");
  } catch {
    return undefined;
  }
  try {
    if (fstatSync(fd).size > MAX_INDEX_BYTES) return undefined;
    buf = readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
  if (buf.length < 16 || buf.readUInt32BE(0) !== INDEX_MAGIC) return undefined;
  const major = buf.readUInt32BE(4);
  const entryLen = buf.readUInt32BE(12);
  if (major !== 1 || entryLen < 56 || entryLen > 4096) return undefined;
  const out: PacketIndexEntry[] = [];
  for (let o = 16; o + entryLen <= buf.length; o += entryLen) {
    const e: PacketIndexEntry = {
      offsetBytes: Number(buf.readBigUInt64BE(o)),
      packetBits: Number(buf.readBigUInt64BE(o + 8)),
      contentBits: Number(buf.readBigUInt64BE(o + 16)),
      beginCycles: buf.readBigUInt64BE(o + 24),
      endCycles: buf.readBigUInt64BE(o + 32),
      eventsDiscarded: buf.readBigUInt64BE(o + 40),
      streamId: Number(buf.readBigUInt64BE(o + 48)),
    };
    if (entryLen >= 72) {
      e.streamInstanceId = buf.readBigUInt64BE(o + 56);
      e.seqNum = buf.readBigUInt64BE(o + 64);
    }
    out.push(e);
  }
  return out;
}
