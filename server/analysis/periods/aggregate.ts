/**
 * The end-of-analysis walk over completed periods, after lttng-analyses 0.6.1's
 * cli/periods.py (_get_aggregated_lists, _hierarchical_sub, _account_parents_in_group,
 * _find_aggregated_subperiods, _get_aggregated_groups): the hierarchical order, the
 * per-parent accumulators (all periods, and per --group-by group), the durations per
 * group, and the --aggregate-by parents with their (selected) descendants.
 *
 * By default each descendant period counts once in each of its ancestors' per-parent
 * statistics, overall and per --group-by group. lttng-analyses 0.6.1 counts a period
 * 2^(k-1) times in an ancestor k levels up (its _TmpAggregation.add_child walks the
 * ancestors, and each ancestor's add_child walks its own again), and in --group-by
 * statistics adds it through every ancestor's chain, where a group's parent accumulator
 * has no link to its own parent when that one was already seen in the group: wrong
 * numbers, reproduced only with `lttngAnalysesCounts` (--compat=lttng-analyses-0.6.1,
 * DEVIATIONS.md). Conventions kept either way: the hierarchical order, first-sight order
 * of tables and keys, and the captures shared by an --aggregate-by subtree (those of the
 * whole subtree).
 */
import type { FieldMap } from "../../ctf/types";
import type { CaptureValue, Period } from "./engine";
import type { PeriodDefinition } from "./engine";
import { reprValue } from "./pyrepr";

const NO_CHILDREN: PeriodEvent[] = [];

/** One completed (or still open) period occurrence. */
export class PeriodEvent {
  /** The begin time until the period ends (duration 0). */
  endTs: number;
  beginCaptures: ReadonlyMap<string, CaptureValue> | null = null;
  endCaptures: ReadonlyMap<string, CaptureValue> | null = null;
  /** --duration-field periods: the event's payload, printed as the end captures. */
  endPayload: FieldMap | null = null;
  /** Completed child periods (a shared empty list until the first one). */
  children: PeriodEvent[] = NO_CHILDREN;
  /** As the analysis's per-period data (PeriodData): the engine's period. */
  period: Period | null = null;
  constructor(
    readonly startTs: number,
    /** "" for an unnamed period. */
    readonly name: string,
    readonly parent: PeriodEvent | null,
  ) {
    this.endTs = startTs;
  }
  /** PeriodData's: no state listener (on the prototype: one field less per period). */
  get listener(): null {
    return null;
  }
  get event(): PeriodEvent {
    return this;
  }
  addChild(c: PeriodEvent): void {
    if (this.children === NO_CHILDREN) this.children = [];
    this.children.push(c);
  }
  get duration(): number {
    return this.endTs - this.startTs;
  }
  /** The end captures as a map (the payload of a --duration-field event). */
  get endCaptureMap(): ReadonlyMap<string, CaptureValue> | null {
    return this.endPayload !== null ? new Map(Object.entries(this.endPayload)) : this.endCaptures;
  }
}

/** A captured field as lttng-analyses lists them: ("period.field", value). */
export type Capture = readonly [string, CaptureValue];

const NO_CAPTURE_LIST: Capture[] = [];
const NO_GROUPS: Capture[][] = [];

/** Python str() of a captured value (strings unquoted). */
export function pyStr(v: CaptureValue): string {
  return typeof v === "string" ? v : reprValue(v);
}

/** PeriodEvent.filtered_captures: the --group-by fields of this period, begin then end, each sorted. */
function filteredCaptures(e: PeriodEvent, groupBy: ReadonlyMap<string, readonly string[]>): Capture[] {
  const fields = e.name === "" ? undefined : groupBy.get(e.name);
  const out: Capture[] = [];
  if (fields === undefined) return out;
  for (const m of [e.beginCaptures, e.endCaptureMap]) {
    if (m === null) continue;
    for (const k of [...m.keys()].sort()) if (fields.includes(k)) out.push([`${e.name}.${k}`, m.get(k)]);
  }
  return out;
}

/** PeriodEvent.full_captures: every captured field, begin then end, in capture order. */
export function fullCaptures(e: PeriodEvent): Capture[] {
  // lttng-analyses names an unnamed period None here.
  const prefix = e.name === "" ? "None" : e.name;
  const out: Capture[] = [];
  for (const m of [e.beginCaptures, e.endCaptureMap]) if (m !== null) for (const [k, v] of m) out.push([`${prefix}.${k}`, v]);
  return out;
}

/** "a.x = 1, b.y = /index": the captures sorted by name (stable), as group keys are spelled. */
export function groupKey(caps: readonly Capture[]): string {
  return [...caps]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([n, v]) => `${n} = ${pyStr(v)}`)
    .join(", ");
}

/** --group-by "period.field[, period.field…]" as {period: [fields]} (_validate_transform_args). */
export function parseGroupBy(spec: string | undefined): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const g of (spec ?? "").split(",")) {
    const t = g.trim();
    if (t.length === 0) continue;
    const parts = t.split(".");
    const period = parts[0]!.split("/").pop()!;
    const field = parts[1] ?? "";
    const l = m.get(period);
    if (l === undefined) m.set(period, [field]);
    else l.push(field);
  }
  return m;
}

/** Per-parent accumulators for one child period name (lttng-analyses' _PeriodStats). */
export class ChildStats {
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

/** One parent period name's accumulators, a ChildStats per descendant name (_AggregatedPeriodStats). */
export class AggregatedPeriodStats {
  readonly children = new Map<string, ChildStats>();
  nrPeriods = 0;
  constructor(
    readonly name: string,
    descendants: readonly string[],
  ) {
    for (const c of descendants) this.children.set(c, new ChildStats());
  }
  finish(start: number, end: number, childDurations: ReadonlyMap<string, number[]>): void {
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

/** Child durations of one period occurrence, also counted in its linked ancestors (_TmpAggregation). */
class TmpAggregation {
  readonly children = new Map<string, number[]>();
  constructor(readonly parent: TmpAggregation | null) {}
  /** Here only. */
  addHere(name: string, duration: number): void {
    const l = this.children.get(name);
    if (l === undefined) this.children.set(name, [duration]);
    else l.push(duration);
  }
  /** Here and once in every linked ancestor. */
  add(name: string, duration: number): void {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- a cursor up the ancestors that starts here, not an alias of `this`
    for (let a: TmpAggregation | null = this; a !== null; a = a.parent) a.addHere(name, duration);
  }
  /**
   * lttng-analyses' add_child: calls add_child on every ancestor, each of which walks its
   * own ancestors again, so an ancestor k levels up gets the duration 2^(k-1) times.
   */
  addAsLttngAnalyses(name: string, duration: number): void {
    this.addHere(name, duration);
    for (let a = this.parent; a !== null; a = a.parent) a.addAsLttngAnalyses(name, duration);
  }
}

/** A period under an --aggregate-by parent (_AggregatedItem). */
export interface AggregatedItem {
  event: PeriodEvent;
  parent: PeriodEvent;
  /** Shared by the whole subtree of one child of the parent (see the module comment). */
  groupByCaptures: Capture[];
}

export interface PeriodAggregation {
  /** Parents followed by their children (the hierarchical log). */
  hierarchical: PeriodEvent[];
  /** Per-parent accumulators, by parent name, in order of first sight. */
  perPeriod: Map<string, AggregatedPeriodStats>;
  /** The same per --group-by group ("req.status = 200"), groups in order of first sight. */
  perParentByGroup: Map<string, Map<string, AggregatedPeriodStats>>;
  /** Durations of each period name in each group. */
  durationsByGroup: Map<string, Map<string, number[]>>;
  /** --aggregate-by parents, by begin time, with their selected descendants by name. */
  aggregated: [PeriodEvent, Map<string, AggregatedItem[]>][];
}

export interface AggregateOptions {
  /** Walk the hierarchy (hierarchical log, per-parent statistics, groups). */
  hierarchy: boolean;
  /** Keep the hierarchical list (default true; statistics need none). */
  collectHierarchy?: boolean;
  groupBy: ReadonlyMap<string, readonly string[]>;
  aggregateBy: string | undefined;
  /** --select (names without their parent path); empty: all. */
  select: readonly string[];
  keep: (duration: number) => boolean;
  /** Names of every descendant of a named period definition, depth first. */
  descendants: (name: string) => string[];
  /** Count nested periods as lttng-analyses 0.6.1 does (see the module comment); default: once per ancestor. */
  lttngAnalysesCounts?: boolean;
}

export function aggregatePeriods(all: readonly PeriodEvent[], o: AggregateOptions): PeriodAggregation {
  const a = periodAggregator(o);
  let seq = 0;
  for (const e of all) a.add(e, seq++);
  return a.result();
}

/**
 * aggregatePeriods one period at a time; a root period must be complete (its subtree
 * final) when added, with its rank in begin order (`seq`). Lets an analysis add each root
 * when it ends and drop it. Roots added out of begin order give the same maps, in the
 * same order (each key ranked by the first root, in begin order, to touch it); only
 * floating-point sums may round differently.
 */
export function periodAggregator(o: AggregateOptions): { add(e: PeriodEvent, seq: number): void; result(): PeriodAggregation } {
  const out: PeriodAggregation = {
    hierarchical: [],
    perPeriod: new Map(),
    perParentByGroup: new Map(),
    durationsByGroup: new Map(),
    aggregated: [],
  };
  const grouping = o.groupBy.size > 0;
  const compat = o.lttngAnalysesCounts === true;
  /** Rank of the first touch of each key of each map: [root seq, touch within that root]. */
  const ranks = new Map<Map<string, unknown>, Map<string, [number, number]>>();
  let rootSeq = 0;
  let touchInRoot = 0;
  let lastSeq = -1;
  let outOfOrder = false;
  const touch = (m: Map<string, unknown>, key: string): void => {
    let r = ranks.get(m);
    if (r === undefined) ranks.set(m, (r = new Map()));
    const cur = r.get(key);
    if (cur === undefined || rootSeq < cur[0]) r.set(key, [rootSeq, touchInRoot]);
    touchInRoot++;
  };
  const statsOf = (m: Map<string, AggregatedPeriodStats>, name: string): AggregatedPeriodStats => {
    touch(m, name);
    let a = m.get(name);
    if (a === undefined) m.set(name, (a = new AggregatedPeriodStats(name, o.descendants(name))));
    return a;
  };
  /**
   * Per group: the accumulator of each period seen in it. lttng-analyses never drops
   * them, but only the periods of the root being walked are ever looked up: one set per root.
   */
  let groupActive = new Map<string, Map<PeriodEvent, TmpAggregation>>();

  const addGroupActive = (e: PeriodEvent, active: Map<PeriodEvent, TmpAggregation>): TmpAggregation => {
    let p: TmpAggregation | null = null;
    if (e.parent !== null && !active.has(e.parent)) p = addGroupActive(e.parent, active);
    const t = new TmpAggregation(p);
    active.set(e, t);
    return t;
  };

  const accountParentsInGroup = (e: PeriodEvent, full: readonly Capture[][]): void => {
    for (const g of full) {
      if (g.length < o.groupBy.size) continue;
      const key = groupKey(g);
      if (key.length === 0) continue;
      let active = groupActive.get(key);
      if (active === undefined) groupActive.set(key, (active = new Map()));
      touch(out.durationsByGroup, key);
      let durations = out.durationsByGroup.get(key);
      if (durations === undefined) out.durationsByGroup.set(key, (durations = new Map()));
      touch(durations, e.name);
      let ds = durations.get(e.name);
      if (ds === undefined) durations.set(e.name, (ds = []));
      ds.push(e.duration);
      touch(out.perParentByGroup, key);
      let stats = out.perParentByGroup.get(key);
      if (stats === undefined) out.perParentByGroup.set(key, (stats = new Map()));
      statsOf(stats, e.name);
      // This period (not the intermediate ones) counts in every ancestor's statistics of the group.
      for (let p = e.parent; p !== null; p = p.parent) {
        if (!active.has(p)) addGroupActive(p, active);
        statsOf(stats, p.name);
        if (compat) active.get(p)!.addAsLttngAnalyses(e.name, e.duration);
        else active.get(p)!.addHere(e.name, e.duration);
      }
      const mine = active.get(e);
      if (mine !== undefined) statsOf(stats, e.name).finish(e.startTs, e.endTs, mine.children);
    }
  };

  /** Returns this period's capture lists combined with its descendants' (for its parent). */
  /** Walks a period's subtree; without --group-by there are no captures to combine (NO_GROUPS). */
  const sub = (e: PeriodEvent, tmp: TmpAggregation, ancestors: readonly Capture[]): Capture[][] => {
    if (o.collectHierarchy !== false) out.hierarchical.push(e);
    const own = grouping ? filteredCaptures(e, o.groupBy) : NO_CAPTURE_LIST;
    const below = grouping ? [...ancestors, ...own] : ancestors;
    const local: Capture[][] = [];
    for (const c of e.children) {
      if (!o.keep(c.duration)) continue;
      statsOf(out.perPeriod, c.name);
      if (compat) tmp.addAsLttngAnalyses(c.name, c.duration);
      else tmp.add(c.name, c.duration);
      const cc = sub(c, new TmpAggregation(tmp), below);
      if (grouping) for (const x of cc) local.push([...own, ...x]);
    }
    if (grouping) {
      if (local.length === 0) local.push(own);
      let full: Capture[][];
      // Usually one list: nothing to deduplicate.
      if (local.length === 1) full = [[...local[0]!, ...ancestors]];
      else {
        full = [];
        const seen = new Set<string>();
        for (const c of local) {
          const withAncestors = [...c, ...ancestors];
          const k = JSON.stringify(withAncestors.map(([n, v]) => [n, reprValue(v)]));
          if (seen.has(k)) continue;
          seen.add(k);
          full.push(withAncestors);
        }
      }
      accountParentsInGroup(e, full);
    }
    statsOf(out.perPeriod, e.name).finish(e.startTs, e.endTs, tmp.children);
    return grouping ? local : NO_GROUPS;
  };

  const findAggregatedSubperiods = (root: PeriodEvent, e: PeriodEvent, list: AggregatedItem[], groupCaps: Capture[]): void => {
    if (o.select.length === 0 || o.select.includes(e.name)) list.push({ event: e, parent: root, groupByCaptures: groupCaps });
    groupCaps.push(...filteredCaptures(e, o.groupBy));
    for (const c of e.children) findAggregatedSubperiods(root, c, list, groupCaps);
  };

  const add = (e: PeriodEvent, seq: number): void => {
    if (!o.keep(e.duration)) return;
    if (seq < lastSeq) outOfOrder = true;
    lastSeq = Math.max(lastSeq, seq);
    rootSeq = seq;
    touchInRoot = 0;
    if (o.hierarchy && e.parent === null) {
      statsOf(out.perPeriod, e.name);
      if (grouping && groupActive.size > 0) groupActive = new Map();
      sub(e, new TmpAggregation(null), []);
    }
    if (o.aggregateBy === undefined || e.name !== o.aggregateBy) return;
    const byChild = new Map<string, AggregatedItem[]>();
    out.aggregated.push([e, byChild]);
    const items: AggregatedItem[] = [];
    for (const c of e.children) {
      if (!o.keep(c.duration)) continue;
      findAggregatedSubperiods(e, c, items, filteredCaptures(e, o.groupBy));
    }
    for (const it of items) {
      const l = byChild.get(it.event.name);
      if (l === undefined) byChild.set(it.event.name, [it]);
      else l.push(it);
    }
  };
  return {
    add,
    result() {
      out.aggregated.sort((a, b) => a[0].startTs - b[0].startTs);
      if (outOfOrder)
        for (const [m, r] of ranks) {
          const entries = [...m].sort(([a], [b]) => {
            const ra = r.get(a)!;
            const rb = r.get(b)!;
            return ra[0] - rb[0] || ra[1] - rb[1];
          });
          m.clear();
          for (const [k, v] of entries) m.set(k, v);
        }
      return out;
    },
  };
}

/** _get_aggregated_groups: the --aggregate-by parents split by the group of each item. */
export function aggregatedGroups(aggregated: PeriodAggregation["aggregated"]): Map<string, [PeriodEvent, Map<string, AggregatedItem[]>][]> {
  const groups = new Map<string, Map<PeriodEvent, Map<string, AggregatedItem[]>>>();
  for (const [parent, byChild] of aggregated)
    for (const [child, items] of byChild)
      for (const it of items) {
        const key = groupKey(it.groupByCaptures);
        let g = groups.get(key);
        if (g === undefined) groups.set(key, (g = new Map()));
        let p = g.get(parent);
        if (p === undefined) g.set(parent, (p = new Map()));
        const l = p.get(child);
        if (l === undefined) p.set(child, [it]);
        else l.push(it);
      }
  const out = new Map<string, [PeriodEvent, Map<string, AggregatedItem[]>][]>();
  for (const [k, g] of groups) out.set(k, [...g]);
  return out;
}

/** Every descendant name of a definition, depth first (_AggregatedPeriodStats._init_children). */
export function definitionDescendants(def: PeriodDefinition | undefined): string[] {
  const names: string[] = [];
  const visit = (d: PeriodDefinition) => {
    for (const c of d.children) {
      names.push(c.name ?? "");
      visit(c);
    }
  };
  if (def !== undefined) visit(def);
  return names;
}
