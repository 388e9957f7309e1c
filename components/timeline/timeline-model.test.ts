import { describe, expect, it } from "vitest";
import {
  chartPoints,
  isFollowing,
  panned,
  parseThreshold,
  parseTimeRef,
  formatTimeRef,
  stateFromParams,
  stateToQuery,
  withWindow,
  zoomed,
} from "./timeline-model";

describe("timeline URL state", () => {
  it("round-trips a shareable link", () => {
    const q = "sources=3%2C1&from=now-1h&to=now&refresh=10s&threshold=50ms";
    const s = stateFromParams(new URLSearchParams(q));
    expect(s.sources).toEqual([3, 1]);
    expect(isFollowing(s)).toBe(true);
    expect(s.threshold).toBe(50e6);
    expect(stateToQuery(s)).toBe(q);
    const fixed = withWindow(s, 1_765_000_000_000_000_000n, 1_765_000_300_000_000_000n);
    expect(isFollowing(fixed)).toBe(false);
    expect(stateFromParams(new URLSearchParams(stateToQuery(fixed)))).toEqual(fixed);
  });

  it("falls back to defaults on anything malformed, bounded", () => {
    const s = stateFromParams({
      sources: "1,x,1,-2,0," + Array.from({ length: 20 }, (_, i) => i + 2).join(","),
      from: "yesterday",
      to: "now-5q",
      refresh: "1ms",
      threshold: "fast",
    });
    expect(s.sources).toHaveLength(8);
    expect(formatTimeRef(s.from)).toBe("now-5m");
    expect(formatTimeRef(s.to)).toBe("now");
    expect(s.refresh).toBe("5s");
    expect(s.threshold).toBeNull();
    // A reversed absolute window is not drawn.
    expect(formatTimeRef(stateFromParams({ from: "20", to: "10" }).from)).toBe("now-5m");
  });

  it("parses times and thresholds", () => {
    expect(parseTimeRef("now-24h")).toEqual({ kind: "rel", agoNs: 86_400_000_000_000n });
    expect(formatTimeRef({ kind: "rel", agoNs: 90_000_000_000n })).toBe("now-90s");
    expect(parseThreshold("1.5s")).toBe(1.5e9);
    expect(parseThreshold("200us")).toBe(200e3);
    expect(parseThreshold("-1ms")).toBeNull();
  });
});

describe("zoom and pan", () => {
  it("pans by a fraction and zooms around the middle", () => {
    expect(panned(100n, 200n, -0.5)).toEqual([50n, 150n]);
    expect(zoomed(0n, 10_000_000_000n, 2)).toEqual([-5_000_000_000n, 15_000_000_000n]);
  });
});

describe("chartPoints", () => {
  it("converts to ms and leaves a gap where an interval had no values", () => {
    const p = (s: number) => ({ tNs: BigInt(s) * 1_000_000_000n, count: 1, min: 1e6, max: 3e6, p50: 2e6, p90: 2e6, p99: 3e6 });
    const out = chartPoints([p(10), p(11), p(14)], 1_000_000_000n);
    expect(out.map((x) => x.t)).toEqual([10_000, 11_000, 12_000, 14_000]);
    expect(out[0]).toMatchObject({ min: 1, max: 3, minMax: [1, 3], p50p99: [2, 3] });
    expect("count" in out[2]!).toBe(false);
  });
});
