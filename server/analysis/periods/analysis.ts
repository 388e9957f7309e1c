/**
 * User-space (and kernel) periods: periodlog, periodtop, periodstats, periodfreq,
 * after lttng-analyses 0.6.1's core/periods.py and cli/periods.py. Periods come from
 * --period definitions (the engine) or, as a shortcut, from one event carrying its
 * own duration (--duration-field EVENT.FIELD, e.g. request_end.latency_ns).
 */
import { Analysis, type PeriodData } from "../analyses/base";
import { bucketCounts, stdev } from "../analyses/stats";
import { uniformFreqValues, type UniformState } from "../analyses/uniform";
import type { AnalysisEvent } from "../event";
import type { FieldMap } from "../../ctf/types";
import { mi, ResultTable, type TableClassSpec } from "../lami/values";
import { NO_CAPTURES, type CaptureValue, type Period } from "./engine";
import { reprCaptures, reprValue } from "./pyrepr";

/** Python str() of a captured value (strings unquoted). */
function pyStr(v: CaptureValue): string {
  return typeof v === "string" ? v : reprValue(v);
}

const periodEventColumns = [
  ["begin_ts", "Period begin timestamp", "timestamp"],
  ["end_ts", "Period end timestamp", "timestamp"],
  ["duration", "Period duration", "duration"],
  ["name", "Period name", "string"],
  ["begin_captures", "Begin captures", "string"],
  ["end_captures", "End captures", "string"],
] as const;

const hierColumns = [
  ["parent_begin_ts", "Parent begin timestamp", "timestamp"],
  ["parent_end_ts", "Parent end timestamp", "timestamp"],
  ["parent_name", "Parent period name", "string"],
  ["child_begin_ts", "Child begin timestamp", "timestamp"],
  ["child_end_ts", "Child end timestamp", "timestamp"],
  ["child_name", "Child period name", "string"],
  ["child_duration", "Child period duration", "duration"],
  ["parent_duration", "Parent period duration", "duration"],
  ["captures", "Captures", "string"],
] as const;

const parentNumberColumns = [
  ["name", "Period name", "string"],
  ["parent", "Parent", "string"],
  ["min", "Minimum", "number", "occurences"],
  ["avg", "Average", "number", "occurences"],
  ["max", "Maximum", "number", "occurences"],
  ["stdev", "Standard deviation", "duration"],
] as const;

export const PERIOD_TABLE_CLASSES = {
  log: { name: "log", title: "Period log", columns: periodEventColumns },
  top: { name: "top", title: "Period top", columns: periodEventColumns },
  perPeriodStats: {
    name: "per_period_stats",
    title: "Period statistics",
    columns: [
      ["name", "Period name", "string"],
      ["count", "Period count", "number", "occurences"],
      ["min_duration", "Minimum duration", "duration"],
      ["avg_duration", "Average duration", "duration"],
      ["max_duration", "Maximum duration", "duration"],
      ["stdev_duration", "Period duration standard deviation", "duration"],
      ["runtime", "Total runtime", "duration"],
    ],
  },
  freqDuration: {
    name: "freq_duration",
    title: "Period duration frequency distribution",
    columns: [
      ["lower", "Duration (lower bound)", "duration"],
      ["upper", "Duration (upper bound)", "duration"],
      ["count", "Period duration", "number", "us"],
    ],
  },
  freqCount: {
    name: "freq_count",
    title: "Period count frequency distribution",
    columns: [
      ["lower", "Count (lower bound)", "number"],
      ["upper", "Count (upper bound)", "number"],
      ["count", "Period count", "number", "count"],
    ],
  },
  freqRatio: {
    name: "freq_ratio",
    title: "Period usage ratio frequency distribution",
    columns: [
      ["lower", "Ratio (lower bound)", "number"],
      ["upper", "Ratio (upper bound)", "number"],
      ["count", "Period usage ratio", "number", "%"],
    ],
  },
  aggregatedLog: { name: "aggregated_log", title: "Hierarchical period log", columns: hierColumns },
  aggregatedTop: { name: "aggregated_top", title: "Aggregated period top", columns: hierColumns },
  aggregatedStats: {
    name: "aggregated_stats",
    title: "Aggregated log",
    columns: [
      ["parent_name", "Parent period name", "string"],
      ["parent_begin_ts", "Parent begin timestamp", "timestamp"],
      ["parent_end_ts", "Parent end timestamp", "timestamp"],
      ["child_name", "Child period name", "string"],
      ["count", "Period count", "number", "occurences"],
      ["min_duration", "Minimum duration", "duration"],
      ["avg_duration", "Average duration", "duration"],
      ["max_duration", "Maximum duration", "duration"],
      ["stdev_duration", "Period duration standard deviation", "duration"],
      ["runtime", "Total runtime", "duration"],
      ["parent_captures", "Parent captures", "string"],
    ],
  },
  perParentStats: {
    name: "per_parent_stats",
    title: "Per-parent period duration statistics",
    columns: [
      ["name", "Period name", "string"],
      ["parent", "Parent", "string"],
      ["min_duration", "Minimum duration", "duration"],
      ["avg_duration", "Average duration", "duration"],
      ["max_duration", "Maximum duration", "duration"],
      ["stdev_duration", "Period duration standard deviation", "duration"],
    ],
  },
  perParentCount: { name: "per_parent_count", title: "Per-parent period count statistics", columns: parentNumberColumns },
  perParentPc: { name: "per_parent_percentage", title: "Per-parent duration ratio", columns: parentNumberColumns },
} satisfies Record<string, TableClassSpec>;

const NO_CHILDREN: PeriodEvent[] = [];

/** One completed (or still open) period occurrence. */
export class PeriodEvent {
  endTs: number | null = null;
  beginCaptures: ReadonlyMap<string, CaptureValue> | null = null;
  endCaptures: ReadonlyMap<string, CaptureValue> | null = null;
  /** --duration-field periods: the event's payload, printed as the end captures. */
  endPayload: FieldMap | null = null;
  /** Completed child periods (a shared empty list until the first one). */
  children: PeriodEvent[] = NO_CHILDREN;
  /** As the analysis's per-period data (PeriodData): the engine's period, no state listener. */
  period: Period | null = null;
  readonly listener = null;
  constructor(
    readonly startTs: number,
    /** "" for an unnamed period. */
    readonly name: string,
    readonly parent: PeriodEvent | null,
  ) {}
  get event(): PeriodEvent {
    return this;
  }
  addChild(c: PeriodEvent): void {
    if (this.children === NO_CHILDREN) this.children = [];
    this.children.push(c);
  }
  get duration(): number {
    return (this.endTs ?? this.startTs) - this.startTs;
  }
}

class PeriodStats {
  list: PeriodEvent[] = [];
  min: number | null = null;
  max: number | null = null;
  total = 0;
  constructor(readonly name: string) {}
  update(e: PeriodEvent): void {
    const d = e.duration;
    if (this.min === null || d < this.min) this.min = d;
    if (this.max === null || d > this.max) this.max = d;
    this.total += d;
    this.list.push(e);
  }
}

/** Per-parent accumulators for one child period name (lttng-analyses' _PeriodStats). */
class ChildStats {
  min: number | null = null;
  max = 0;
  total = 0;
  durations: number[] = [];
  minCount: number | null = null;
  maxCount = 0;
  totalCount = 0;
  counts: number[] = [];
  minPc: number | null = null;
  maxPc = 0;
  totalPc = 0;
  pcs: number[] = [];
  parentCount = new Map<string, number>();
}

class AggregatedPeriodStats {
  readonly children = new Map<string, ChildStats>();
  nrPeriods = 0;
  constructor(
    readonly name: string,
    childNames: string[],
  ) {
    for (const c of childNames) this.children.set(c, new ChildStats());
  }
  finish(start: number, end: number, childDurations: Map<string, number[]>): void {
    const parentDuration = end - start;
    for (const [child, ds] of childDurations) {
      const c = this.children.get(child);
      if (c === undefined) continue;
      const count = ds.length;
      let duration = 0;
      for (const d of ds) duration += d;
      const pc = (duration / parentDuration) * 100;
      if (c.minCount === null || count < c.minCount) c.minCount = count;
      if (c.maxCount < count) c.maxCount = count;
      c.totalCount += count;
      c.counts.push(count);
      if (c.min === null || duration < c.min) c.min = duration;
      if (c.max < duration) c.max = duration;
      c.total += duration;
      c.durations.push(duration);
      if (c.minPc === null || pc < c.minPc) c.minPc = pc;
      if (c.maxPc < pc) c.maxPc = pc;
      c.totalPc += pc;
      c.pcs.push(pc);
      c.parentCount.set(this.name, (c.parentCount.get(this.name) ?? 0) + 1);
    }
    this.nrPeriods++;
  }
}

/** Child durations of one period occurrence, also counted in every ancestor. */
class TmpAggregation {
  readonly children = new Map<string, number[]>();
  constructor(readonly parent: TmpAggregation | null) {}
  add(name: string, duration: number): void {
    for (let a: TmpAggregation | null = this; a !== null; a = a.parent) {
      let l = a.children.get(name);
      if (l === undefined) a.children.set(name, (l = []));
      l.push(duration);
    }
  }
}

export type PeriodCommand = "periodlog" | "periodtop" | "periodstats" | "periodfreq";

interface PeriodsPeriodData extends PeriodData {
  readonly event: PeriodEvent | null;
}

export class PeriodAnalysis extends Analysis<PeriodsPeriodData> {
  command: PeriodCommand = "periodstats";
  readonly allPeriods: PeriodEvent[] = [];
  readonly stats = new Map<string, PeriodStats>();
  private readonly uniform: UniformState = new Map();
  /** --duration-field: the event name and its duration field. */
  private durationEvent: string | null = null;
  private durationField = "";
  private durationPeriodName = "";
  protected override ticksPerPeriod = false;

  /** Refuses the views not ported (rather than silently printing another one). */
  checkSupported(): void {
    const o = this.conf.opts;
    if (this.command === "periodlog" && o.orderBy !== "hierarchy" && o.select !== undefined && o.select.length > 0)
      throw new Error("the aggregated period log (periodlog --select/--aggregate-by) is not supported");
  }

  configureDurationField(spec: string): void {
    const dot = spec.lastIndexOf(".");
    if (dot <= 0 || dot === spec.length - 1) throw new Error(`--duration-field wants EVENT.FIELD, got '${spec}'`);
    this.durationEvent = spec.slice(0, dot);
    this.durationField = spec.slice(dot + 1);
    const colon = this.durationEvent.lastIndexOf(":");
    this.durationPeriodName = colon >= 0 ? this.durationEvent.slice(colon + 1) : this.durationEvent;
  }

  override processEvent(ev: AnalysisEvent): void {
    super.processEvent(ev);
    if (this.durationEvent !== null && this.started && !this.ended && ev.name === this.durationEvent) {
      const v = ev.payload[this.durationField];
      const d = typeof v === "bigint" ? Number(v) : typeof v === "number" ? v : null;
      if (d === null) return;
      const pe = new PeriodEvent(ev.ts - d, this.durationPeriodName, null);
      pe.endTs = ev.ts;
      pe.beginCaptures = NO_CAPTURES;
      // Kept by reference (fresh per event) for the views that print captures.
      if (this.command === "periodlog" || this.command === "periodtop" || this.conf.opts.groupBy !== undefined) pe.endPayload = ev.payload;
      this.allPeriods.push(pe);
      this.statsFor(pe.name).update(pe);
    }
  }

  private statsFor(name: string): PeriodStats {
    let s = this.stats.get(name);
    if (s === undefined) this.stats.set(name, (s = new PeriodStats(name)));
    return s;
  }

  protected createPeriodData(period: Period): PeriodsPeriodData {
    const def = period.definition;
    if (def === null) return { period, listener: null, event: null };
    const name = def.name ?? "";
    // lttng-analyses recreates an unnamed period's stats at each begin, losing them (DEVIATIONS.md).
    this.statsFor(name);
    const parent = period.parent === null ? null : ((period.parent.data as PeriodsPeriodData | undefined)?.event ?? null);
    const e = new PeriodEvent(period.beginEvt.ts, name, parent);
    e.period = period;
    this.allPeriods.push(e);
    return e as PeriodsPeriodData;
  }

  protected override endPeriod(pd: PeriodsPeriodData): void {
    const e = pd.event;
    if (e === null) return;
    const p = pd.period;
    e.period = null;
    if (!p.completed) {
      // Periods cut by their parent's end or the trace's end are not counted.
      const i = this.allPeriods.lastIndexOf(e);
      if (i >= 0) this.allPeriods.splice(i, 1);
      return;
    }
    e.endTs = this.lastEventTs;
    e.beginCaptures = p.beginCaptures;
    e.endCaptures = p.endCaptures;
    this.statsFor(e.name).update(e);
    if (e.parent !== null) e.parent.addChild(e);
  }

  protected tick(): ResultTable[] {
    // Everything is printed once, at the end.
    return [];
  }

  // ---- filters

  private filterDuration(d: number): boolean {
    const o = this.conf.opts;
    if (o.minDuration !== undefined && d < o.minDuration * 1000) return false;
    if (o.maxDuration !== undefined && d > o.maxDuration * 1000) return false;
    return true;
  }

  private selected(name: string): boolean {
    const sel = this.conf.opts.select;
    return sel === undefined || sel.length === 0 || sel.includes(name);
  }

  private fullPath(name: string): string {
    return this.conf.registry.fullPath(name);
  }

  private get filtering(): boolean {
    return this.conf.opts.minDuration !== undefined || this.conf.opts.maxDuration !== undefined;
  }

  // ---- final tables

  protected override finalTick(): ResultTable[] {
    if (this.firstEventTs === null || this.lastEventTs === null) return [];
    const begin = this.conf.toAbs(this.firstEventTs);
    const end = this.conf.toAbs(this.lastEventTs);
    const o = this.conf.opts;
    switch (this.command) {
      case "periodlog":
        if (o.orderBy === "hierarchy") return [this.logTable(begin, end, this.aggregate().hierarchical, true)];
        return [this.logTable(begin, end, this.allPeriods, true)];
      case "periodtop":
        return [this.topTable(begin, end)];
      case "periodstats": {
        const agg = this.aggregate();
        return [this.perPeriodStatsTable(begin, end), ...this.perParentTables(begin, end, agg.perPeriod).tables];
      }
      case "periodfreq": {
        const agg = this.aggregate();
        const parents = this.perParentTables(begin, end, agg.perPeriod);
        return [
          ...this.perPeriodFreqTables(begin, end),
          ...this.perParentFreqTables(begin, end, parents.values),
          ...this.groupFreqTables(begin, end),
        ];
      }
    }
  }

  private eventRow(e: PeriodEvent, fullName: boolean) {
    return [
      mi.timestamp(this.conf.toAbs(e.startTs)),
      mi.timestamp(this.conf.toAbs(e.endTs ?? e.startTs)),
      mi.duration(e.duration),
      mi.string(fullName ? this.fullPath(e.name) : e.name),
      mi.string(reprCaptures(e.beginCaptures)),
      mi.string(reprCaptures(e.endPayload !== null ? new Map(Object.entries(e.endPayload)) : e.endCaptures)),
    ];
  }

  private logTable(begin: bigint, end: bigint, list: PeriodEvent[], fullName: boolean): ResultTable {
    const t = new ResultTable(PERIOD_TABLE_CLASSES.log, begin, end);
    for (const e of list) if (this.filterDuration(e.duration)) t.append(this.eventRow(e, fullName));
    return t;
  }

  private topTable(begin: bigint, end: bigint): ResultTable {
    const t = new ResultTable(PERIOD_TABLE_CLASSES.top, begin, end);
    const limit = this.conf.opts.limit ?? 10;
    const sorted = [...this.allPeriods].sort((a, b) => b.duration - a.duration);
    let count = 0;
    for (const e of sorted) {
      if (!this.filterDuration(e.duration)) continue;
      if (this.conf.opts.select !== undefined && !this.conf.opts.select.includes(e.name)) continue;
      t.append(this.eventRow(e, false));
      count++;
      if (count === limit) break;
    }
    return t;
  }

  /** The period tree's names, parents before children, children sorted (as lttng-analyses orders stats). */
  private orderedNames(): string[] {
    const out: string[] = [];
    const visit = (name: string, children: { name: string | null; children: unknown[] }[]) => {
      if (!this.stats.has(name)) return;
      out.push(name);
      const sorted = [...children].sort((a, b) => ((a.name ?? "") < (b.name ?? "") ? -1 : 1));
      for (const c of sorted) visit(c.name ?? "", c.children as never);
    };
    for (const r of this.conf.registry.roots) visit(r.name ?? "", r.children);
    if (this.durationEvent !== null && !out.includes(this.durationPeriodName)) visit(this.durationPeriodName, []);
    return out;
  }

  private perPeriodStatsTable(begin: bigint, end: bigint): ResultTable {
    const t = new ResultTable(PERIOD_TABLE_CLASSES.perPeriodStats, begin, end);
    for (const name of this.orderedNames()) {
      const s = this.stats.get(name)!;
      if (s.list.length === 0 || !this.selected(name)) continue;
      const list = this.filtering ? s.list.filter((e) => this.filterDuration(e.duration)) : s.list;
      if (list.length === 0) continue;
      let min = Infinity;
      let max = -Infinity;
      let total = 0;
      for (const e of list) {
        const d = e.duration;
        if (d < min) min = d;
        if (d > max) max = d;
        total += d;
      }
      const sd = stdev(list.map((e) => e.duration));
      t.append([
        mi.string(this.fullPath(name)),
        mi.number(list.length),
        mi.duration(min),
        mi.duration(total / list.length),
        mi.duration(max),
        Number.isNaN(sd) ? mi.unknown() : mi.duration(sd),
        mi.duration(total),
      ]);
    }
    return t;
  }

  /** --group-by "period.field[, period.field…]" as {period: [fields]}. */
  private groupBy(): Map<string, string[]> {
    const m = new Map<string, string[]>();
    for (const g of (this.conf.opts.groupBy ?? "").split(",")) {
      const t = g.trim();
      if (t.length === 0) continue;
      const dot = t.indexOf(".");
      const period = (dot < 0 ? t : t.slice(0, dot)).split("/").pop()!;
      const field = dot < 0 ? "" : t.slice(dot + 1).split(".")[0]!;
      const l = m.get(period);
      if (l === undefined) m.set(period, [field]);
      else l.push(field);
    }
    return m;
  }

  /**
   * Durations per --group-by group and period name: lttng-analyses' _hierarchical_sub,
   * where a period's groups are its own group-by captures combined with those of each of
   * its descendants' chains and of its ancestors.
   */
  private groupedDurations(): Map<string, Map<string, number[]>> {
    const groupBy = this.groupBy();
    const out = new Map<string, Map<string, number[]>>();
    if (groupBy.size === 0) return out;
    type Cap = [string, CaptureValue];
    const own = (e: PeriodEvent): Cap[] => {
      const fields = groupBy.get(e.name);
      if (fields === undefined) return [];
      const caps: Cap[] = [];
      const add = (m: ReadonlyMap<string, CaptureValue> | null) => {
        if (m === null) return;
        for (const k of [...m.keys()].sort()) if (fields.includes(k)) caps.push([`${e.name}.${k}`, m.get(k)]);
      };
      add(e.beginCaptures);
      add(e.endPayload !== null ? new Map(Object.entries(e.endPayload)) : e.endCaptures);
      return caps;
    };
    const keyOf = (caps: Cap[]) => JSON.stringify(caps.map(([k, v]) => [k, reprValue(v)]));
    const walk = (e: PeriodEvent, ancestors: Cap[]): Cap[][] => {
      const ec = own(e);
      let local: Cap[][] = [];
      for (const c of e.children) {
        if (!this.filterDuration(c.duration)) continue;
        for (const cc of walk(c, [...ancestors, ...ec])) local.push([...ec, ...cc]);
      }
      if (local.length === 0) local = [ec];
      const seen = new Set<string>();
      for (const c of local) {
        const full = [...c, ...ancestors];
        const k = keyOf(full);
        if (seen.has(k)) continue;
        seen.add(k);
        if (full.length < groupBy.size) continue;
        const group = [...full]
          .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
          .map(([n, v]) => `${n} = ${pyStr(v)}`)
          .join(", ");
        if (group.length === 0) continue;
        let g = out.get(group);
        if (g === undefined) out.set(group, (g = new Map()));
        let l = g.get(e.name);
        if (l === undefined) g.set(e.name, (l = []));
        l.push(e.duration);
      }
      return local;
    };
    for (const e of this.allPeriods) if (e.parent === null && this.filterDuration(e.duration)) walk(e, []);
    return out;
  }

  private groupFreqTables(begin: bigint, end: bigint): ResultTable[] {
    const groups = this.groupedDurations();
    let uniform: { min: number; max: number; step: number } | null = null;
    if (this.conf.opts.freqUniform === true) {
      const all: number[] = [];
      for (const g of groups.values()) for (const ds of g.values()) for (const d of ds) if (this.filterDuration(d)) all.push(d);
      uniform = uniformFreqValues(this.uniform, "duration", all, 1000, this.conf.opts.freqResolution ?? 20, this.conf.minDuration, this.conf.maxDuration);
    }
    const out: ResultTable[] = [];
    for (const [group, periods] of groups)
      for (const [name, ds] of periods) {
        if (!this.selected(name)) continue;
        const kept = ds.filter((d) => this.filterDuration(d));
        out.push(this.histogram(PERIOD_TABLE_CLASSES.freqDuration, begin, end, `'${group}' - Duration of period: ${name}`, kept, 1000, uniform));
      }
    return out;
  }

  /** lttng-analyses' _get_aggregated_lists, without --aggregate-by. */
  private aggregate(): { hierarchical: PeriodEvent[]; perPeriod: Map<string, AggregatedPeriodStats> } {
    const perPeriod = new Map<string, AggregatedPeriodStats>();
    const hierarchical: PeriodEvent[] = [];
    const agg = (name: string): AggregatedPeriodStats => {
      let a = perPeriod.get(name);
      if (a === undefined) {
        const names: string[] = [];
        const def = this.conf.registry.named.get(name);
        const collect = (d: { name: string | null; children: { name: string | null; children: unknown[] }[] }) => {
          for (const c of d.children) {
            names.push(c.name ?? "");
            collect(c as never);
          }
        };
        if (def !== undefined) collect(def);
        perPeriod.set(name, (a = new AggregatedPeriodStats(name, names)));
      }
      return a;
    };
    const sub = (e: PeriodEvent, tmp: TmpAggregation) => {
      hierarchical.push(e);
      for (const c of e.children) {
        if (!this.filterDuration(c.duration)) continue;
        agg(c.name);
        tmp.add(c.name, c.duration);
        sub(c, new TmpAggregation(tmp));
      }
      agg(e.name).finish(e.startTs, e.endTs ?? e.startTs, tmp.children);
    };
    // Without nesting there are no per-parent statistics, and the hierarchy is the time order.
    if (!this.conf.registry.nested) {
      for (const e of this.allPeriods) if (this.filterDuration(e.duration)) hierarchical.push(e);
      return { hierarchical, perPeriod };
    }
    for (const e of this.allPeriods) {
      if (!this.filterDuration(e.duration)) continue;
      if (e.parent !== null) continue;
      agg(e.name);
      sub(e, new TmpAggregation(null));
    }
    return { hierarchical, perPeriod };
  }

  private perParentTables(
    begin: bigint,
    end: bigint,
    perPeriod: Map<string, AggregatedPeriodStats>,
  ): { tables: ResultTable[]; values: ParentValues } {
    const C = PERIOD_TABLE_CLASSES;
    const active = "With active children";
    const globally = "Globally";
    const duration = new ResultTable(C.perParentStats, begin, end, active);
    const count = new ResultTable(C.perParentCount, begin, end, active);
    const gDuration = new ResultTable(C.perParentStats, begin, end, globally);
    const gCount = new ResultTable(C.perParentCount, begin, end, globally);
    const pc = new ResultTable(C.perParentPc, begin, end, active);
    const gPc = new ResultTable(C.perParentPc, begin, end, globally);
    const values: ParentValues = new Map();
    const aggregateBy = this.conf.opts.aggregateBy;
    for (const [period, a] of perPeriod) {
      if (aggregateBy !== undefined && period !== aggregateBy) continue;
      const pv = new Map<string, ChildValues>();
      values.set(period, pv);
      for (const [child, c] of a.children) {
        if (!this.selected(child)) continue;
        const parentCount = c.parentCount.get(period);
        if (parentCount === undefined) continue;
        const nr = a.nrPeriods;
        const gDurations = [...c.durations];
        const gCounts = [...c.counts];
        const gPcs = [...c.pcs];
        let gMin = c.min ?? 0;
        let gMinCount = c.minCount ?? 0;
        let gMinPc = c.minPc ?? 0;
        if (parentCount < nr) {
          gMin = gMinCount = gMinPc = 0;
          for (let i = 0; i < nr - parentCount; i++) {
            gDurations.push(0);
            gCounts.push(0);
            gPcs.push(0);
          }
        }
        pv.set(child, { durations: [...c.durations], counts: [...c.counts], pcs: [...c.pcs], gDurations, gCounts, gPcs });
        const enough = c.durations.length > 2;
        const gEnough = nr > 2;
        const name = mi.string(this.fullPath(child));
        const parent = mi.string(this.fullPath(period));
        duration.append([name, parent, mi.duration(c.min ?? 0), mi.duration(c.total / parentCount), mi.duration(c.max), enough ? mi.duration(stdev(c.durations)) : mi.unknown()]);
        count.append([name, parent, mi.number(c.minCount ?? 0), mi.number(c.totalCount / parentCount), mi.number(c.maxCount), enough ? mi.number(stdev(c.counts)) : mi.unknown()]);
        pc.append([name, parent, mi.number(c.minPc ?? 0), mi.number(c.totalPc / parentCount), mi.number(c.maxPc), enough ? mi.number(stdev(c.pcs)) : mi.unknown()]);
        gDuration.append([name, parent, mi.duration(gMin), mi.duration(c.total / nr), mi.duration(c.max), gEnough ? mi.duration(stdev(gDurations)) : mi.unknown()]);
        gCount.append([name, parent, mi.number(gMinCount), mi.number(c.totalCount / nr), mi.number(c.maxCount), gEnough ? mi.number(stdev(gCounts)) : mi.unknown()]);
        gPc.append([name, parent, mi.number(gMinPc), mi.number(c.totalPc / nr), mi.number(c.maxPc), gEnough ? mi.number(stdev(gPcs)) : mi.unknown()]);
      }
    }
    return { tables: [duration, count, pc, gDuration, gCount, gPc], values };
  }

  private histogram(
    cls: TableClassSpec,
    begin: bigint,
    end: bigint,
    subtitle: string,
    values: number[],
    ratio: number,
    uniform: { min: number; max: number; step: number } | null,
  ): ResultTable {
    const t = new ResultTable(cls, begin, end, subtitle);
    const resolution = this.conf.opts.freqResolution ?? 20;
    let min: number;
    let max: number;
    let step: number;
    if (uniform !== null) ({ min, max, step } = uniform);
    else {
      if (values.length === 0) return t;
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of values) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      min = this.conf.minDuration !== null ? this.conf.minDuration / 1000 : lo / ratio;
      max = this.conf.maxDuration !== null ? this.conf.maxDuration / 1000 : hi / ratio;
      step = (max - min) / resolution;
    }
    if (step === 0) return t;
    const kept: number[] = [];
    for (const v of values) if (this.filterDuration(v)) kept.push(v / ratio);
    const counts = bucketCounts(kept, min, max, step, resolution);
    // lttng-analyses writes every bound as a duration, even for counts and ratios.
    counts.forEach((c, i) => t.append([mi.durationFromUs(i * step + min), mi.durationFromUs((i + 1) * step + min), mi.number(c)]));
    return t;
  }

  private perPeriodFreqTables(begin: bigint, end: bigint): ResultTable[] {
    const resolution = this.conf.opts.freqResolution ?? 20;
    const lists = new Map<string, PeriodEvent[]>();
    for (const [name, s] of this.stats) {
      if (s.list.length === 0) continue;
      lists.set(name, this.filtering ? s.list.filter((e) => this.filterDuration(e.duration)) : s.list);
    }
    let uniform: { min: number; max: number; step: number } | null = null;
    if (this.conf.opts.freqUniform === true) {
      const all: number[] = [];
      for (const l of lists.values()) for (const e of l) all.push(e.duration);
      uniform = uniformFreqValues(this.uniform, "default", all, 1000, resolution, this.conf.minDuration, this.conf.maxDuration);
    }
    const out: ResultTable[] = [];
    for (const name of [...lists.keys()].sort()) {
      if (!this.selected(name)) continue;
      const list = lists.get(name)!;
      const t = new ResultTable(PERIOD_TABLE_CLASSES.freqDuration, begin, end, `Duration of period: ${name}`);
      let min: number;
      let max: number;
      let step: number;
      if (uniform !== null) ({ min, max, step } = uniform);
      else {
        let lo: number | null = null;
        let hi: number | null = null;
        for (const e of list) {
          if (lo === null || e.duration < lo) lo = e.duration;
          if (hi === null || e.duration > hi) hi = e.duration;
        }
        min = (this.conf.minDuration ?? lo ?? 0) / 1000;
        max = (this.conf.maxDuration ?? hi ?? 0) / 1000;
        step = (max - min) / resolution;
      }
      if (step !== 0) {
        const counts = bucketCounts(
          list.filter((e) => this.filterDuration(e.duration)).map((e) => e.duration / 1000),
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

  private perParentFreqTables(begin: bigint, end: bigint, values: ParentValues): ResultTable[] {
    const C = PERIOD_TABLE_CLASSES;
    const res = this.conf.opts.freqResolution ?? 20;
    const uniformOf = (pick: (v: ChildValues) => number[], ratio: number, category: string) => {
      if (this.conf.opts.freqUniform !== true) return null;
      let min: number | null = null;
      let max = 0;
      for (const pv of values.values())
        for (const cv of pv.values()) {
          const u = uniformFreqValues(this.uniform, category, pick(cv), ratio, res, this.conf.minDuration, this.conf.maxDuration);
          if (min === null || u.min < min) min = u.min;
          if (u.max > max) max = u.max;
        }
      return min === null ? { min: 0, max, step: 0 } : { min, max, step: (max - min) / res };
    };
    const u = {
      d: uniformOf((v) => v.durations, 1000, "duration"),
      gd: uniformOf((v) => v.gDurations, 1000, "global_duration"),
      c: uniformOf((v) => v.counts, 1, "count"),
      gc: uniformOf((v) => v.gCounts, 1, "global_count"),
      p: uniformOf((v) => v.pcs, 1, "pc"),
      gp: uniformOf((v) => v.gPcs, 1, "global_pc"),
    };
    const groups: ResultTable[][] = [[], [], [], [], [], []];
    for (const period of [...values.keys()].sort()) {
      const pv = values.get(period)!;
      for (const [child, v] of pv) {
        if (!this.selected(child)) continue;
        const c = this.fullPath(child);
        const p = this.fullPath(period);
        groups[0]!.push(this.histogram(C.freqDuration, begin, end, `Duration of ${c} per ${p}`, v.durations, 1000, u.d));
        groups[1]!.push(this.histogram(C.freqCount, begin, end, `Number of ${c} per ${p}`, v.counts, 1, u.c));
        groups[2]!.push(this.histogram(C.freqRatio, begin, end, `Usage ratio of ${c} per ${p}`, v.pcs, 1, u.p));
        groups[3]!.push(this.histogram(C.freqDuration, begin, end, `Global duration of ${c} per ${p}`, v.gDurations, 1000, u.gd));
        groups[4]!.push(this.histogram(C.freqCount, begin, end, `Global number of ${c} per ${p}`, v.gCounts, 1, u.gc));
        groups[5]!.push(this.histogram(C.freqRatio, begin, end, `Global usage ratio of ${c} per ${p}`, v.gPcs, 1, u.gp));
      }
    }
    return groups.flat();
  }
}

interface ChildValues {
  durations: number[];
  counts: number[];
  pcs: number[];
  gDurations: number[];
  gCounts: number[];
  gPcs: number[];
}
type ParentValues = Map<string, Map<string, ChildValues>>;
