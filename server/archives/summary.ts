/**
 * What one pass of the CTF reader says about an archive: event count, first and last event
 * time, discarded events and lost packets, events per name and per process. Runs in a
 * worker thread (archive.worker.ts), never on the web server's event loop.
 */
import { CtfError, openTraceSet, type TraceItem, type TraceSet } from "../ctf";
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

type PerProcess = ArchiveSummary["perProcess"][number];

/**
 * The summary's counters, fed one item at a time: by summarizeArchive's own pass, or by the
 * report's one pass that also feeds its analyses. Order does not matter.
 */
export class SummaryCollector {
  private first = Infinity;
  private last = -Infinity;
  private readonly perName = new Map<string, number>();
  /** By pid (null: none recorded), then by procname: no key string made per event. */
  private readonly perProcess = new Map<number | null, Map<string, PerProcess>>();
  /** Consecutive events mostly come from one process: its entry, looked up once. */
  private lastProcess: PerProcess | null = null;

  visit(item: TraceItem): void {
    if (item.kind !== "event") return;
    const ts = item.ts;
    if (ts < this.first) this.first = ts;
    if (ts > this.last) this.last = ts;
    this.perName.set(item.name, (this.perName.get(item.name) ?? 0) + 1);
    const ctx = item.context;
    const pid = typeof ctx.vpid === "number" ? ctx.vpid : typeof ctx.pid === "number" ? ctx.pid : typeof ctx.tid === "number" ? ctx.tid : null;
    const procname = typeof ctx.procname === "string" ? ctx.procname : "";
    if (pid === null && procname === "") return;
    const lastP = this.lastProcess;
    if (lastP !== null && lastP.pid === pid && lastP.procname === procname) {
      lastP.count++;
      return;
    }
    let byName = this.perProcess.get(pid);
    if (byName === undefined) this.perProcess.set(pid, (byName = new Map()));
    let p = byName.get(procname);
    if (p === undefined) byName.set(procname, (p = { pid, procname, count: 0 }));
    p.count++;
    this.lastProcess = p;
  }

  /** The summary of `set` once every item went through visit(). */
  result(set: TraceSet): ArchiveSummary {
    const c = set.counters;
    const info = set.traces[0];
    return {
      events: c.events,
      firstEventNs: c.events === 0 ? null : toEpochNs(set.originNs, this.first),
      lastEventNs: c.events === 0 ? null : toEpochNs(set.originNs, this.last),
      discarded: c.discardedEvents,
      lostPackets: c.lostPackets,
      ...archiveKinds(set),
      traceName: typeof info?.env.trace_name === "string" ? info.env.trace_name : "",
      hostname: info?.hostname ?? "",
      perName: [...this.perName].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
      perProcess: [...this.perProcess.values()]
        .flatMap((m) => [...m.values()])
        .sort((a, b) => b.count - a.count || a.procname.localeCompare(b.procname) || (a.pid ?? -1) - (b.pid ?? -1)),
    };
  }
}

/** What the metadata alone says (before any event is read): the domains, and the UST duration fields the report's period analyses read. */
export function archiveKinds(set: TraceSet): Pick<ArchiveSummary, "domains" | "durationFields"> {
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
  return {
    domains: [...new Set(set.traces.map((t) => t.domain).filter((d) => d !== ""))].sort(),
    durationFields: [...new Set(durationFields)].sort(),
  };
}

/** Opens the archive's traces; a directory the CTF reader refuses is an ArchiveCorruptError. */
export function openArchive(dir: string): TraceSet {
  try {
    return openTraceSet([dir]);
  } catch (e) {
    throw asCorrupt(e);
  }
}

/**
 * Reads every event of the archive once (stream by stream: counting needs no time order).
 * Throws ArchiveCorruptError when the CTF reader stops on broken data; counts up to the
 * break are not kept, as a half-read archive must not look complete.
 */
export function summarizeArchive(dir: string): ArchiveSummary {
  const set = openArchive(dir);
  try {
    const collector = new SummaryCollector();
    try {
      set.forEachUnordered((item) => collector.visit(item));
    } catch (e) {
      throw asCorrupt(e);
    }
    return collector.result(set);
  } finally {
    set.close();
  }
}

/** A CtfError as ArchiveCorruptError (the index row's message); other errors unchanged. */
export function asCorrupt(e: unknown): Error {
  if (e instanceof CtfError) return new ArchiveCorruptError(`Cannot read the archive as CTF: ${e.message}`, { cause: e });
  return e instanceof Error ? e : new Error(String(e));
}
