/**
 * What one pass of the CTF reader says about an archive: event count, first and last event
 * time, discarded events and lost packets, events per name and per process. Runs in a
 * worker thread (archive.worker.ts), never on the web server's event loop.
 */
import { CtfError, openTraceSet } from "../ctf";
import { toEpochNs } from "../time";

export interface ArchiveSummary {
  events: number;
  /** Absolute epoch ns of the first and last event; null when the archive holds none. */
  firstEventNs: bigint | null;
  lastEventNs: bigint | null;
  discarded: number;
  lostPackets: number;
  /** Tracer domains of its traces ("ust", "kernel"). */
  domains: string[];
  /** `env.trace_name` (the recording session) and `env.hostname` of its first trace. */
  traceName: string;
  hostname: string;
  /** Events per event class name, most frequent first. */
  perName: { name: string; count: number }[];
  /** Events per process, when the trace records a pid/procname context; most frequent first. */
  perProcess: { pid: number | null; procname: string; count: number }[];
  /** Payload fields that carry a duration in ns (`<event>.<field>`), for period analyses. */
  durationFields: string[];
}

/** The archive cannot be read as CTF: `message` says where (file, offset), for the index row. */
export class ArchiveCorruptError extends Error {
  override name = "ArchiveCorruptError";
}

const DURATION_FIELD = /(^|_)(latency|duration)(_ns)?$/;

/**
 * Reads every event of the archive once (stream by stream: counting needs no time order).
 * Throws ArchiveCorruptError when the CTF reader stops on broken data; counts up to the
 * break are not kept, as a half-read archive must not look complete.
 */
export function summarizeArchive(dir: string): ArchiveSummary {
  let set;
  try {
    set = openTraceSet([dir]);
  } catch (e) {
    throw asCorrupt(e);
  }
  try {
    let first = Infinity;
    let last = -Infinity;
    const perName = new Map<string, number>();
    const perProcess = new Map<string, { pid: number | null; procname: string; count: number }>();
    try {
      set.forEachUnordered((item) => {
        if (item.kind !== "event") return;
        if (item.ts < first) first = item.ts;
        if (item.ts > last) last = item.ts;
        perName.set(item.name, (perName.get(item.name) ?? 0) + 1);
        const ctx = item.context;
        const pid = typeof ctx.vpid === "number" ? ctx.vpid : typeof ctx.pid === "number" ? ctx.pid : typeof ctx.tid === "number" ? ctx.tid : null;
        const procname = typeof ctx.procname === "string" ? ctx.procname : "";
        if (pid === null && procname === "") return;
        const key = `${pid ?? ""}/${procname}`;
        const p = perProcess.get(key);
        if (p) p.count++;
        else perProcess.set(key, { pid, procname, count: 1 });
      });
    } catch (e) {
      throw asCorrupt(e);
    }
    const c = set.counters;
    const durationFields: string[] = [];
    // Only user-space traces: kernel traces have ~1,200 classes and their latencies come
    // from the kernel analyses, not from payload fields.
    set.traces.forEach((t, i) => {
      if (t.domain !== "ust") return;
      for (const ev of set.eventClasses(i)) {
        for (const f of ev.cls.fields?.fields ?? []) {
          if (f.type.kind === "int" && DURATION_FIELD.test(f.name)) durationFields.push(`${ev.name}.${f.name}`);
        }
      }
    });
    const info = set.traces[0];
    return {
      events: c.events,
      firstEventNs: c.events === 0 ? null : toEpochNs(set.originNs, first),
      lastEventNs: c.events === 0 ? null : toEpochNs(set.originNs, last),
      discarded: c.discardedEvents,
      lostPackets: c.lostPackets,
      domains: [...new Set(set.traces.map((t) => t.domain).filter((d) => d !== ""))].sort(),
      traceName: typeof info?.env.trace_name === "string" ? info.env.trace_name : "",
      hostname: info?.hostname ?? "",
      perName: [...perName].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
      perProcess: [...perProcess.values()].sort((a, b) => b.count - a.count || a.procname.localeCompare(b.procname)),
      durationFields: [...new Set(durationFields)].sort(),
    };
  } finally {
    set.close();
  }
}

function asCorrupt(e: unknown): Error {
  if (e instanceof CtfError) return new ArchiveCorruptError(`Cannot read the archive as CTF: ${e.message}`, { cause: e });
  return e instanceof Error ? e : new Error(String(e));
}
