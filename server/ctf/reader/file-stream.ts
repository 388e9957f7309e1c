/**
 * One data stream read from files (several files when LTTng rotated it: `chan_0_0`,
 * `chan_0_1`…). Reads in large chunks with synchronous reads (fastest in a worker thread),
 * holds at most one chunk (or one packet, if larger) in memory, and yields the stream's
 * items in order: events, plus discarded-event and lost-packet records derived from the
 * packet contexts (as babeltrace2 does).
 */
import { closeSync, readSync } from "node:fs";
import { CtfError } from "../errors";
import {
  decodeNextEvent,
  newMutableEvent,
  type CompiledEvent,
  type CompiledStream,
  type CompiledTrace,
  type MutableEvent,
  type PacketInfo,
} from "../decode/packet";
import { DecodeState } from "../decode/runtime";
import type { DiscardedRecord, LostPacketsRecord } from "../types";
import type { PacketIndexEntry } from "./packet-index";
import { openTraceFile } from "./safe-open";

/** Packets larger than this are treated as corrupt rather than allocated. */
export const MAX_PACKET_BYTES = 256 * 1024 * 1024;
/** Bytes read ahead to parse a packet header + context. */
const HEADER_PROBE = 4096;

export interface StreamFile {
  path: string;
  size: number;
  index?: PacketIndexEntry[];
}

export interface StreamCounters {
  events: number;
  discardedEvents: number;
  lostPackets: number;
  packets: number;
}

export type StreamItem = MutableEvent | DiscardedRecord | LostPacketsRecord;

export class FileStream {
  readonly S = new DecodeState();
  readonly rec: MutableEvent;
  /** Current item (valid after advance() returned true). */
  head: StreamItem | undefined;
  // -0: doubles from the start (see DecodeState).
  headTs = -0;
  /** The head's time relative to the trace's clock base (exact; for the merge). */
  headRel = -0;
  readonly counters: StreamCounters = { events: 0, discardedEvents: 0, lostPackets: 0, packets: 0 };
  /** Packet context of the current packet (for printers: cpu_id and other fields). */
  packet: PacketInfo | undefined;
  /** Class of the head event. */
  cls: CompiledEvent | undefined;
  /** Owner's per-stream data (the trace set's ItemSource). */
  src: unknown;
  /** Called as each packet's header and context are read (before its items). */
  onPacket: ((info: PacketInfo) => void) | undefined;

  private fileNo = -1;
  private fd = -1;
  private fileSize = 0;
  private buf: Buffer;
  private bufFileOff = 0;
  private bufLen = 0;
  private nextPacketOff = 0;
  private stream: CompiledStream | undefined;
  private inPacket = false;
  private truncatedAt = -1;
  private pending: (DiscardedRecord | LostPacketsRecord)[] = [];
  private prevDiscarded: number | undefined;
  private prevSeq: number | undefined;
  private prevEndTs: number | undefined;
  private cpu = -1;

  constructor(
    /** Index of this stream in its trace set. */
    readonly id: number,
    readonly traceIdx: number,
    readonly trace: CompiledTrace,
    readonly files: StreamFile[],
    private readonly chunkBytes: number,
    /** ns to add to trace-relative ns to get set-relative ns. */
    readonly shift: number,
    /** The same shift, exact. */
    readonly shiftBig: bigint = BigInt(Math.round(shift)),
  ) {
    this.rec = newMutableEvent(traceIdx);
    this.buf = Buffer.allocUnsafe(0);
    this.resetClock();
  }

  /**
   * Each stream's clock starts at 0 cycles, as in babeltrace2: a stream whose packets carry
   * no timestamp_begin (DPDK's tracer) is timed by its event headers alone, and nothing of
   * another stream's (or an earlier pass's) clock may carry over.
   */
  private resetClock(): void {
    this.trace.setClock(this.S, 0n);
  }

  /** The stream file currently being read (for error messages). */
  get file(): string {
    return this.currentFile;
  }

  /** The stream file currently being read. */
  get currentFile(): string {
    return this.files[Math.max(this.fileNo, 0)]?.path ?? "";
  }

  /** Nanoseconds (set-relative) of a raw clock value of this trace. */
  ns(cycles: bigint): number {
    return this.trace.relNs(cycles) + this.shift;
  }

  /** Moves to the next item. Returns false at the end of the stream. */
  advance(): boolean {
    if (this.pending.length) return this.takePending();
    for (;;) {
      if (this.inPacket) {
        const S = this.S;
        let cls: CompiledEvent | undefined;
        try {
          cls = decodeNextEvent(S, this.stream!, this.rec, this);
        } catch (e) {
          throw this.decodeError(e);
        }
        if (cls !== undefined) {
          this.cls = cls;
          const rec = this.rec;
          const rel = S.clk * this.trace.nsPerCycle;
          this.headRel = rel;
          rec.ts = rel + this.shift;
          rec.cpu = this.cpu;
          this.head = rec;
          this.headTs = rec.ts;
          this.counters.events++;
          return true;
        }
        this.inPacket = false;
        if (this.truncatedAt >= 0) {
          throw new CtfError("truncated", "Stream file ends inside a packet", { file: this.currentFile, offsetBytes: this.truncatedAt });
        }
      }
      if (!this.nextPacket()) {
        this.head = undefined;
        return false;
      }
      if (this.pending.length) return this.takePending();
    }
  }

  /** The next discarded/lost record noted at a packet boundary becomes the head. */
  private takePending(): true {
    const p = this.pending.shift()!;
    this.head = p;
    this.headTs = p.beginTs;
    this.headRel = p.beginTs - this.shift;
    return true;
  }

  /** Any decoding failure as a CtfError naming the file and offset. */
  private decodeError(e: unknown): CtfError {
    const at = this.S.fileOffset + this.S.off + Math.floor(this.S.pos / 8);
    if (this.truncatedAt >= 0)
      return new CtfError("truncated", "Stream file ends inside a packet", { file: this.currentFile, offsetBytes: this.truncatedAt }, { cause: e });
    if (e instanceof CtfError) return e.file === undefined ? e.withFile(this.currentFile, at) : e;
    return new CtfError("bad-event", `Cannot decode event (${(e as Error)?.message ?? String(e)})`, { file: this.currentFile, offsetBytes: at }, { cause: e });
  }

  /** Closes the open file. The stream can be re-positioned with `seekTo`. */
  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    this.buf = Buffer.allocUnsafe(0);
    this.bufLen = 0;
  }

  private openFile(n: number): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    this.fileNo = n;
    const f = this.files[n]!;
    this.fd = openTraceFile(f.path, "stream file");
    this.fileSize = f.size;
    this.bufFileOff = 0;
    this.bufLen = 0;
    this.nextPacketOff = 0;
  }

  /** Makes [off, off+need) of the current file available in `buf`; returns bytes available from off. */
  private ensure(off: number, need: number): number {
    const have = this.bufFileOff + this.bufLen - off;
    if (off >= this.bufFileOff && have >= need) return have;
    const want = Math.min(Math.max(need, this.chunkBytes), this.fileSize - off);
    if (this.buf.length < want) this.buf = Buffer.allocUnsafe(want);
    let got = 0;
    try {
      while (got < want) {
        const r = readSync(this.fd, this.buf, got, want - got, off + got);
        if (r === 0) break;
        got += r;
      }
    } catch (e) {
      throw new CtfError("io", "Cannot read stream file", { file: this.currentFile, offsetBytes: off + got }, { cause: e });
    }
    this.bufFileOff = off;
    this.bufLen = got;
    this.S.setBuffer(this.buf, off);
    return got;
  }

  private nextPacket(): boolean {
    for (;;) {
      if (this.fileNo < 0 || (this.fd < 0 && this.fileNo < this.files.length)) {
        this.openFile(Math.max(this.fileNo, 0));
      }
      if (this.nextPacketOff >= this.fileSize) {
        if (this.fileNo + 1 >= this.files.length) {
          this.close();
          return false;
        }
        this.openFile(this.fileNo + 1);
        continue;
      }
      const off = this.nextPacketOff;
      let avail = this.ensure(off, Math.min(HEADER_PROBE, this.fileSize - off));
      const where = { file: this.currentFile, fileOffset: this.bufFileOff };
      let info: PacketInfo;
      try {
        info = this.trace.beginPacket(this.S, off - this.bufFileOff, avail, where);
      } catch (e) {
        if (e instanceof CtfError) throw e;
        throw new CtfError(
          "bad-packet",
          `Cannot decode packet header (${(e as Error)?.message ?? String(e)})`,
          { file: this.currentFile, offsetBytes: off },
          { cause: e },
        );
      }
      if (info.packetBytes > MAX_PACKET_BYTES)
        throw new CtfError("bad-packet", `Packet size ${info.packetBytes} bytes is too large`, { file: this.currentFile, offsetBytes: off });
      this.truncatedAt = -1;
      if (info.packetBytes > avail) {
        const inFile = this.fileSize - off;
        avail = this.ensure(off, Math.min(info.packetBytes, inFile));
        info = this.trace.beginPacket(this.S, off - this.bufFileOff, avail, { file: this.currentFile, fileOffset: this.bufFileOff });
        if (info.packetBytes > inFile) this.truncatedAt = off;
      }
      this.nextPacketOff = off + info.packetBytes;
      this.stream = this.trace.streamOf(info);
      this.packet = info;
      this.cpu = info.cpu;
      this.inPacket = true;
      this.counters.packets++;
      this.onPacket?.(info);
      this.notePacket(info);
      return true;
    }
  }

  /** Discarded events (events_discarded deltas) and lost packets (packet_seq_num gaps). */
  private notePacket(info: PacketInfo): void {
    const beginTs = info.beginCycles !== undefined ? this.ns(info.beginCycles) : undefined;
    const endTs = info.endCycles !== undefined ? this.ns(info.endCycles) : undefined;
    const base = { cpu: info.cpu, trace: this.traceIdx, stream: this.currentFile };
    if (info.seqNum !== undefined && this.prevSeq !== undefined && info.seqNum !== this.prevSeq + 1 && info.seqNum > this.prevSeq) {
      const count = info.seqNum - this.prevSeq - 1;
      this.counters.lostPackets += count;
      this.pending.push({ kind: "lost-packets", count, beginTs: this.prevEndTs ?? beginTs ?? 0, endTs: beginTs ?? 0, ...base });
    }
    if (info.eventsDiscarded !== undefined) {
      const prev = this.prevDiscarded;
      // The counter is cumulative. When it goes down the tracer restarted it (seen with
      // LTTng-UST per-UID buffers): count from zero. babeltrace2 reports the uint64
      // difference there (~1.8e19 events), which no consumer can use.
      const count = prev === undefined || info.eventsDiscarded < prev ? info.eventsDiscarded : info.eventsDiscarded - prev;
      if (count > 0) {
        this.counters.discardedEvents += count;
        this.pending.push({
          kind: "discarded",
          count,
          beginTs: prev !== undefined ? (this.prevEndTs ?? beginTs ?? 0) : (beginTs ?? 0),
          endTs: endTs ?? 0,
          ...base,
        });
      }
      this.prevDiscarded = info.eventsDiscarded;
    }
    if (info.seqNum !== undefined) this.prevSeq = info.seqNum;
    this.prevEndTs = endTs;
  }

  /** Back to the start of the stream, counters reset. */
  rewind(): void {
    this.close();
    this.pending = [];
    this.inPacket = false;
    this.prevDiscarded = undefined;
    this.prevSeq = undefined;
    this.prevEndTs = undefined;
    this.fileNo = -1;
    this.nextPacketOff = 0;
    this.resetClock();
    this.counters.events = this.counters.discardedEvents = this.counters.lostPackets = this.counters.packets = 0;
  }

  /**
   * Positions the stream on its first packet that may contain events at or after `ts`
   * (set-relative ns), using the packet index when there is one, else packet headers.
   * The next advance() calls return items from there (the caller skips those before ts).
   */
  seekTo(ts: number): void {
    this.pending = [];
    this.inPacket = false;
    this.prevDiscarded = undefined;
    this.prevSeq = undefined;
    this.prevEndTs = undefined;
    for (let n = 0; n < this.files.length; n++) {
      const f = this.files[n]!;
      const packets = f.index ?? this.scanPackets(n);
      const last = packets[packets.length - 1];
      if (last === undefined || this.ns(last.endCycles) < ts) continue;
      this.openFile(n);
      let i = 0;
      while (i < packets.length && this.ns(packets[i]!.endCycles) < ts) i++;
      const prev = i > 0 ? packets[i - 1] : undefined;
      if (prev) {
        this.prevDiscarded = Number(prev.eventsDiscarded);
        if (prev.seqNum !== undefined) this.prevSeq = Number(prev.seqNum);
        this.prevEndTs = this.ns(prev.endCycles);
      }
      this.nextPacketOff = packets[i]!.offsetBytes;
      return;
    }
    // Past the end: position after the last file.
    this.openFile(this.files.length - 1);
    this.nextPacketOff = this.fileSize;
  }

  /** Packet boundaries of file n from its headers (when there is no index). */
  scanPackets(n: number): PacketIndexEntry[] {
    this.openFile(n);
    const out: PacketIndexEntry[] = [];
    const S = new DecodeState();
    let off = 0;
    while (off < this.fileSize) {
      const avail = this.ensure(off, Math.min(HEADER_PROBE, this.fileSize - off));
      S.setBuffer(this.buf, this.bufFileOff);
      const info = this.trace.beginPacket(S, off - this.bufFileOff, avail, { file: this.currentFile, fileOffset: this.bufFileOff });
      out.push({
        offsetBytes: off,
        packetBits: info.packetBytes * 8,
        contentBits: info.contentBits,
        beginCycles: info.beginCycles ?? 0n,
        endCycles: info.endCycles ?? 0n,
        eventsDiscarded: BigInt(info.eventsDiscarded ?? 0),
        streamId: info.streamId,
        ...(info.seqNum !== undefined ? { seqNum: BigInt(info.seqNum) } : {}),
      });
      off += info.packetBytes;
    }
    this.files[n]!.index = out;
    this.S.setBuffer(this.buf, this.bufFileOff);
    return out;
  }
}
