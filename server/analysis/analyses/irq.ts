/** irqlog, irqstats, irqfreq, after lttng-analyses 0.6.1's core/irq.py and cli/irq.py. */
import { mi, ResultTable, type TableClassSpec } from "../lami/values";
import type { LamiValue } from "../lami/types";
import type { Period } from "../periods/engine";
import type { HardIrq, Irq, SoftIrq } from "../state/model";
import { Analysis, type PeriodData } from "./base";
import { bucketCounts, stdev } from "./stats";
import { uniformFreqValues, type UniformState } from "./uniform";
import { DEFAULT_FREQ_RESOLUTION } from "../options";

const commonStats = [
  ["irq", "Interrupt", "irq"],
  ["count", "Interrupt count", "number", "interrupts"],
  ["min_duration", "Minimum duration", "duration"],
  ["avg_duration", "Average duration", "duration"],
  ["max_duration", "Maximum duration", "duration"],
  ["stdev_duration", "Interrupt duration standard deviation", "duration"],
] as const;

export const IRQ_TABLE_CLASSES = {
  log: {
    name: "log",
    title: "Interrupt log",
    columns: [
      ["time_range", "Time range", "time-range"],
      ["raised_ts", "Raised timestamp", "timestamp"],
      ["cpu", "CPU", "cpu"],
      ["irq", "Interrupt", "irq"],
    ],
  },
  hardStats: { name: "hard-stats", title: "Hardware interrupt statistics", columns: commonStats },
  softStats: {
    name: "soft-stats",
    title: "Software interrupt statistics",
    columns: [
      ...commonStats,
      ["raise_count", "Interrupt raise count", "number", "interrupt raises"],
      ["min_latency", "Minimum raise latency", "duration"],
      ["avg_latency", "Average raise latency", "duration"],
      ["max_latency", "Maximum raise latency", "duration"],
      ["stdev_latency", "Interrupt raise latency standard deviation", "duration"],
    ],
  },
  freq: {
    name: "freq",
    title: "Interrupt handler duration frequency distribution",
    columns: [
      ["duration_lower", "Duration (lower bound)", "duration"],
      ["duration_upper", "Duration (upper bound)", "duration"],
      ["count", "Interrupt count", "number", "interrupts"],
    ],
  },
  summary: {
    name: "summary",
    title: "Interrupt statistics - summary",
    columns: [
      ["time_range", "Time range", "time-range"],
      ["count", "Total interrupt count", "number", "interrupts"],
    ],
  },
} satisfies Record<string, TableClassSpec>;

/** include/linux/interrupt.h */
const SOFTIRQ_NAMES: Record<number, string> = {
  0: "HI_SOFTIRQ",
  1: "TIMER_SOFTIRQ",
  2: "NET_TX_SOFTIRQ",
  3: "NET_RX_SOFTIRQ",
  4: "BLOCK_SOFTIRQ",
  5: "BLOCK_IOPOLL_SOFTIRQ",
  6: "TASKLET_SOFTIRQ",
  7: "SCHED_SOFTIRQ",
  8: "HRTIMER_SOFTIRQ",
  9: "RCU_SOFTIRQ",
};

class IrqStats {
  min: number | null = null;
  max: number | null = null;
  total = 0;
  list: Irq[] = [];
  names: string[];
  // softirqs only
  minRaise: number | null = null;
  maxRaise: number | null = null;
  totalRaise = 0;
  raiseCount = 0;
  constructor(name: string) {
    this.names = [name];
  }
  get name(): string {
    return this.names.join(", ");
  }
  update(irq: Irq): void {
    const d = irq.duration;
    if (this.min === null || d < this.min) this.min = d;
    if (this.max === null || d > this.max) this.max = d;
    this.total += d;
    this.list.push(irq);
    if (!irq.hard && irq.raiseTs !== null && irq.beginTs !== null) {
      const l = irq.beginTs - irq.raiseTs;
      if (this.minRaise === null || l < this.minRaise) this.minRaise = l;
      if (this.maxRaise === null || l > this.maxRaise) this.maxRaise = l;
      this.totalRaise += l;
      this.raiseCount++;
    }
  }
}

interface IrqPeriodData extends PeriodData {
  hard: Map<number, IrqStats>;
  soft: Map<number, IrqStats>;
  irqList: Irq[];
}

export type IrqCommand = "irqlog" | "irqstats" | "irqfreq";

export class IrqAnalysis extends Analysis<IrqPeriodData> {
  protected override readsFdState(): boolean {
    return false;
  }

  command: IrqCommand = "irqstats";
  private readonly uniform: UniformState = new Map();

  private durationOk(irq: Irq): boolean {
    const d = irq.duration;
    if (this.conf.minDuration !== null && d < this.conf.minDuration) return false;
    if (this.conf.maxDuration !== null && d > this.conf.maxDuration) return false;
    return true;
  }

  protected createPeriodData(period: Period): IrqPeriodData {
    const pd: IrqPeriodData = { period, listener: {}, hard: new Map(), soft: new Map(), irqList: [] };
    pd.listener = {
      irqHandlerEntry: (id, name) => {
        const s = pd.hard.get(id);
        if (s === undefined) pd.hard.set(id, new IrqStats(name));
        else if (!s.names.includes(name)) s.names.push(name);
      },
      irqHandlerExit: (irq: HardIrq) => {
        if (!this.filterCpu(irq.cpuId) || !this.durationOk(irq)) return;
        pd.irqList.push(irq);
        let s = pd.hard.get(irq.id);
        if (s === undefined) pd.hard.set(irq.id, (s = new IrqStats("unknown")));
        s.update(irq);
      },
      softirqExit: (irq: SoftIrq) => {
        if (!this.filterCpu(irq.cpuId) || !this.durationOk(irq)) return;
        pd.irqList.push(irq);
        let s = pd.soft.get(irq.id);
        if (s === undefined) pd.soft.set(irq.id, (s = new IrqStats(SOFTIRQ_NAMES[irq.id] ?? `SOFTIRQ_${irq.id}`)));
        s.update(irq);
      },
    };
    return pd;
  }

  private get irqFilter(): string[] | null {
    return this.conf.opts.irq ?? null;
  }
  private get softirqFilter(): string[] | null {
    return this.conf.opts.softirq ?? null;
  }

  private filterIrq(irq: Irq): boolean {
    const hf = this.irqFilter;
    const sf = this.softirqFilter;
    if (irq.hard) {
      if (hf !== null && hf.length > 0) return hf.includes(String(irq.id));
      if (sf !== null && sf.length > 0) return false;
    } else {
      if (sf !== null && sf.length > 0) return sf.includes(String(irq.id));
      if (hf !== null && hf.length > 0) return false;
    }
    return true;
  }

  protected tick(pd: IrqPeriodData, begin: bigint, end: bigint): (ResultTable | null)[] {
    const out: (ResultTable | null)[] = [];
    if (this.command === "irqlog") {
      const t = new ResultTable(IRQ_TABLE_CLASSES.log, begin, end);
      for (const irq of pd.irqList) {
        if (!this.filterIrq(irq)) continue;
        let raised: LamiValue;
        let name: string;
        if (irq.hard) {
          raised = mi.empty();
          name = pd.hard.get(irq.id)?.name ?? "unknown";
        } else {
          raised = irq.raiseTs === null ? mi.unknown() : mi.timestamp(this.conf.toAbs(irq.raiseTs));
          name = pd.soft.get(irq.id)?.name ?? "unknown";
        }
        t.append([mi.timeRange(this.conf.toAbs(irq.beginTs ?? 0), this.conf.toAbs(irq.endTs ?? 0)), raised, mi.cpu(irq.cpuId), mi.irq(irq.hard, irq.id, name)]);
      }
      out.push(t);
      return out;
    }
    const hardTable = new ResultTable(IRQ_TABLE_CLASSES.hardStats, begin, end);
    const softTable = new ResultTable(IRQ_TABLE_CLASSES.softStats, begin, end);
    const freqTables: ResultTable[] = [];
    const stats = this.command === "irqstats";
    const freq = this.command === "irqfreq";
    const hf = this.irqFilter;
    const sf = this.softirqFilter;
    const fill = (isHard: boolean, m: Map<number, IrqStats>, filter: string[] | null) => {
      for (const id of [...m.keys()].sort((a, b) => a - b)) {
        if (filter !== null && filter.length > 0 && !filter.includes(String(id))) continue;
        const s = m.get(id)!;
        if (s.list.length === 0) continue;
        if (stats) {
          const sd = stdev(s.list.map((i) => (i.endTs ?? 0) - (i.beginTs ?? 0)));
          const common: LamiValue[] = [
            mi.irq(isHard, id, s.name),
            mi.number(s.list.length),
            mi.duration(s.min ?? 0),
            mi.duration(s.total / s.list.length),
            mi.duration(s.max ?? 0),
            Number.isNaN(sd) ? mi.unknown() : mi.duration(sd),
          ];
          if (isHard) hardTable.append(common);
          else {
            let lat: LamiValue[];
            if (s.raiseCount === 0) lat = [mi.unknown(), mi.unknown(), mi.unknown(), mi.unknown()];
            else {
              const rs: number[] = [];
              for (const i of s.list) if (!i.hard && i.raiseTs !== null && i.beginTs !== null) rs.push(i.beginTs - i.raiseTs);
              const rsd = s.raiseCount < 2 ? Number.NaN : stdev(rs);
              lat = [
                mi.duration(s.minRaise ?? 0),
                mi.duration(s.totalRaise / s.raiseCount),
                mi.duration(s.maxRaise ?? 0),
                Number.isNaN(rsd) ? mi.unknown() : mi.duration(rsd),
              ];
            }
            softTable.append([...common, mi.number(s.raiseCount), ...lat]);
          }
        }
        if (freq) {
          const t = new ResultTable(IRQ_TABLE_CLASSES.freq, begin, end, `${s.name} (${id})`);
          this.fillFreq(pd, s, t);
          freqTables.push(t);
        }
      }
    };
    if (hf !== null || sf === null) fill(true, pd.hard, hf);
    if (sf !== null || hf === null) fill(false, pd.soft, sf);
    out.push(hardTable, softTable);
    if (this.conf.opts.freqSeries === true) out.push(this.series(freqTables));
    else out.push(...freqTables);
    return out;
  }

  private fillFreq(pd: IrqPeriodData, s: IrqStats, t: ResultTable): void {
    const resolution = this.conf.opts.freqResolution ?? DEFAULT_FREQ_RESOLUTION;
    let min = (this.conf.minDuration ?? s.min ?? 0) / 1000;
    let max = (this.conf.maxDuration ?? s.max ?? 0) / 1000;
    let step: number;
    if (this.conf.opts.freqUniform === true || this.conf.opts.freqSeries === true) {
      ({ min, max, step } = uniformFreqValues(
        this.uniform,
        "default",
        pd.irqList.map((i) => i.duration),
        1000,
        resolution,
        this.conf.minDuration,
        this.conf.maxDuration,
      ));
    } else step = (max - min) / resolution;
    if (step === 0) return;
    const counts = bucketCounts(
      s.list.map((i) => i.duration / 1000),
      min,
      max,
      step,
      resolution,
    );
    counts.forEach((c, i) => t.append([mi.durationFromUs(i * step + min), mi.durationFromUs((i + 1) * step + min), mi.number(c)]));
  }

  private series(tables: ResultTable[]): ResultTable | null {
    if (tables.length === 0) return null;
    const columns = [
      ["duration_lower", "Duration (lower bound)", "duration"],
      ["duration_upper", "Duration (upper bound)", "duration"],
      ...tables.map((t, i) => [`irq${i}`, t.subtitle ?? "", "number", "interrupts"] as const),
    ] as const;
    const first = tables[0]!;
    const s = new ResultTable({ name: null, title: "Interrupt handlers duration frequency distributions", columns }, first.begin, first.end);
    first.rows.forEach((r, i) => s.append([r[0]!, r[1]!, ...tables.map((t) => t.rows[i]?.[2] ?? null)]));
    return s;
  }

  protected override summary(tables: ResultTable[]): ResultTable[] {
    if (this.command !== "irqstats") return [];
    const hard = tables.filter((t) => t.tableClass.name === "hard-stats");
    const soft = tables.filter((t) => t.tableClass.name === "soft-stats");
    const all = [...hard, ...soft].sort((a, b) => (a.begin < b.begin ? -1 : a.begin > b.begin ? 1 : 0));
    if (all.length === 0) return [];
    const s = new ResultTable(IRQ_TABLE_CLASSES.summary, all[0]!.begin, all[all.length - 1]!.end);
    for (const t of all) for (const r of t.rows) s.append([mi.timeRange(t.begin, t.end), r[1]!]);
    return [s];
  }
}
