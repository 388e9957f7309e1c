/**
 * The text outputs of the CLI (`tracedeck print`, `tracedeck stats`), kept out of bin/ so
 * that bin/commands stay thin.
 */
import { writeSync } from "node:fs";
import { formatDuration, formatIsoNs, formatTimeOfDay, toEpochNs } from "../time";
import { babeltrace2EventObjects } from "./compat/bt2-event-pool";
import { PrettyPrinter, type PrettyOptions } from "./pretty";
import { TraceSet, type ItemSource } from "./reader/trace-set";

/** Buffered writer to a file descriptor; stops quietly when the reader goes away (EPIPE). */
export class FdWriter {
  private readonly buf: Buffer;
  private off = 0;
  closed = false;
  constructor(
    private readonly fd: number,
    size = 1 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(size, 4096));
  }
  write(s: string): void {
    if (this.closed) return;
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    if (s.length * 3 > this.buf.length - this.off) {
      this.flush();
      if (s.length * 3 > this.buf.length) {
        this.writeAll(Buffer.from(s, "utf8"));
        return;
      }
    }
    this.off += this.buf.write(s, this.off);
  }
  flush(): void {
    if (this.closed || this.off === 0) return;
    const n = this.off;
    this.off = 0;
    this.writeAll(this.buf.subarray(0, n));
  }
  private writeAll(data: Buffer): void {
    let off = 0;
    while (off < data.length && !this.closed) {
      try {
        off += writeSync(this.fd, data, off, data.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EAGAIN") continue;
        if (code === "EPIPE") {
          this.closed = true;
          return;
        }
        throw e;
      }
    }
  }
}

/** Writes every event in babeltrace2's default text format; warnings go to `err`. */
export function printTraceSet(set: TraceSet, _inputs: string[], out: FdWriter, err: FdWriter, opts: PrettyOptions = {}): void {
  let eventObject = opts.eventObject;
  if (opts.compat === "babeltrace2-2.0.4" && eventObject === undefined) {
    // babeltrace2's pooled event objects: one more pass over the set, beforehand.
    const objects = babeltrace2EventObjects(set.messagePlans());
    const next = new Int32Array(objects.length);
    eventObject = (src) => objects[src.streamIndex]![next[src.streamIndex]!++]!;
  }
  const p = new PrettyPrinter(set.originNs, { ...opts, eventObject });
  const names = set.traceNames;
  set.forEach((item, src: ItemSource) => {
    if (item.kind === "event") out.write(p.event(item, src) + "\n");
    else {
      err.write(p.warning(item, src, names[src.traceIndex] ?? "") + "\n");
      err.flush();
    }
    return !out.closed;
  });
}

export interface Stats {
  events: number;
  perClass: Map<string, number>;
  firstTs: number | undefined;
  lastTs: number | undefined;
  discardedEvents: number;
  lostPackets: number;
  packets: number;
  seconds: number;
}

/** Decodes every field of every event and counts per event class. */
export function computeStats(set: TraceSet): Stats {
  const t0 = performance.now();
  // Count per compiled class (dense index) in the hot loop; name the classes at the end.
  const counts = set.traces.map((_t, i) => new Float64Array(set.eventClasses(i).length));
  let events = 0;
  let firstTs: number | undefined;
  let lastTs = -Infinity;
  let minTs = Infinity;
  // Order does not matter for counts: visit stream by stream, without the merge.
  set.forEachUnordered((item, src) => {
    if (item.kind !== "event") return;
    const e = item;
    counts[e.trace]![src.eventClass()!.index]!++;
    const ts = e.ts;
    if (ts < minTs) minTs = ts;
    if (ts > lastTs) lastTs = ts;
    events++;
  });
  if (events) firstTs = minTs;
  const perClass = new Map<string, number>();
  counts.forEach((arr, ti) => {
    const classes = set.eventClasses(ti);
    arr.forEach((n, i) => {
      if (n > 0) {
        const name = classes[i]!.name;
        perClass.set(name, (perClass.get(name) ?? 0) + n);
      }
    });
  });
  const c = set.counters;
  return {
    events,
    perClass,
    firstTs,
    lastTs: events ? lastTs : undefined,
    discardedEvents: c.discardedEvents,
    lostPackets: c.lostPackets,
    packets: c.packets,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** `openSeconds`: time spent finding the streams and parsing the metadata, when measured. */
export function formatStats(set: TraceSet, s: Stats, openSeconds?: number): string {
  const lines: string[] = [];
  lines.push(`Traces: ${set.traces.length}`);
  for (const t of set.traces) lines.push(`  ${t.path} (domain ${t.domain || "?"}, host ${t.hostname || "?"})`);
  if (s.firstTs !== undefined && s.lastTs !== undefined) {
    const a = toEpochNs(set.originNs, s.firstTs);
    const b = toEpochNs(set.originNs, s.lastTs);
    lines.push(
      `Time span: [${formatTimeOfDay(a)}] to [${formatTimeOfDay(b)}] (${formatDuration(s.lastTs - s.firstTs)}; ${formatIsoNs(a)} to ${formatIsoNs(b)})`,
    );
  } else lines.push("Time span: (no events)");
  lines.push(`Events: ${s.events}`);
  lines.push(`Discarded events: ${s.discardedEvents}`);
  lines.push(`Lost packets: ${s.lostPackets}`);
  lines.push(`Packets: ${s.packets}`);
  lines.push("Events per class:");
  const rows = [...s.perClass.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const w = String(rows[0]?.[1] ?? 0).length;
  for (const [name, n] of rows) lines.push(`  ${String(n).padStart(w)}  ${name}`);
  if (openSeconds !== undefined) lines.push(`Opened (metadata parsed, streams found) in ${openSeconds.toFixed(3)} s`);
  lines.push(`Decoded in ${s.seconds.toFixed(3)} s (${Math.round(s.events / Math.max(s.seconds, 1e-9))} events/s)`);
  return lines.join("\n") + "\n";
}
