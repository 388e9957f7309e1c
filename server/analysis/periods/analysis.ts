/**
 * User-space (and kernel) periods: periodlog, periodtop, periodstats, periodfreq,
 * after lttng-analyses 0.6.1's core/periods.py and cli/periods.py. Periods come from
 * --period definitions (the engine) or, as a shortcut, from one event carrying its
 * own duration (--duration-field EVENT.FIELD, e.g. request_end.latency_ns).
 */
import { Analysis, type PeriodData } from "../analyses/base";
import { bucketCounts, stdev } from "../analyses/stats";
import { topByDesc } from "../analyses/top";
import { uniformFreqValues, type UniformState } from "../analyses/uniform";
import type { AnalysisEvent } from "../event";
import { mi, ResultTable, type ColumnSpec, type TableClassSpec } from "../lami/values";
import {
  aggregatedGroups,
  aggregatePeriods,
  definitionDescendants,
  fullCaptures,
  parseGroupBy,
  periodAggregator,
  PeriodEvent,
  type AggregateOptions,
  type AggregatedItem,
  type AggregatedPeriodStats,
  type PeriodAggregation,
} from "./aggregate";
import { NO_CAPTURES, type Period } from "./engine";
import { reprCaptures, reprTupleList } from "./pyrepr";
import { DEFAULT_LIMIT, DEFAULT_FREQ_RESOLUTION } from "../options";

export { PeriodEvent } from "./aggregate";

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

/** The durations (ns) of one period name's completed occurrences: all its statistics need. */
class PeriodStats {
  readonly durations: number[] = [];
  constructor(readonly name: string) {}
}

export type PeriodCommand = "periodlog" | "periodtop" | "periodstats" | "periodfreq";

interface PeriodsPeriodData extends PeriodData {
  readonly event: PeriodEvent | null;
  /** Light runs: the statistics the period's duration goes to (no PeriodEvent). */
  readonly stats?: PeriodStats;
}

export class PeriodAnalysis extends Analysis<PeriodsPeriodData> {
  command: PeriodCommand = "periodstats";
  /** Every period in begin order (completed ones when the analysis ends); unused by light and streamed runs. */
  readonly allPeriods: PeriodEvent[] = [];
  /**
   * periodstats/periodfreq without nesting or --group-by need only each name's durations:
   * no PeriodEvent outlives its period (the big memory and GC cost of long traces).
   */
  private light: boolean | null = null;
  /**
   * periodstats/periodfreq with nesting or --group-by: each root period is aggregated when
   * it ends (with its rank in begin order, which lttng-analyses walks them in), then
   * dropped. Memory stays that of the open periods, not of every period of the trace.
   */
  private streamed: ReturnType<typeof periodAggregator> | null | undefined;
  /** Open root periods and their rank in begin order. */
  private readonly openRoots = new Map<PeriodEvent, number>();
  private rootSeq = 0;
  readonly stats = new Map<string, PeriodStats>();
  private readonly uniform: UniformState = new Map();
  /** --duration-field: the event name and its duration field. */
  private durationEvent: string | null = null;
  private durationField = "";
  private durationPeriodName = "";
  protected override ticksPerPeriod = false;

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
      this.statsFor(pe.name).durations.push(d);
      const streamed = this.streaming();
      if (streamed !== null) streamed.add(pe, this.rootSeq++);
      else if (!this.isLight()) this.allPeriods.push(pe);
    }
  }

  private isLight(): boolean {
    if (this.light === null) {
      const groupBy = this.conf.opts.groupBy;
      this.light =
        (this.command === "periodstats" || this.command === "periodfreq") &&
        !this.conf.periodDefs.nested &&
        (groupBy === undefined || parseGroupBy(groupBy).size === 0);
    }
    return this.light;
  }

  private streaming(): ReturnType<typeof periodAggregator> | null {
    if (this.streamed === undefined)
      this.streamed =
        (this.command === "periodstats" || this.command === "periodfreq") && !this.isLight()
          ? periodAggregator({ ...this.aggregateOptions(true), collectHierarchy: false, aggregateBy: undefined })
          : null;
    return this.streamed;
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
    const stats = this.statsFor(name);
    if (this.isLight()) return { period, listener: null, event: null, stats };
    const parent = period.parent === null ? null : ((period.parent.data as PeriodsPeriodData | undefined)?.event ?? null);
    const e = new PeriodEvent(period.beginEvt.ts, name, parent);
    e.period = period;
    if (this.streaming() === null) this.allPeriods.push(e);
    else if (parent === null) this.openRoots.set(e, this.rootSeq++);
    return e as PeriodsPeriodData;
  }

  protected override endPeriod(pd: PeriodsPeriodData): void {
    const e = pd.event;
    const p = pd.period;
    if (e === null) {
      // Periods cut by their parent's end or the trace's end are not counted.
      if (pd.stats !== undefined && p.completed) pd.stats.durations.push(this.lastEventTs! - p.beginEvt.ts);
      return;
    }
    e.period = null;
    const streamed = this.streaming();
    if (!p.completed) {
      if (streamed !== null) {
        this.openRoots.delete(e);
        return;
      }
      const i = this.allPeriods.lastIndexOf(e);
      if (i >= 0) this.allPeriods.splice(i, 1);
      return;
    }
    e.endTs = this.lastEventTs!;
    e.beginCaptures = p.beginCaptures;
    e.endCaptures = p.endCaptures;
    this.statsFor(e.name).durations.push(e.duration);
    if (e.parent !== null) e.parent.addChild(e);
    else if (streamed !== null) {
      streamed.add(e, this.openRoots.get(e)!);
      this.openRoots.delete(e);
    }
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
    return this.conf.periodDefs.fullPath(name);
  }

  private get filtering(): boolean {
    return this.conf.opts.minDuration !== undefined || this.conf.opts.maxDuration !== undefined;
  }

  /** --freq-series implies --freq-uniform (lttng-analyses' Command._validate_transform_common_args). */
  private get freqUniform(): boolean {
    return this.conf.opts.freqUniform === true || this.conf.opts.freqSeries === true;
  }

  // ---- final tables, in the order lttng-analyses' _analysis_tick appends them

  protected override finalTick(): ResultTable[] {
    if (this.firstEventTs === null || this.lastEventTs === null) return [];
    const begin = this.conf.toAbs(this.firstEventTs);
    const end = this.conf.toAbs(this.lastEventTs);
    const o = this.conf.opts;
    const selecting = (o.select ?? []).length > 0;
    const hierarchy = o.orderBy === "hierarchy";
    const statsOrFreq = this.command === "periodstats" || this.command === "periodfreq";
    const agg = selecting || hierarchy || statsOrFreq ? this.aggregate(hierarchy || statsOrFreq) : null;
    switch (this.command) {
      case "periodlog":
        if (hierarchy) return [this.logTable(begin, end, agg!.hierarchical, true)];
        // lttng-analyses prints this view only as text (DEVIATIONS.md).
        if (selecting) return this.aggregatedLogTables(begin, end, agg!);
        return [this.logTable(begin, end, this.allPeriods, true)];
      case "periodtop":
        return [this.topTable(begin, end)];
      case "periodstats": {
        const out = [this.perPeriodStatsTable(begin, end), ...this.perParentTables(begin, end, agg!.perPeriod, "", agg!.perPeriod).tables];
        for (const [group, stats] of agg!.perParentByGroup) out.push(...this.perParentTables(begin, end, stats, `'${group}' - `, agg!.perPeriod).tables);
        return out;
      }
      case "periodfreq":
        return this.freqTables(begin, end, agg!);
    }
  }

  private aggregateOptions(hierarchy: boolean): AggregateOptions {
    const o = this.conf.opts;
    return {
      hierarchy,
      groupBy: parseGroupBy(o.groupBy),
      aggregateBy: o.aggregateBy,
      select: o.select ?? [],
      keep: this.filtering ? (d: number) => this.filterDuration(d) : () => true,
      descendants: (name) => definitionDescendants(this.conf.periodDefs.named.get(name)),
      lttngAnalysesCounts: o.compat === "lttng-analyses-0.6.1",
    };
  }

  private aggregate(hierarchy: boolean): PeriodAggregation {
    const streamed = this.streaming();
    if (streamed !== null) return streamed.result();
    const o = this.aggregateOptions(hierarchy);
    const keep = o.keep;
    if (!this.conf.periodDefs.nested && o.groupBy.size === 0) {
      // No nesting, no groups: no per-parent statistics, and the hierarchy is the time order.
      return {
        hierarchical: this.allPeriods.filter((e) => keep(e.duration)),
        perPeriod: new Map(),
        perParentByGroup: new Map(),
        durationsByGroup: new Map(),
        aggregated: [],
      };
    }
    return aggregatePeriods(this.allPeriods, o);
  }

  private eventRow(e: PeriodEvent, fullName: boolean) {
    return [
      mi.timestamp(this.conf.toAbs(e.startTs)),
      mi.timestamp(this.conf.toAbs(e.endTs)),
      mi.duration(e.duration),
      mi.string(fullName ? this.fullPath(e.name) : e.name),
      mi.string(reprCaptures(e.beginCaptures)),
      mi.string(reprCaptures(e.endCaptureMap)),
    ];
  }

  private logTable(begin: bigint, end: bigint, list: PeriodEvent[], fullName: boolean): ResultTable {
    const t = new ResultTable(PERIOD_TABLE_CLASSES.log, begin, end);
    for (const e of list) if (this.filterDuration(e.duration)) t.append(this.eventRow(e, fullName));
    return t;
  }

  /** periodlog --select: per --aggregate-by parent, statistics of each selected descendant name. */
  private aggregatedLogTables(begin: bigint, end: bigint, agg: PeriodAggregation): ResultTable[] {
    const o = this.conf.opts;
    const sub = `Aggregation of (${(o.select ?? []).join(", ")}) by ${o.aggregateBy ?? "None"}`;
    if (o.groupBy === undefined || o.groupBy.length === 0) return [this.aggregatedLogTable(begin, end, agg.aggregated, sub)];
    return [...aggregatedGroups(agg.aggregated)].map(([group, parents]) => this.aggregatedLogTable(begin, end, parents, `${sub}, group: ${group}`));
  }

  private aggregatedLogTable(begin: bigint, end: bigint, parents: [PeriodEvent, Map<string, AggregatedItem[]>][], subtitle: string): ResultTable {
    const t = new ResultTable(PERIOD_TABLE_CLASSES.aggregatedStats, begin, end, subtitle);
    for (const [parent, byChild] of parents) {
      const captures = mi.string(reprTupleList(fullCaptures(parent)));
      for (const [child, items] of byChild) {
        const ds: number[] = [];
        let min: number | null = null;
        let max: number | null = null;
        let total = 0;
        for (const it of items) {
          const d = it.event.duration;
          if (!this.filterDuration(d)) continue;
          if (min === null || d < min) min = d;
          if (max === null || d > max) max = d;
          total += d;
          ds.push(d);
        }
        const sd = stdev(ds);
        t.append([
          mi.string(parent.name),
          mi.timestamp(this.conf.toAbs(parent.startTs)),
          mi.timestamp(this.conf.toAbs(parent.endTs)),
          mi.string(this.fullPath(child)),
          mi.number(ds.length),
          min === null ? mi.unknown() : mi.duration(min),
          mi.duration(ds.length > 0 ? total / ds.length : 0),
          max === null ? mi.unknown() : mi.duration(max),
          Number.isNaN(sd) ? mi.unknown() : mi.duration(sd),
          mi.duration(total),
          captures,
        ]);
      }
    }
    return t;
  }

  private topTable(begin: bigint, end: bigint): ResultTable {
    const t = new ResultTable(PERIOD_TABLE_CLASSES.top, begin, end);
    const kept = this.allPeriods.filter((e) => this.filterDuration(e.duration) && this.selected(e.name));
    // lttng-analyses stops at `count == limit`, after the first row: 0 or less prints them all.
    const limit = this.conf.opts.limit ?? DEFAULT_LIMIT;
    for (const e of topByDesc(kept, (x) => x.duration, limit > 0 ? limit : kept.length)) t.append(this.eventRow(e, false));
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
    for (const r of this.conf.periodDefs.roots) visit(r.name ?? "", r.children);
    if (this.durationEvent !== null && !out.includes(this.durationPeriodName)) visit(this.durationPeriodName, []);
    return out;
  }

  private perPeriodStatsTable(begin: bigint, end: bigint): ResultTable {
    const t = new ResultTable(PERIOD_TABLE_CLASSES.perPeriodStats, begin, end);
    for (const name of this.orderedNames()) {
      const s = this.stats.get(name)!;
      if (s.durations.length === 0 || !this.selected(name)) continue;
      const list = this.filtering ? s.durations.filter((d) => this.filterDuration(d)) : s.durations;
      if (list.length === 0) continue;
      let min = Infinity;
      let max = -Infinity;
      let total = 0;
      for (const d of list) {
        if (d < min) min = d;
        if (d > max) max = d;
        total += d;
      }
      const sd = stdev(list);
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

  /**
   * _get_per_parent_stats_result_table: the six per-parent tables of one set of
   * accumulators (all periods, or one --group-by group), "Globally" counting every
   * occurrence of the parent, also those outside the group.
   */
  private perParentTables(
    begin: bigint,
    end: bigint,
    perPeriod: Map<string, AggregatedPeriodStats>,
    prefix: string,
    ungrouped: Map<string, AggregatedPeriodStats>,
  ): { tables: ResultTable[]; values: ParentValues } {
    const C = PERIOD_TABLE_CLASSES;
    const active = `${prefix}With active children`;
    const globally = `${prefix}Globally`;
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
        const nr = ungrouped.get(period)?.nrPeriods ?? a.nrPeriods;
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
        duration.append([
          name,
          parent,
          mi.duration(c.min ?? 0),
          mi.duration(c.total / parentCount),
          mi.duration(c.max),
          enough ? mi.duration(stdev(c.durations)) : mi.unknown(),
        ]);
        count.append([
          name,
          parent,
          mi.number(c.minCount ?? 0),
          mi.number(c.totalCount / parentCount),
          mi.number(c.maxCount),
          enough ? mi.number(stdev(c.counts)) : mi.unknown(),
        ]);
        pc.append([
          name,
          parent,
          mi.number(c.minPc ?? 0),
          mi.number(c.totalPc / parentCount),
          mi.number(c.maxPc),
          enough ? mi.number(stdev(c.pcs)) : mi.unknown(),
        ]);
        gDuration.append([
          name,
          parent,
          mi.duration(gMin),
          mi.duration(c.total / nr),
          mi.duration(c.max),
          gEnough ? mi.duration(stdev(gDurations)) : mi.unknown(),
        ]);
        gCount.append([
          name,
          parent,
          mi.number(gMinCount),
          mi.number(c.totalCount / nr),
          mi.number(c.maxCount),
          gEnough ? mi.number(stdev(gCounts)) : mi.unknown(),
        ]);
        gPc.append([name, parent, mi.number(gMinPc), mi.number(c.totalPc / nr), mi.number(c.maxPc), gEnough ? mi.number(stdev(gPcs)) : mi.unknown()]);
      }
    }
    return { tables: [duration, count, pc, gDuration, gCount, gPc], values };
  }

  /** periodfreq: every histogram, in lttng-analyses' order (which its --freq-uniform state follows too). */
  private freqTables(begin: bigint, end: bigint, agg: PeriodAggregation): ResultTable[] {
    const res = this.conf.opts.freqResolution ?? DEFAULT_FREQ_RESOLUTION;
    const ungrouped = this.perParentTables(begin, end, agg.perPeriod, "", agg.perPeriod).values;
    // --freq-uniform's pass over the groups' durations; the last values are the groups' layout.
    let groupUniform: { min: number; max: number; step: number } | null = null;
    if (this.freqUniform)
      for (const periods of agg.durationsByGroup.values())
        for (const ds of periods.values())
          groupUniform = uniformFreqValues(
            this.uniform,
            "duration",
            ds.filter((d) => this.filterDuration(d)),
            1000,
            res,
            this.conf.minDuration,
            this.conf.maxDuration,
          );
    const groups: { group: string; perPeriod: Map<string, ResultTable>; parents: ParentValues }[] = [];
    for (const [group, periods] of agg.durationsByGroup) {
      const perPeriod = new Map<string, ResultTable>();
      for (const [name, ds] of periods) {
        if (!this.selected(name)) continue;
        const kept = ds.filter((d) => this.filterDuration(d));
        perPeriod.set(
          name,
          this.histogram(PERIOD_TABLE_CLASSES.freqDuration, begin, end, `'${group}' - Duration of period: ${name}`, kept, 1000, groupUniform),
        );
      }
      const parents = this.perParentTables(begin, end, agg.perParentByGroup.get(group)!, `'${group}' - `, agg.perPeriod).values;
      groups.push({ group, perPeriod, parents });
    }
    const out = [...this.perPeriodFreqTables(begin, end), ...this.perParentFreqTables(begin, end, ungrouped, "")];
    for (const g of groups) out.push(...g.perPeriod.values(), ...this.perParentFreqTables(begin, end, g.parents, `'${g.group}' -- `));
    if (this.conf.opts.freqSeries === true) out.push(...this.freqSeriesTables(begin, end, groups));
    return out;
  }

  /**
   * --freq-series (_get_per_group_freq_series_tables): per period, one table whose
   * columns are the groups' duration histograms (same buckets: --freq-series implies
   * --freq-uniform).
   */
  private freqSeriesTables(begin: bigint, end: bigint, groups: { group: string; perPeriod: Map<string, ResultTable> }[]): ResultTable[] {
    if (groups.length === 0) return [];
    const columns: ColumnSpec[] = [
      ["duration_lower", "Duration (lower bound)", "duration"],
      ["duration_upper", "Duration (upper bound)", "duration"],
      ...groups.map((g): ColumnSpec => [g.group.replace(/\W+/g, ""), g.group, "number", "count"]),
    ];
    const periods: string[] = [];
    for (const g of groups) for (const p of g.perPeriod.keys()) if (!periods.includes(p)) periods.push(p);
    return periods.map((period) => {
      const t = new ResultTable({ name: null, title: `Period '${period}' duration frequency distribution per group`, columns }, begin, end);
      const bounds = groups.map((g) => g.perPeriod.get(period)).find((x) => x !== undefined && x.rows.length > 0);
      if (bounds !== undefined)
        bounds.rows.forEach((r, i) => t.append([r[0]!, r[1]!, ...groups.map((g) => g.perPeriod.get(period)?.rows[i]?.[2] ?? mi.number(0))]));
      return t;
    });
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
    const resolution = this.conf.opts.freqResolution ?? DEFAULT_FREQ_RESOLUTION;
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
    if (this.filtering) {
      for (const v of values) if (this.filterDuration(v)) kept.push(v / ratio);
    } else for (const v of values) kept.push(v / ratio);
    const counts = bucketCounts(kept, min, max, step, resolution);
    // lttng-analyses writes every bound as a duration, even for counts and ratios.
    counts.forEach((c, i) => t.append([mi.durationFromUs(i * step + min), mi.durationFromUs((i + 1) * step + min), mi.number(c)]));
    return t;
  }

  private perPeriodFreqTables(begin: bigint, end: bigint): ResultTable[] {
    const resolution = this.conf.opts.freqResolution ?? DEFAULT_FREQ_RESOLUTION;
    const lists = new Map<string, number[]>();
    for (const [name, s] of this.stats) {
      if (s.durations.length === 0) continue;
      lists.set(name, this.filtering ? s.durations.filter((d) => this.filterDuration(d)) : s.durations);
    }
    let uniform: { min: number; max: number; step: number } | null = null;
    if (this.freqUniform) {
      const all: number[] = [];
      for (const l of lists.values()) for (const d of l) all.push(d);
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
        for (const d of list) {
          if (lo === null || d < lo) lo = d;
          if (hi === null || d > hi) hi = d;
        }
        min = (this.conf.minDuration ?? lo ?? 0) / 1000;
        max = (this.conf.maxDuration ?? hi ?? 0) / 1000;
        step = (max - min) / resolution;
      }
      if (step !== 0) {
        const counts = bucketCounts(
          list.filter((d) => this.filterDuration(d)).map((d) => d / 1000),
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

  private perParentFreqTables(begin: bigint, end: bigint, values: ParentValues, prefix: string): ResultTable[] {
    const C = PERIOD_TABLE_CLASSES;
    const res = this.conf.opts.freqResolution ?? DEFAULT_FREQ_RESOLUTION;
    const uniformOf = (pick: (v: ChildValues) => number[], ratio: number, category: string) => {
      if (!this.freqUniform) return null;
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
        groups[0]!.push(this.histogram(C.freqDuration, begin, end, `${prefix}Duration of ${c} per ${p}`, v.durations, 1000, u.d));
        groups[1]!.push(this.histogram(C.freqCount, begin, end, `${prefix}Number of ${c} per ${p}`, v.counts, 1, u.c));
        groups[2]!.push(this.histogram(C.freqRatio, begin, end, `${prefix}Usage ratio of ${c} per ${p}`, v.pcs, 1, u.p));
        groups[3]!.push(this.histogram(C.freqDuration, begin, end, `${prefix}Global duration of ${c} per ${p}`, v.gDurations, 1000, u.gd));
        groups[4]!.push(this.histogram(C.freqCount, begin, end, `${prefix}Global number of ${c} per ${p}`, v.gCounts, 1, u.gc));
        groups[5]!.push(this.histogram(C.freqRatio, begin, end, `${prefix}Global usage ratio of ${c} per ${p}`, v.gPcs, 1, u.gp));
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
