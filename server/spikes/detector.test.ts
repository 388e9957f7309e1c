import { describe, expect, it } from "vitest";
import { SpikeDetector, type SpikeDecision } from "./detector";
import type { StoredRule } from "./rules";

function rule(over: Partial<StoredRule> = {}): StoredRule {
  return {
    id: 1,
    name: "slow",
    enabled: true,
    sourceId: 7,
    detection: "live",
    threshold: { kind: "absolute", ns: 50_000_000 },
    snapshotSession: "snap",
    other: { action: "none" },
    cooldownMs: 5_000,
    maxPerHour: 60,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...over,
  };
}

describe("SpikeDetector", () => {
  it("reports values over the threshold of their source only, with the limiter's verdict", () => {
    let now = 0;
    const seen: SpikeDecision[] = [];
    const d = new SpikeDetector({ onSpike: (s) => seen.push(s), now: () => now });
    d.setRules([rule()]);
    d.observe(7, 1n, 10_000_000);
    d.observe(8, 2n, 90_000_000); // another source
    d.observe(7, 3n, 50_000_000); // equal is not over
    d.observe(7, 4n, 60_000_000);
    now = 1_000;
    d.observe(7, 5n, 61_000_000);
    now = 5_000;
    d.observe(7, 6n, 62_000_000);
    expect(seen.map((s) => [s.tsNs, s.valueNs, s.thresholdNs, s.verdict])).toEqual([
      [4n, 60_000_000, 50_000_000, "act"],
      [5n, 61_000_000, 50_000_000, "cooldown"],
      [6n, 62_000_000, 50_000_000, "act"],
    ]);
  });

  it("ignores disabled and trigger-path rules; keeps a rule's cooldown across setRules", () => {
    const seen: SpikeDecision[] = [];
    const d = new SpikeDetector({ onSpike: (s) => seen.push(s), now: () => 0 });
    d.setRules([rule({ id: 1, enabled: false }), rule({ id: 2, detection: "trigger" })]);
    d.observe(7, 1n, 99_000_000);
    expect(seen).toEqual([]);
    expect(d.watchedSources()).toEqual([]);
    d.setRules([rule({ id: 3 })]);
    d.observe(7, 2n, 99_000_000);
    d.setRules([rule({ id: 3, name: "renamed" })]);
    d.observe(7, 3n, 99_000_000);
    expect(seen.map((s) => [s.rule.name, s.verdict])).toEqual([
      ["slow", "act"],
      ["renamed", "cooldown"],
    ]);
  });

  it("a relative threshold is factor × the source's rolling p99, and waits for a baseline", () => {
    let p99: number | null = null;
    const seen: SpikeDecision[] = [];
    const d = new SpikeDetector({
      onSpike: (s) => seen.push(s),
      now: () => 0,
      baseline: { p99Ns: (source, windowMin) => (source === 7 && windowMin === 10 ? p99 : null) },
    });
    d.setRules([rule({ threshold: { kind: "p99", factor: 3, windowMin: 10 } })]);
    d.observe(7, 1n, 1e12);
    expect(seen).toEqual([]);
    p99 = 2_000_000; // threshold 6 ms
    d.observe(7, 2n, 5_999_999);
    d.observe(7, 3n, 6_000_001);
    expect(seen.map((s) => [s.tsNs, s.thresholdNs])).toEqual([[3n, 6_000_000]]);
  });
});
