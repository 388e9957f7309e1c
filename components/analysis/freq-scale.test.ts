import { describe, expect, it } from "vitest";
import { logBuckets, logCount } from "./freq-scale";

const linear = (lower: number, step: number, counts: number[]) =>
  counts.map((c, i) => ({ lower: lower + i * step, upper: lower + (i + 1) * step, counts: [c] }));

describe("logBuckets", () => {
  it("merges adjacent linear buckets into ones at least twice as wide, keeping every count", () => {
    // 1 ms steps from 1 ms: [1,2) [2,3) … [9,10)
    const b = linear(1, 1, [100, 50, 20, 10, 5, 3, 2, 1, 1]);
    const out = logBuckets(b);
    expect(out.map((x) => [x.lower, x.upper])).toEqual([
      [1, 2],
      [2, 4],
      [4, 8],
      [8, 10],
    ]);
    expect(out.map((x) => x.counts[0])).toEqual([100, 70, 20, 2]);
    expect(out.reduce((n, x) => n + x.counts[0]!, 0)).toBe(192);
  });

  it("keeps a bucket starting at zero alone and sums every series", () => {
    const b = [
      { lower: 0, upper: 3, counts: [5000, 1] },
      { lower: 3, upper: 6, counts: [0, 2] },
      { lower: 6, upper: 9, counts: [0, 3] },
      { lower: 9, upper: 12, counts: [1, 4] },
    ];
    expect(logBuckets(b)).toEqual([
      { lower: 0, upper: 3, counts: [5000, 1] },
      { lower: 3, upper: 6, counts: [0, 2] },
      { lower: 6, upper: 12, counts: [1, 7] },
    ]);
  });

  it("zero counts have no bar on a log axis", () => {
    expect(logCount(0)).toBeNull();
    expect(logCount(3)).toBe(3);
  });
});
