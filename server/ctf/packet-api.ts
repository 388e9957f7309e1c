/**
 * Packet-level API (for the live client): decode packet buffers with the same generated
 * decoders the file reader uses.
 */
import { CtfError } from "./errors";
import { CompiledTrace, decodeNextEvent, newMutableEvent, type CompiledEvent, type MutableEvent, type PacketInfo } from "./decode/packet";
import { DecodeState } from "./decode/runtime";
import { metadataTextFromBytes, parseMetadata } from "./metadata";
import type { TraceModel } from "./tsdl/model";
import { toRelNs, type EpochNs } from "../time";

/** Compiles metadata (bytes, packetized or text, or an already parsed model). */
export function compileMetadata(metadata: Uint8Array | string | TraceModel): CompiledTrace {
  if (typeof metadata === "string") return new CompiledTrace(parseMetadata({ text: metadata, packetized: false }));
  if (metadata instanceof Uint8Array) return new CompiledTrace(parseMetadata(metadataTextFromBytes(metadata)));
  return new CompiledTrace(metadata);
}

/**
 * Decodes packets of one stream, one at a time, keeping the per-stream state (clock,
 * discarded counter) between packets. Timestamps are ns relative to `originNs`.
 */
export class PacketCursor {
  private readonly S = new DecodeState();
  readonly rec: MutableEvent;
  private shift = 0;
  private shiftSet = false;

  constructor(
    readonly trace: CompiledTrace,
    /** Absolute epoch ns the `ts` of records are relative to (e.g. the session start). */
    readonly originNs: EpochNs,
    traceIndex = 0,
    private readonly name = "",
  ) {
    this.rec = newMutableEvent(traceIndex);
  }

  /**
   * Decodes one whole packet (`buf` holds exactly or at least the packet) and calls
   * `visit` for each event with a REUSED record (copy what you keep). Returns the packet
   * info. Throws CtfError for a malformed or truncated packet (events before the error
   * have been visited).
   */
  decode(buf: Uint8Array, visit: (rec: MutableEvent, cls: CompiledEvent) => void): PacketInfo {
    const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    const S = this.S;
    S.setBuffer(b, 0);
    S.file = this.name;
    const info = this.trace.beginPacket(S, 0, b.length, { file: this.name, fileOffset: 0 });
    if (info.packetBytes > b.length && info.contentBits > b.length * 8)
      throw new CtfError("truncated", `Packet buffer holds ${b.length} bytes, packet content needs ${Math.ceil(info.contentBits / 8)}`, {
        file: this.name || undefined,
        offsetBytes: 0,
      });
    if (!this.shiftSet && this.trace.K.isSet) {
      this.shift = toRelNs(this.originNs, this.trace.cyclesToEpochNs(this.trace.K.base));
      this.shiftSet = true;
    }
    const stream = this.trace.streamOf(info);
    const rec = this.rec;
    rec.cpu = info.cpu;
    for (let cls = decodeNextEvent(S, stream, rec, S); cls !== undefined; cls = decodeNextEvent(S, stream, rec, S)) {
      rec.ts = S.clk * this.trace.nsPerCycle + this.shift;
      visit(rec, cls);
    }
    return info;
  }
}

/** One-shot convenience: decode a single packet into fresh records. */
export function decodePacket(trace: CompiledTrace, buf: Uint8Array, originNs: EpochNs): { info: PacketInfo; events: MutableEvent[] } {
  const cur = new PacketCursor(trace, originNs);
  const events: MutableEvent[] = [];
  const info = cur.decode(buf, (r) => events.push({ ...r }));
  return { info, events };
}
