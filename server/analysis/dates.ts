/**
 * --begin/--end/--timerange parsing, as lttng-analyses' common/parse_utils.py: full
 * dates, times of day (on the trace's date), with or without 9-digit nanoseconds, or
 * epoch nanoseconds. Dates are in the local time zone (run with TZ=UTC to match).
 */

import { epochNs, type EpochNs } from "../time";
import { AnalysisError } from "./errors";

const FULL = /^(\d{4})-([01]\d)-([0-3]\d)[\sTt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{9}))?$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{9}))?$/;
const EPOCH = /^\d+$/;

/** Absolute epoch ns. `traceBeginNs` gives the date for time-of-day forms. */
export function parseDate(s: string, traceBeginNs: bigint): EpochNs {
  let m = FULL.exec(s);
  if (m !== null) {
    const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
    if (Number.isNaN(d.getTime())) throw new AnalysisError("INVALID_DATE", `Unrecognised date format: ${s}`);
    return epochNs(BigInt(Math.floor(d.getTime() / 1000)) * 1_000_000_000n + BigInt(m[7] ?? "0"));
  }
  m = TIME.exec(s);
  if (m !== null) {
    const day = new Date(Number(traceBeginNs / 1_000_000n));
    const d = new Date(day.getFullYear(), day.getMonth(), day.getDate(), Number(m[1]), Number(m[2]), Number(m[3]));
    return epochNs(BigInt(Math.floor(d.getTime() / 1000)) * 1_000_000_000n + BigInt(m[4] ?? "0"));
  }
  if (EPOCH.test(s)) return epochNs(BigInt(s));
  throw new AnalysisError("INVALID_DATE", `Unrecognised date format: ${s}`);
}

/** "[begin,end]" */
export function parseTimeRange(s: string, traceBeginNs: bigint): [EpochNs, EpochNs] {
  const m = /^\[(.*),(.*)\]$/.exec(s.trim());
  if (m === null) throw new AnalysisError("INVALID_DATE", `Invalid time range format: ${s}`);
  return [parseDate(m[1]!.trim(), traceBeginNs), parseDate(m[2]!.trim(), traceBeginNs)];
}
