import { describe, expect, it } from "vitest";
import { TopByDesc, topByDesc } from "./top";

/** Deterministic pseudo-random integers (few distinct values: many ties). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

describe("topByDesc", () => {
  it("equals a stable descending sort cut at the limit, ties in input order", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed);
      const n = r() % 60;
      const xs = Array.from({ length: n }, (_, i) => ({ i, d: (r() % 7) * 1000 - 2000 }));
      for (const limit of [0, 1, 3, 10, n - 1, n, n + 5, -2]) {
        const want = [...xs].sort((a, b) => b.d - a.d).slice(0, limit);
        expect(topByDesc(xs, (x) => x.d, limit).map((x) => x.i)).toEqual(want.map((x) => x.i));
      }
    }
  });

  it("gives the same rows fed one item at a time (TopByDesc)", () => {
    for (let seed = 1; seed <= 100; seed++) {
      const r = rng(seed);
      const n = r() % 60;
      const xs = Array.from({ length: n }, (_, i) => ({ i, d: (r() % 7) * 1000 - 2000 }));
      for (const limit of [0, 1, 3, 10, n, n + 5]) {
        const top = new TopByDesc<{ i: number; d: number }>(limit);
        for (const x of xs) top.add(x, x.d);
        expect(top.items.map((x) => x.i)).toEqual(topByDesc(xs, (x) => x.d, limit).map((x) => x.i));
      }
    }
  });

  it("does not reorder its input", () => {
    const xs = [3, 1, 2, 5, 4];
    expect(topByDesc(xs, (x) => x, 2)).toEqual([5, 4]);
    expect(xs).toEqual([3, 1, 2, 5, 4]);
  });
});
