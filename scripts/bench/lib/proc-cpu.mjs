/**
 * CPU time from /proc, for the benchmarks: the whole machine's busy seconds, and a process's
 * per thread. Ticks are 1/100 s (USER_HZ on Linux).
 */
import { readdirSync, readFileSync } from "node:fs";

/** Busy CPU seconds of the whole machine so far (all processes): user, nice, system, irq, softirq, steal. */
export function machineCpuS() {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / 100;
}

/**
 * CPU seconds (user + system) of each thread of `pid`, busiest first: `main` is the pid's own
 * task, `name` the thread's name. Threads that end while read are left out.
 */
export function threadCpu(pid) {
  const out = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      // Fields after the parenthesised name: utime and stime are the 12th and 13th.
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.push({
        tid: Number(tid),
        name: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
        main: Number(tid) === pid,
        cpuS: (Number(f[11]) + Number(f[12])) / 100,
      });
    } catch {
      /* thread gone */
    }
  }
  return out.sort((a, b) => b.cpuS - a.cpuS);
}
