/** syscallstats, after lttng-analyses 0.6.1's core/syscalls.py and cli/syscallstats.py. */
import { mi, ResultTable, type TableClassSpec } from "../lami/values";
import type { Period } from "../periods/engine";
import type { Process } from "../state/model";
import { Analysis, type PeriodData } from "./base";
import { errnoName } from "./errno";
import { stdev } from "./stats";

export const SYSCALL_TABLE_CLASSES = {
  perTid: {
    name: "per-tid",
    title: "System call statistics",
    columns: [
      ["syscall", "System call", "syscall"],
      ["count", "Call count", "number", "calls"],
      ["min_duration", "Minimum call duration", "duration"],
      ["avg_duration", "Average call duration", "duration"],
      ["max_duration", "Maximum call duration", "duration"],
      ["stdev_duration", "Call duration standard deviation", "duration"],
      ["return_values", "Return values count", "string"],
    ],
  },
  total: {
    name: "total",
    title: "Per-TID system call statistics",
    columns: [
      ["process", "Process", "process"],
      ["count", "Total system call count", "number", "calls"],
    ],
  },
  summary: {
    name: "summary",
    title: "System call statistics - summary",
    columns: [
      ["time_range", "Time range", "time-range"],
      ["process", "Process", "process"],
      ["count", "Total system call count", "number", "calls"],
    ],
  },
} satisfies Record<string, TableClassSpec>;

class SyscallStats {
  count = 0;
  min = 0;
  max = 0;
  /** -0 is a heap number: the field holds doubles from the start (sums outgrow small integers). */
  total = -0;
  durations: number[] = [];
  /**
   * Return values counted by the key Python's dict gets ('success', errno name…), in the
   * order keys first appear: successes (nearly every call) apart, with their position among
   * the other keys, so that a call costs no key and no map lookup.
   */
  successes = 0;
  successAt = 0;
  others: Map<string, number> | null = null;
  constructor(readonly name: string) {}

  add(duration: number, ret: number | null): void {
    if (this.count === 0 || this.min > duration) this.min = duration;
    if (this.count === 0 || this.max < duration) this.max = duration;
    this.count++;
    this.total += duration;
    this.durations.push(duration);
    if (ret !== null && ret >= 0) {
      if (this.successes++ === 0) this.successAt = this.others === null ? 0 : this.others.size;
      return;
    }
    // A missing return value (old arm32 tracers) counts as an error code of its own.
    const key = ret === null ? "None" : (errnoName(-ret) ?? String(ret));
    const m = (this.others ??= new Map());
    // The real count, where lttng-analyses counts one too many (DEVIATIONS.md).
    m.set(key, (m.get(key) ?? 0) + 1);
  }

  /**
   * Python's str() of the dict of return value counts: {'success': 3, 'ENOENT': 2}.
   * `lttngAnalysesCounts`: each count one too high, as lttng-analyses 0.6.1 prints them
   * (it sets a new key to 1, then adds 1).
   */
  returnValues(lttngAnalysesCounts = false): string {
    const parts: string[] = [];
    const extra = lttngAnalysesCounts ? 1 : 0;
    const success = `'success': ${this.successes + extra}`;
    if (this.others !== null)
      for (const [k, v] of this.others) {
        if (this.successes > 0 && parts.length === this.successAt) parts.push(success);
        parts.push(`'${k}': ${v + extra}`);
      }
    if (this.successes > 0 && parts.length === this.successAt) parts.push(success);
    return `{${parts.join(", ")}}`;
  }
}

class ProcSyscallStats {
  syscalls = new Map<string, SyscallStats>();
  total = 0;
  constructor(
    readonly pid: number | null,
    readonly tid: number,
    readonly comm: string,
  ) {}
}

interface SyscallPeriodData extends PeriodData {
  tids: Map<number, ProcSyscallStats>;
}

export class SyscallsAnalysis extends Analysis<SyscallPeriodData> {
  protected override readsFdState(): boolean {
    return false;
  }

  protected createPeriodData(period: Period): SyscallPeriodData {
    const pd: SyscallPeriodData = { period, listener: {}, tids: new Map() };
    pd.listener = {
      syscallExit: (proc: Process, _ev, cpu: number) => {
        const sc = proc.currentSyscall;
        if (sc === null) return;
        if (!this.filterProcess(proc) || !this.filterCpu(cpu)) return;
        const tid = proc.tid ?? 0;
        let ps = pd.tids.get(tid);
        if (ps === undefined) {
          ps = new ProcSyscallStats(proc.pid, tid, proc.comm);
          pd.tids.set(tid, ps);
        }
        let s = ps.syscalls.get(sc.name);
        if (s === undefined) {
          s = new SyscallStats(sc.name);
          ps.syscalls.set(sc.name, s);
        }
        s.add(sc.duration, sc.ret);
        ps.total++;
      },
    };
    return pd;
  }

  protected tick(pd: SyscallPeriodData, begin: bigint, end: bigint): ResultTable[] {
    const totalTable = new ResultTable(SYSCALL_TABLE_CLASSES.total, begin, end);
    const perTid: ResultTable[] = [];
    const procs = [...pd.tids.values()].sort((a, b) => b.total - a.total);
    for (const ps of procs) {
      if (ps.total === 0) continue;
      const t = new ResultTable(SYSCALL_TABLE_CLASSES.perTid, begin, end, `${ps.comm} (${ps.pid ?? "?"}, TID: ${ps.tid})`);
      const scs = [...ps.syscalls.values()].sort((a, b) => b.count - a.count);
      for (const s of scs) {
        const n = s.count;
        t.append([
          mi.syscall(s.name),
          mi.number(n),
          mi.duration(s.min),
          mi.duration(s.total / n),
          mi.duration(s.max),
          // lttng-analyses needs more than two calls for a deviation.
          n > 2 ? mi.duration(stdev(s.durations)) : mi.unknown(),
          mi.string(s.returnValues(this.conf.opts.compat === "lttng-analyses-0.6.1")),
        ]);
      }
      perTid.push(t);
      totalTable.append([mi.process(ps.comm, ps.pid, ps.tid), mi.number(ps.total)]);
    }
    return [...perTid, totalTable];
  }

  protected override summary(tables: ResultTable[]): ResultTable[] | null {
    const totals = tables.filter((t) => t.tableClass.name === "total");
    if (totals.length <= 1) return null;
    const s = new ResultTable(SYSCALL_TABLE_CLASSES.summary, totals[0]!.begin, totals[totals.length - 1]!.end);
    for (const t of totals) for (const r of t.rows) s.append([mi.timeRange(t.begin, t.end), r[0]!, r[1]!]);
    return [s];
  }
}
