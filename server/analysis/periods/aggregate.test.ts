/**
 * The period aggregator fed root periods as they end (out of begin order) against the
 * same roots in begin order: same maps, same key order, same values.
 */
import { describe, expect, it } from "vitest";
import { definitionDescendants, parseGroupBy, periodAggregator, PeriodEvent, type PeriodAggregation } from "./aggregate";
import { PeriodDefinitions } from "./engine";

const periodDefs = PeriodDefinitions.fromArgs(["req:$evt.x == 1", "io(req):$evt.x == 2", "db(req):$evt.x == 3"]);

function period(name: string, start: number, end: number, parent: PeriodEvent | null, captures: Record<string, number> = {}): PeriodEvent {
  const e = new PeriodEvent(start, name, parent);
  e.endTs = end;
  e.beginCaptures = new Map();
  e.endCaptures = new Map(Object.entries(captures));
  parent?.addChild(e);
  return e;
}

/** Requests begun in this order; the first one (a slow 503) ends last. */
function roots(): PeriodEvent[] {
  const slow = period("req", 0, 100, null, { status: 503 });
  period("db", 10, 90, slow);
  const fast = period("req", 5, 20, null, { status: 200 });
  period("io", 6, 8, fast);
  period("io", 9, 12, fast);
  const other = period("req", 30, 40, null, { status: 200 });
  period("db", 31, 33, other);
  return [slow, fast, other];
}

function aggregate(order: number[], groupBy: string | undefined): PeriodAggregation {
  const a = periodAggregator({
    hierarchy: true,
    collectHierarchy: false,
    groupBy: parseGroupBy(groupBy),
    aggregateBy: undefined,
    select: [],
    keep: () => true,
    descendants: (name) => definitionDescendants(periodDefs.named.get(name)),
  });
  const rs = roots();
  for (const i of order) a.add(rs[i]!, i);
  return a.result();
}

/** Keys in order, and every accumulator's values (sorted: only their order may differ). */
function shape(r: PeriodAggregation) {
  const stats = (m: PeriodAggregation["perPeriod"]) =>
    [...m].map(([name, s]) => [
      name,
      s.nrPeriods,
      [...s.children].map(([c, cs]) => [c, [...cs.durations].sort(), [...cs.counts].sort(), cs.parentCount.get(name)]),
    ]);
  return {
    perPeriod: stats(r.perPeriod),
    groups: [...r.perParentByGroup].map(([g, m]) => [g, stats(m)]),
    durations: [...r.durationsByGroup].map(([g, m]) => [g, [...m].map(([n, ds]) => [n, [...ds].sort()])]),
  };
}

describe("period aggregation in end order", () => {
  it("gives the maps and key order of begin order (names, groups)", () => {
    for (const groupBy of [undefined, "req.status"]) {
      const inOrder = shape(aggregate([0, 1, 2], groupBy));
      const asEnded = shape(aggregate([1, 2, 0], groupBy));
      expect(asEnded).toEqual(inOrder);
    }
    const r = shape(aggregate([1, 2, 0], "req.status"));
    // The first request (503, with a db child) comes first, though it ended last.
    expect(r.perPeriod.map((x) => x[0])).toEqual(["req", "db", "io"]);
    expect(r.groups.map((x) => x[0])).toEqual(["req.status = 503", "req.status = 200"]);
  });
});

describe("nested periods count once in every ancestor (lttng-analyses 0.6.1's counts only with its compat flag)", () => {
  // a ⊃ b ⊃ c ⊃ d, one of each: d lasts 1 ns, so the total of `d` in any ancestor is its count.
  const deep = PeriodDefinitions.fromArgs(["a:$evt.x == 1", "b(a):$evt.x == 2", "c(b):$evt.x == 3", "d(c):$evt.x == 4"]);
  function chain(groupBy: string | undefined, lttngAnalysesCounts: boolean): PeriodAggregation {
    const a = period("a", 0, 100, null, { k: 1 });
    const b = period("b", 10, 90, a);
    const c = period("c", 20, 80, b);
    period("d", 30, 31, c);
    const agg = periodAggregator({
      hierarchy: true,
      collectHierarchy: false,
      groupBy: parseGroupBy(groupBy),
      aggregateBy: undefined,
      select: [],
      keep: () => true,
      descendants: (name) => definitionDescendants(deep.named.get(name)),
      lttngAnalysesCounts,
    });
    agg.add(a, 0);
    return agg.result();
  }
  const dIn = (m: PeriodAggregation["perPeriod"], parent: string) => m.get(parent)!.children.get("d")!;

  it("one d in each of c, b and a (the true count)", () => {
    const r = chain(undefined, false);
    for (const p of ["c", "b", "a"]) expect([p, dIn(r.perPeriod, p).totalCount, dIn(r.perPeriod, p).total]).toEqual([p, 1, 1]);
    const g = chain("a.k", false).perParentByGroup.get("a.k = 1")!;
    for (const p of ["c", "b", "a"]) expect([p, dIn(g, p).totalCount]).toEqual([p, 1]);
  });

  it("--compat=lttng-analyses-0.6.1: d counted twice in a, three levels up, as lttng-analyses does", () => {
    const r = chain(undefined, true);
    expect(["c", "b", "a"].map((p) => dIn(r.perPeriod, p).totalCount)).toEqual([1, 1, 2]);
  });
});
