/** cputop, after lttng-analyses 0.6.1's core/cputop.py and cli/cputop.py. */
import { mi, ResultTable, type TableClassSpec } from "../lami/values";
import type { Period } from "../periods/engine";
import type { Process } from "../state/model";
import { Analysis, type PeriodData } from "./base";
import { formatPrioList, type PrioEvent } from "./format";
import { DEFAULT_LIMIT } from "../options";

export const CPUTOP_TABLE_CLASSES = {
  perProcess: {
    name: "per-process",
    title: "Per-TID top CPU usage",
    columns: [
      ["process", "Process", "process"],
      ["migrations", "Migration count", "number", "migrations"],
      ["prio_list", "Chronological priorities", "string"],
      ["usage", "CPU usage", "ratio"],
    ],
  },
  perCpu: {
    name: "per-cpu",
    title: "Per-CPU top CPU usage",
    columns: [
      ["cpu", "CPU", "cpu"],
      ["usage", "CPU usage", "ratio"],
    ],
  },
  total: { name: "total", title: "Total CPU usage", columns: [["usage", "CPU usage", "ratio"]] },
  summary: {
    name: "summary",
    title: "CPU usage - summary",
    columns: [
      ["time_range", "Time range", "time-range"],
      ["usage", "Total CPU usage", "ratio"],
    ],
  },
} satisfies Record<string, TableClassSpec>;

class CpuUsage {
  total = 0;
  startTs: number | null = null;
  usagePercent = 0;
  constructor(readonly cpuId: number) {}
}

class ProcCpu {
  total = 0;
  lastSchedTs: number | null = null;
  migrations = 0;
  usagePercent = 0;
  prioList: PrioEvent[] = [];
  constructor(
    readonly tid: number,
    readonly comm: string,
  ) {}
}

interface CputopPeriodData extends PeriodData {
  beginTs: number;
  cpus: Map<number, CpuUsage>;
  tids: Map<number, ProcCpu>;
}

export class CputopAnalysis extends Analysis<CputopPeriodData> {
  protected override readsFdState(): boolean {
    return false;
  }

  /** The swapper (tid 0) never counts as a process. */
  private filterProc(p: Process): boolean {
    if (p.tid === 0) return false;
    return this.filterProcess(p);
  }

  protected createPeriodData(period: Period): CputopPeriodData {
    const pd: CputopPeriodData = { period, listener: {}, beginTs: period.beginEvt.ts, cpus: new Map(), tids: new Map() };
    pd.listener = {
      schedSwitchPerCpu: (s) => {
        if (!this.filterCpu(s.cpu)) return;
        let c = pd.cpus.get(s.cpu);
        if (c === undefined) {
          c = new CpuUsage(s.cpu);
          c.startTs = pd.beginTs;
          pd.cpus.set(s.cpu, c);
        }
        if (c.startTs !== null) c.total += s.ts - c.startTs;
        c.startTs = this.filterProc(s.wakee) ? s.ts : null;
      },
      schedSwitchPerTid: (s) => {
        if (!this.filterCpu(s.cpu)) return;
        let prev = pd.tids.get(s.prevTid);
        if (prev === undefined) {
          prev = new ProcCpu(s.prevTid, s.prevComm);
          // Running since before the period began.
          prev.lastSchedTs = pd.beginTs;
          pd.tids.set(s.prevTid, prev);
        }
        if (prev.lastSchedTs !== null) {
          prev.total += s.ts - prev.lastSchedTs;
          prev.lastSchedTs = null;
        }
        if (!this.filterProc(s.wakee)) return;
        let next = pd.tids.get(s.nextTid);
        if (next === undefined) {
          next = new ProcCpu(s.nextTid, s.nextComm);
          next.prioList.push({ ts: s.ts, prio: s.wakee.prio });
          pd.tids.set(s.nextTid, next);
        }
        next.lastSchedTs = s.ts;
      },
      schedMigrateTask: (proc, cpu) => {
        if (!this.filterProc(proc) || !this.filterCpu(cpu)) return;
        const tid = proc.tid ?? 0;
        let p = pd.tids.get(tid);
        if (p === undefined) pd.tids.set(tid, (p = new ProcCpu(tid, proc.comm)));
        p.migrations++;
      },
      prioChanged: (ts, tid, prio) => {
        pd.tids.get(tid)?.prioList.push({ ts, prio });
      },
    };
    return pd;
  }

  protected override endPeriod(pd: CputopPeriodData): void {
    const last = this.lastEventTs ?? pd.beginTs;
    const duration = last - pd.beginTs;
    for (const c of pd.cpus.values()) {
      if (c.startTs !== null) c.total += last - c.startTs;
      c.usagePercent = duration !== 0 ? (c.total * 100) / duration : 0;
    }
    for (const p of pd.tids.values()) {
      if (p.lastSchedTs !== null) p.total += last - p.lastSchedTs;
      p.usagePercent = duration !== 0 ? (p.total * 100) / duration : 0;
    }
  }

  protected tick(pd: CputopPeriodData, begin: bigint, end: bigint): (ResultTable | null)[] {
    const C = CPUTOP_TABLE_CLASSES;
    const perTid = new ResultTable(C.perProcess, begin, end);
    const limit = this.conf.opts.limit ?? DEFAULT_LIMIT;
    let count = 0;
    for (const p of [...pd.tids.values()].sort((a, b) => b.usagePercent - a.usagePercent)) {
      perTid.append([
        mi.process(p.comm, undefined, p.tid),
        mi.number(p.migrations),
        mi.string(formatPrioList(p.prioList)),
        mi.ratioFromPercentage(p.usagePercent),
      ]);
      count++;
      if (limit > 0 && count >= limit) break;
    }
    const perCpu = new ResultTable(C.perCpu, begin, end);
    for (const c of [...pd.cpus.values()].sort((a, b) => a.cpuId - b.cpuId)) perCpu.append([mi.cpu(c.cpuId), mi.ratioFromPercentage(c.usagePercent)]);
    let total: ResultTable | null = null;
    // lttng-analyses averages over every CPU the state machine has seen.
    const cpuCount = this.state.cpus.size;
    if (cpuCount > 0) {
      total = new ResultTable(C.total, begin, end);
      let usage = 0;
      for (const c of [...pd.cpus.values()].sort((a, b) => b.usagePercent - a.usagePercent)) usage += c.usagePercent;
      total.append([mi.ratioFromPercentage(usage / cpuCount)]);
    }
    return [perTid, perCpu, total];
  }

  protected override summary(tables: ResultTable[]): ResultTable[] {
    const totals = tables.filter((t) => t.tableClass.name === "total");
    if (totals.length === 0) return [];
    const s = new ResultTable(CPUTOP_TABLE_CLASSES.summary, totals[0]!.begin, totals[totals.length - 1]!.end);
    for (const t of totals) s.append([mi.timeRange(t.begin, t.end), t.rows[0]![0]!]);
    return [s];
  }
}
