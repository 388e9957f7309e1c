/**
 * Scheduling latency analyses (schedlog, schedtop, schedstats, schedfreq): the time
 * from a thread's wake-up to its sched_switch in, after lttng-analyses 0.6.1's
 * core/sched.py and cli/sched.py.
 */
import { mi, ResultTable, type TableClassSpec } from "../lami/values";
import type { LamiValue } from "../lami/types";
import type { Period } from "../periods/engine";
import type { Process } from "../state/model";
import { Analysis, type PeriodData } from "./base";
import { formatPrioList, type PrioEvent } from "./format";
import { bucketCounts, maxOf, minOf, stdev } from "./stats";
import { topByDesc } from "./top";
import { uniformFreqValues, type UniformState } from "./uniform";
import { DEFAULT_LIMIT, DEFAULT_FREQ_RESOLUTION } from "../options";

const eventColumns = [
  ["wakeup_ts", "Wakeup timestamp", "timestamp"],
  ["switch_ts", "Switch timestamp", "timestamp"],
  ["latency", "Scheduling latency", "duration"],
  ["prio", "Priority", "number"],
  ["target_cpu", "Target CPU", "cpu"],
  ["wakee_proc", "Wakee process", "process"],
  ["waker_proc", "Waker process", "process"],
] as const;

const statsColumns = [
  ["count", "Scheduling count", "number", "schedulings"],
  ["min_latency", "Minimum latency", "duration"],
  ["avg_latency", "Average latency", "duration"],
  ["max_latency", "Maximum latency", "duration"],
  ["stdev_latency", "Scheduling latency standard deviation", "duration"],
] as const;

export const SCHED_TABLE_CLASSES = {
  log: { name: "log", title: "Scheduling log", columns: eventColumns },
  top: { name: "top", title: "Scheduling top", columns: eventColumns },
  totalStats: { name: "total_stats", title: "Scheduling latency stats (total)", columns: statsColumns },
  perTidStats: {
    name: "per_tid_stats",
    title: "Scheduling latency stats (per-TID)",
    columns: [["process", "Wakee process", "process"], ...statsColumns, ["prio_list", "Chronological priorities", "string"]],
  },
  perPrioStats: {
    name: "per_prio_stats",
    title: "Scheduling latency stats (per-prio)",
    columns: [["prio", "Priority", "number"], ...statsColumns],
  },
  freq: {
    name: "freq",
    title: "Scheduling latency frequency distribution",
    columns: [
      ["duration_lower", "Duration (lower bound)", "duration"],
      ["duration_upper", "Duration (upper bound)", "duration"],
      ["count", "Scheduling count", "number", "schedulings"],
    ],
  },
} satisfies Record<string, TableClassSpec>;

interface SchedEvent {
  wakeupTs: number;
  switchTs: number;
  /** Live references: lttng-analyses prints their names as of the end of the trace. */
  wakee: Process;
  waker: Process | null;
  prio: number | null;
  targetCpu: number;
  latency: number;
}

class ProcSchedStats {
  prioList: PrioEvent[] = [];
  schedList: SchedEvent[] = [];
  min: number | null = null;
  max: number | null = null;
  total = 0;
  constructor(
    readonly pid: number | null,
    readonly tid: number,
    readonly comm: string,
  ) {}
}

interface SchedPeriodData extends PeriodData {
  schedList: SchedEvent[];
  min: number | null;
  max: number | null;
  total: number;
  tids: Map<number, ProcSchedStats>;
}

export type SchedCommand = "schedlog" | "schedtop" | "schedstats" | "schedfreq";

interface Group {
  list: SchedEvent[];
  count: number;
  min: number | null;
  max: number | null;
  total: number;
}

function group(list: SchedEvent[]): Group {
  let min: number | null = null;
  let max: number | null = null;
  let total = 0;
  for (const e of list) {
    if (min === null || e.latency < min) min = e.latency;
    if (max === null || e.latency > max) max = e.latency;
    total += e.latency;
  }
  return { list, count: list.length, min, max, total };
}

export class SchedAnalysis extends Analysis<SchedPeriodData> {
  protected override readsFdState(): boolean {
    return false;
  }

  command: SchedCommand = "schedtop";
  private readonly uniform: UniformState = new Map();

  protected createPeriodData(period: Period): SchedPeriodData {
    const pd: SchedPeriodData = { period, listener: {}, schedList: [], min: null, max: null, total: 0, tids: new Map() };
    const procStats = (p: Process, ts: number): ProcSchedStats => {
      const tid = p.tid ?? 0;
      let s = pd.tids.get(tid);
      if (s === undefined) {
        s = new ProcSchedStats(p.pid, tid, p.comm);
        s.prioList.push({ ts, prio: p.prio });
        pd.tids.set(tid, s);
      }
      return s;
    };
    // Only schedstats prints per-thread statistics and priorities; the other commands read
    // the period's list of wake-ups alone.
    const perTid = this.command === "schedstats";
    pd.listener = {
      schedSwitchPerTid: (s) => {
        const wakeupTs = s.wakee.lastWakeup;
        if (wakeupTs === null) return;
        if (!this.filterProcess(s.wakee) || !this.filterCpu(s.cpu)) return;
        const latency = s.ts - wakeupTs;
        if (this.conf.minDuration !== null && latency < this.conf.minDuration) return;
        if (this.conf.maxDuration !== null && latency > this.conf.maxDuration) return;
        const ev: SchedEvent = {
          wakeupTs,
          switchTs: s.ts,
          wakee: s.wakee,
          waker: s.waker,
          prio: s.wakee.prio,
          targetCpu: s.cpu,
          latency,
        };
        if (perTid) {
          if (s.waker !== null) procStats(s.waker, s.ts);
          const wakeeStats = pd.tids.get(s.nextTid) ?? procStats(s.wakee, s.ts);
          if (wakeeStats.min === null || latency < wakeeStats.min) wakeeStats.min = latency;
          if (wakeeStats.max === null || latency > wakeeStats.max) wakeeStats.max = latency;
          wakeeStats.total += latency;
          wakeeStats.schedList.push(ev);
        }
        if (pd.min === null || latency < pd.min) pd.min = latency;
        if (pd.max === null || latency > pd.max) pd.max = latency;
        pd.total += latency;
        pd.schedList.push(ev);
      },
    };
    if (perTid)
      pd.listener.prioChanged = (ts, tid, prio) => {
        pd.tids.get(tid)?.prioList.push({ ts, prio });
      };
    return pd;
  }

  private eventRow(e: SchedEvent): LamiValue[] {
    const toAbs = this.conf.toAbs;
    return [
      mi.timestamp(toAbs(e.wakeupTs)),
      mi.timestamp(toAbs(e.switchTs)),
      mi.duration(e.latency),
      e.prio === null ? { class: "number" } : mi.number(e.prio),
      mi.cpu(e.targetCpu),
      mi.process(e.wakee.comm, e.wakee.pid, e.wakee.tid),
      e.waker === null ? mi.empty() : mi.process(e.waker.comm, e.waker.pid, e.waker.tid),
    ];
  }

  private statsCells(g: Group): LamiValue[] {
    const sd = stdev(g.list.map((e) => e.latency));
    return [
      mi.number(g.count),
      mi.duration(g.min ?? 0),
      mi.duration(g.count === 0 ? 0 : g.total / g.count),
      mi.duration(g.max ?? 0),
      Number.isNaN(sd) ? mi.unknown() : mi.duration(sd),
    ];
  }

  private byTid(pd: SchedPeriodData): Map<number, Group> {
    const m = new Map<number, SchedEvent[]>();
    for (const e of pd.schedList) {
      const tid = e.wakee.tid ?? 0;
      let l = m.get(tid);
      if (l === undefined) m.set(tid, (l = []));
      l.push(e);
    }
    return new Map([...m].map(([k, l]) => [k, group(l)]));
  }

  private byPrio(pd: SchedPeriodData): Map<number, Group> {
    const m = new Map<number, SchedEvent[]>();
    for (const e of pd.schedList) {
      const prio = e.prio ?? 0;
      let l = m.get(prio);
      if (l === undefined) m.set(prio, (l = []));
      l.push(e);
    }
    return new Map([...m].map(([k, l]) => [k, group(l)]));
  }

  private groupings(): { total: boolean; perTid: boolean; perPrio: boolean } {
    const o = this.conf.opts;
    const total = o.total === true;
    const perPrio = o.perPrio === true;
    // Without --total or --per-prio, lttng-analyses defaults to --per-tid.
    const perTid = o.perTid === true || !(total || perPrio);
    return { total, perTid, perPrio };
  }

  protected tick(pd: SchedPeriodData, begin: bigint, end: bigint): (ResultTable | null)[] {
    const C = SCHED_TABLE_CLASSES;
    const g = this.groupings();
    switch (this.command) {
      case "schedlog": {
        const t = new ResultTable(C.log, begin, end);
        for (const e of pd.schedList) t.append(this.eventRow(e));
        return [t];
      }
      case "schedtop": {
        const t = new ResultTable(C.top, begin, end);
        for (const e of topByDesc(pd.schedList, (x) => x.latency, this.conf.opts.limit ?? DEFAULT_LIMIT)) t.append(this.eventRow(e));
        return [t];
      }
      case "schedstats": {
        const out: ResultTable[] = [];
        if (g.total) {
          const t = new ResultTable(C.totalStats, begin, end);
          t.append(this.statsCells({ list: pd.schedList, count: pd.schedList.length, min: pd.min, max: pd.max, total: pd.total }));
          out.push(t);
        }
        if (g.perTid) {
          const t = new ResultTable(C.perTidStats, begin, end);
          const procs = [...pd.tids.values()].sort((a, b) => {
            const x = a.comm.toLowerCase();
            const y = b.comm.toLowerCase();
            return x < y ? -1 : x > y ? 1 : 0;
          });
          for (const ps of procs) {
            if (ps.schedList.length === 0) continue;
            t.append([
              mi.process(ps.comm, undefined, ps.tid),
              ...this.statsCells({ list: ps.schedList, count: ps.schedList.length, min: ps.min, max: ps.max, total: ps.total }),
              mi.string(formatPrioList(ps.prioList)),
            ]);
          }
          out.push(t);
        }
        if (g.perPrio) {
          const t = new ResultTable(C.perPrioStats, begin, end);
          const groups = this.byPrio(pd);
          for (const prio of [...groups.keys()].sort((a, b) => a - b)) t.append([mi.number(prio), ...this.statsCells(groups.get(prio)!)]);
          out.push(t);
        }
        return out;
      }
      case "schedfreq": {
        const out: ResultTable[] = [];
        if (g.total) out.push(...this.freqTables(new Map([[0, group(pd.schedList)]]), begin, end, () => undefined));
        if (g.perTid) {
          const ts = this.freqTables(this.byTid(pd), begin, end, (tid) => `TID: ${tid}`);
          out.push(...(this.conf.opts.freqSeries === true && ts.length > 0 ? [this.series(ts, "tid")] : ts));
        }
        if (g.perPrio) {
          const ts = this.freqTables(this.byPrio(pd), begin, end, (prio) => `Priority: ${prio}`);
          out.push(...(this.conf.opts.freqSeries === true && ts.length > 0 ? [this.series(ts, "prio")] : ts));
        }
        return out;
      }
    }
  }

  private freqTables(groups: Map<number, Group>, begin: bigint, end: bigint, subtitle: (k: number) => string | undefined): ResultTable[] {
    const o = this.conf.opts;
    const resolution = o.freqResolution ?? DEFAULT_FREQ_RESOLUTION;
    let uniform: { min: number; max: number; step: number } | null = null;
    if (o.freqUniform === true || o.freqSeries === true) {
      const all: number[] = [];
      for (const g of groups.values()) for (const e of g.list) all.push(e.latency);
      uniform = uniformFreqValues(this.uniform, "default", all, 1000, resolution, this.conf.minDuration, this.conf.maxDuration);
    }
    const out: ResultTable[] = [];
    for (const k of [...groups.keys()].sort((a, b) => a - b)) {
      const g = groups.get(k)!;
      const t = new ResultTable(SCHED_TABLE_CLASSES.freq, begin, end, subtitle(k));
      let min: number;
      let max: number;
      let step: number;
      if (uniform !== null) ({ min, max, step } = uniform);
      else {
        min = (this.conf.minDuration ?? g.min ?? 0) / 1000;
        max = (this.conf.maxDuration ?? g.max ?? 0) / 1000;
        step = (max - min) / resolution;
      }
      if (step !== 0) {
        const counts = bucketCounts(
          g.list.map((e) => e.latency / 1000),
          min,
          max,
          step,
          resolution,
        );
        counts.forEach((c, i) => t.append([mi.durationFromUs(i * step + min), mi.durationFromUs((i + 1) * step + min), mi.number(c)]));
      }
      out.push(t);
    }
    return out;
  }

  private series(tables: ResultTable[], prefix: string): ResultTable {
    const columns = [
      ["duration_lower", "Duration (lower bound)", "duration"],
      ["duration_upper", "Duration (upper bound)", "duration"],
      ...tables.map((t, i) => [`${prefix}${i}`, t.subtitle ?? "", "number", "schedulings"] as const),
    ] as const;
    const first = tables[0]!;
    const s = new ResultTable({ name: null, title: "Scheduling latencies frequency distributions", columns }, first.begin, first.end);
    first.rows.forEach((r, i) => s.append([r[0]!, r[1]!, ...tables.map((t) => t.rows[i]?.[2] ?? null)]));
    return s;
  }
}

export { minOf, maxOf };
