import { PrettyPrinter, openTraceSet, type PrintCompat } from "../ctf";
import { toEpochNs, toRelNs, type EpochNs } from "../time";

export interface RangeRequest {
  /** Trace directories, already resolved under the trace roots. */
  paths: string[];
  /** Absolute bounds (epoch ns), inclusive; absent: from the first / to the last event. */
  begin?: EpochNs;
  end?: EpochNs;
  /** At most this many events are returned. */
  limit: number;
  /** Reproduce a reference tool's printing bug (PrettyOptions.compat); absent: true values. */
  compat?: PrintCompat;
}

export interface RangeResult {
  /** Events in time order, as babeltrace2 prints them (`[time] (+delta) host name: {…}`). */
  lines: string[];
  /** Epoch ns of each line's event, as decimal strings (bigint does not cross a worker's JSON). */
  timestamps: string[];
  /** Events in the range per event name, over the whole range even when `lines` was cut. */
  counts: Record<string, number>;
  /** More events than `limit` fall in the range. */
  truncated: boolean;
  traceBegin: string;
  traceEnd: string;
}

/**
 * The events of a time range: what the machine was doing during one row of an analysis.
 * Seeks through the packet index, then reads forward until the range ends; counting goes on
 * past `limit` so the summary covers the whole range.
 */
export function readRange(req: RangeRequest): RangeResult {
  const set = openTraceSet(req.paths);
  try {
    const origin = set.originNs;
    const beginRel = req.begin === undefined ? set.beginTs : Math.max(set.beginTs, toRelNs(origin, req.begin));
    const endRel = req.end === undefined ? set.endTs : toRelNs(origin, req.end);
    const printer = new PrettyPrinter(origin, { compat: req.compat });
    const lines: string[] = [];
    const timestamps: string[] = [];
    const counts: Record<string, number> = {};
    let inRange = 0;
    set.seek(beginRel);
    set.forEach((item, src) => {
      if (item.kind !== "event") return;
      if (item.ts > endRel) return false;
      inRange++;
      counts[item.name] = (counts[item.name] ?? 0) + 1;
      if (lines.length < req.limit) {
        lines.push(printer.event(item, src));
        timestamps.push(toEpochNs(origin, item.ts).toString());
      }
    });
    return {
      lines,
      timestamps,
      counts,
      truncated: inRange > lines.length,
      traceBegin: toEpochNs(origin, set.beginTs).toString(),
      traceEnd: toEpochNs(origin, set.endTs).toString(),
    };
  } finally {
    set.close();
  }
}
