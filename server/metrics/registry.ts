/**
 * Prometheus metrics (prom-client): latency per source (histogram), spikes and snapshots per
 * rule, archive bytes per kind (read from the index at scrape time). One registry per
 * process (on globalThis: Next may load this module more than once); tests make their own.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "../db";
import type { RecordedSpike } from "../spikes/actions";

/** 100 µs … 100 s, in 1-2.5-5 steps. */
const LATENCY_BUCKETS = [1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100];

export class TracedeckMetrics {
  readonly registry = new Registry();
  private readonly latency: Histogram<"source">;
  private readonly spikes: Counter<"rule" | "detection" | "outcome">;
  private readonly snapshots: Counter<"rule" | "detection">;

  constructor(db: Db) {
    this.latency = new Histogram({
      name: "tracedeck_latency_seconds",
      help: "Latency values of each latency source (live stream)",
      labelNames: ["source"],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.spikes = new Counter({
      name: "tracedeck_spikes_total",
      help: "Spikes detected, by rule, detection path and outcome (snapshot, failed, cooldown, hourly-limit)",
      labelNames: ["rule", "detection", "outcome"],
      registers: [this.registry],
    });
    this.snapshots = new Counter({
      name: "tracedeck_spike_snapshots_total",
      help: "Snapshots recorded for spikes",
      labelNames: ["rule", "detection"],
      registers: [this.registry],
    });
    new Gauge({
      name: "tracedeck_archive_bytes",
      help: "Bytes of the indexed archives that are on disk, by kind",
      labelNames: ["kind"],
      registers: [this.registry],
      async collect() {
        const rows = await db.archive.groupBy({ by: ["kind"], where: { state: { not: "missing" } }, _sum: { bytes: true } });
        this.reset();
        for (const r of rows) this.set({ kind: r.kind }, Number(r._sum.bytes ?? 0n));
      },
    });
    new Gauge({
      name: "tracedeck_archives",
      help: "Indexed archives on disk, by kind",
      labelNames: ["kind"],
      registers: [this.registry],
      async collect() {
        const rows = await db.archive.groupBy({ by: ["kind"], where: { state: { not: "missing" } }, _count: { _all: true } });
        this.reset();
        for (const r of rows) this.set({ kind: r.kind }, r._count._all);
      },
    });
  }

  /** HistoryWriter.onValue: one latency of a source. */
  readonly observeLatency = (sourceId: number, _tsNs: bigint, valueNs: number): void => {
    this.latency.observe({ source: String(sourceId) }, valueNs / 1e9);
  };

  spike(s: Pick<RecordedSpike, "ruleName" | "detection" | "outcome">): void {
    this.spikes.inc({ rule: s.ruleName, detection: s.detection, outcome: s.outcome });
    if (s.outcome === "snapshot") this.snapshots.inc({ rule: s.ruleName, detection: s.detection });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
