import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";

/**
 * Lowers the CPU priority (nice) of the calling thread only. Analyses and timeline scans are
 * batch work in worker threads; the server's event loop answers the status bar, the API and
 * live fan-out, and must win the CPU while they run (the load bench: 5 analyses vs. the status
 * bar's < 200 ms). On Linux a nice value belongs to a thread: `/proc/thread-self` names its
 * id, and setpriority(PRIO_PROCESS, tid) changes that thread alone. Elsewhere: no-op.
 * Returns the thread's nice value afterwards, or null when it could not be set.
 */
export function lowerThreadPriority(nice = 10): number | null {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isInteger(tid) || tid <= 0) return null;
    if (getPriority(tid) < nice) setPriority(tid, nice);
    return getPriority(tid);
  } catch {
    return null;
  }
}
