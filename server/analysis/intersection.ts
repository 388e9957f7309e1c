/**
 * lttng-analyses' default "stream intersection": it reads through babeltrace 1's
 * TraceCollection in intersect mode, which keeps, per trace, only the events inside the
 * span every stream of that trace covers. babeltrace 1 counts each data file as a stream
 * (rotated files too) and a stream's span runs from its first packet's begin to its last
 * packet's end. Several traces (kernel + UST) are read over the union of their spans,
 * each still clipped to its own. `--no-intersection` turns it all off.
 */

import { AnalysisError, NO_INTERSECTION_MESSAGE } from "./errors";

/** One data file's packet span (relative ns), as the CTF reader's TraceSet.fileSpans() gives it. */
export interface FileSpanLike {
  trace: number;
  span: readonly [number, number] | null;
}

/** Events of trace `t` are read when `lo[t] <= ts <= hi[t]` (inclusive, as babeltrace 1). */
export interface IntersectionWindow {
  lo: number[];
  hi: number[];
  /** The union's end: nothing after it is read. */
  end: number;
}

/**
 * The windows babeltrace 1 reads (ctf_find_tc_stream_packet_intersection_union): per
 * trace the latest first-packet begin to the earliest last-packet end; a trace with a
 * packetless file gets no window of its own (only the union's). Throws AnalysisError NO_INTERSECTION
 * when the union is empty.
 */
export function intersectionWindow(files: readonly FileSpanLike[], traceCount: number): IntersectionWindow {
  const lo = new Array<number>(traceCount).fill(-Infinity);
  const hi = new Array<number>(traceCount).fill(Infinity);
  const skip = new Array<boolean>(traceCount).fill(false);
  const seen = new Array<boolean>(traceCount).fill(false);
  for (const f of files) {
    seen[f.trace] = true;
    if (f.span === null) skip[f.trace] = true;
    else {
      lo[f.trace] = Math.max(lo[f.trace]!, f.span[0]);
      hi[f.trace] = Math.min(hi[f.trace]!, f.span[1]);
    }
  }
  let begin = Infinity;
  let end = -Infinity;
  for (let t = 0; t < traceCount; t++) {
    // A trace without streams, or with a stream without packets, is left out of the union
    // and not clipped ("Empty trace or no stream intersection" in babeltrace 1).
    if (!seen[t] || skip[t]) {
      lo[t] = -Infinity;
      hi[t] = Infinity;
      continue;
    }
    // An inverted window (streams that never overlap) still widens the union.
    begin = Math.min(begin, lo[t]!);
    end = Math.max(end, hi[t]!);
  }
  if (!(end >= begin)) throw new AnalysisError("NO_INTERSECTION", NO_INTERSECTION_MESSAGE);
  for (let t = 0; t < traceCount; t++) {
    lo[t] = Math.max(lo[t]!, begin);
    hi[t] = Math.min(hi[t]!, end);
  }
  return { lo, hi, end };
}
