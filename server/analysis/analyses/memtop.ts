/** memtop, after lttng-analyses 0.6.1's core/memtop.py and cli/memtop.py. */
import { mi, ResultTable, type TableClassSpec } from "../lami/values";
import type { Period } from "../periods/engine";
import type { Process } from "../state/model";
import { Analysis, type PeriodData } from "./base";
import { DEFAULT_LIMIT } from "../options";

export const MEMTOP_TABLE_CLASSES = {
  allocd: {
    name: "allocd",
    title: "Per-TID top allocated memory",
    columns: [
      ["process", "Process", "process"],
      ["pages", "Allocated pages", "number", "pages"],
    ],
  },
  freed: {
    name: "freed",
    title: "Per-TID top freed memory",
    columns: [
      ["process", "Process", "process"],
      ["pages", "Freed pages", "number", "pages"],
    ],
  },
  total: {
    name: "total",
    title: "Total allocated/freed memory",
    columns: [
      ["allocd", "Total allocated pages", "number", "pages"],
      ["freed", "Total freed pages", "number", "pages"],
    ],
  },
  summary: {
    name: "summary",
    title: "Memory usage - summary",
    columns: [
      ["time_range", "Time range", "time-range"],
      ["allocd", "Total allocated pages", "number", "pages"],
      ["freed", "Total freed pages", "number", "pages"],
    ],
  },
} satisfies Record<string, TableClassSpec>;

class ProcMem {
  allocated = 0;
  freed = 0;
  constructor(
    readonly tid: number,
    readonly comm: string,
  ) {}
}

interface MemPeriodData extends PeriodData {
  tids: Map<number, ProcMem>;
}

export class MemtopAnalysis extends Analysis<MemPeriodData> {
  protected override readsFdState(): boolean {
    return false;
  }

  protected createPeriodData(period: Period): MemPeriodData {
    const pd: MemPeriodData = { period, listener: {}, tids: new Map() };
    const get = (p: Process): ProcMem => {
      const tid = p.tid ?? 0;
      let s = pd.tids.get(tid);
      if (s === undefined) pd.tids.set(tid, (s = new ProcMem(tid, p.comm)));
      return s;
    };
    pd.listener = {
      tidPageAlloc: (p, cpu) => {
        if (this.filterProcess(p) && this.filterCpu(cpu)) get(p).allocated++;
      },
      tidPageFree: (p, cpu) => {
        if (this.filterProcess(p) && this.filterCpu(cpu)) get(p).freed++;
      },
    };
    return pd;
  }

  protected tick(pd: MemPeriodData, begin: bigint, end: bigint): ResultTable[] {
    const C = MEMTOP_TABLE_CLASSES;
    const limit = this.conf.opts.limit ?? DEFAULT_LIMIT;
    const top = (cls: typeof C.allocd, key: (p: ProcMem) => number): ResultTable => {
      const t = new ResultTable(cls, begin, end);
      let count = 0;
      for (const p of [...pd.tids.values()].sort((a, b) => key(b) - key(a))) {
        t.append([mi.process(p.comm, undefined, p.tid), mi.number(key(p))]);
        count++;
        if (limit > 0 && count >= limit) break;
      }
      return t;
    };
    let alloc = 0;
    let freed = 0;
    for (const p of pd.tids.values()) {
      alloc += p.allocated;
      freed += p.freed;
    }
    const total = new ResultTable(C.total, begin, end);
    total.append([mi.number(alloc), mi.number(freed)]);
    return [top(C.allocd, (p) => p.allocated), top(C.freed, (p) => p.freed), total];
  }

  protected override summary(tables: ResultTable[]): ResultTable[] {
    const totals = tables.filter((t) => t.tableClass.name === "total");
    if (totals.length === 0) return [];
    const s = new ResultTable(MEMTOP_TABLE_CLASSES.summary, totals[0]!.begin, totals[totals.length - 1]!.end);
    for (const t of totals) s.append([mi.timeRange(t.begin, t.end), t.rows[0]![0]!, t.rows[0]![1]!]);
    return [s];
  }
}
