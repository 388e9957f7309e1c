/**
 * `tracedeck live`: one consumer, its events printed in babeltrace2's text format (the
 * printer of `tracedeck print`) or as JSON lines, until the session ends. Kept out of bin/
 * so that the command stays thin.
 */
import { PrettyPrinter } from "../ctf/index";
import { FdWriter } from "../ctf/text-output";
import { formatTimeOfDay, toEpochNs, type EpochNs } from "../time";
import { LiveConsumer, type LiveEnd, type LiveEvent, type Seek } from "./consumer";
import type { EventPredicate } from "./filter";
import type { LiveTarget } from "./target";

export interface LiveCliOptions {
  target: LiveTarget;
  seek: Seek;
  json: boolean;
  filter: EventPredicate;
  out: FdWriter;
  err: FdWriter;
  /** Aborts the run (Ctrl-C): the consumer detaches and run resolves "stopped". */
  signal?: AbortSignal;
}

/** JSON text of a decoded value: bigints as decimal strings (no precision lost). */
export function jsonReplacer(_key: string, v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}

export function eventJson(ev: LiveEvent, originNs: EpochNs): string {
  const abs = toEpochNs(originNs, ev.ts);
  return JSON.stringify({ time: formatTimeOfDay(abs), tsNs: abs, name: ev.name, cpu: ev.cpu, context: ev.context, payload: ev.payload }, jsonReplacer);
}

export async function runLiveCli(o: LiveCliOptions): Promise<LiveEnd> {
  let printer: PrettyPrinter | undefined;
  const consumer = new LiveConsumer({
    target: o.target,
    seek: o.seek,
    onEvent(ev, src) {
      if (!o.filter(ev)) return;
      if (o.json) o.out.write(eventJson(ev, consumer.originNs!) + "\n");
      else {
        printer ??= new PrettyPrinter(consumer.originNs!);
        o.out.write(printer.event(ev, src) + "\n");
      }
      if (o.out.closed) consumer.stop();
    },
    onDiscarded(note, src) {
      printer ??= new PrettyPrinter(consumer.originNs!);
      const trace = src.streamFile.slice(0, src.streamFile.lastIndexOf("/"));
      o.err.write(printer.warning({ ...note, cpu: -1, trace: src.traceIndex }, src, trace) + "\n");
      o.err.flush();
    },
    onFlush() {
      o.out.flush();
    },
  });
  const abort = () => consumer.stop();
  o.signal?.addEventListener("abort", abort, { once: true });
  try {
    return await consumer.run();
  } finally {
    o.signal?.removeEventListener("abort", abort);
    o.out.flush();
  }
}
