import { readRange, type RangeRequest, type RangeResult } from "./range";
import { lowerThreadPriority } from "../worker-priority";
import { epochNs } from "../time";

// Batch work: the event loop (status bar, API) must win the CPU while it runs.
lowerThreadPriority();

/** piscina entry (dist/workers/range.mjs): decoding stays off the web server's event loop. */
export default function rangeTask(req: Omit<RangeRequest, "begin" | "end"> & { begin?: string; end?: string }): RangeResult {
  return readRange({
    ...req,
    begin: req.begin === undefined ? undefined : epochNs(BigInt(req.begin)),
    end: req.end === undefined ? undefined : epochNs(BigInt(req.end)),
  });
}
