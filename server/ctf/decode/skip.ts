/**
 * Event classes a consumer does not read (OpenOptions.events): their decoders are replaced
 * by skip decoders (codegen.ts compileSkipEvent), generated on first use like the others.
 * Skipped events still come out in order with their name, time and cpu, so counts, time
 * ranges and discarded/lost accounting do not change; only payload and context are empty.
 */
import type { CompiledTrace } from "./packet";
import { compileSkipEvent, type DecodeEvent } from "./codegen";

export function installSkipDecoders(trace: CompiledTrace, wants: (name: string) => boolean): void {
  for (const stream of trace.streams.values()) {
    const ext = { ph: trace.model.packetHeader, pc: stream.cls.packetContext };
    for (const [id, ev] of stream.byId) {
      // Sparse ids (>= 65536) have no decoder slot: they are decoded in full.
      if (id >= 65536 || wants(ev.name)) continue;
      const stub: DecodeEvent = (S, rec) => {
        const fn = compileSkipEvent(ev.cls, stream.cls.eventContext, ext, trace.K, trace.decoderCache);
        stream.decoders[id] = fn;
        fn(S, rec);
      };
      stream.decoders[id] = stub;
    }
  }
}
