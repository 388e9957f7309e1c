/**
 * A stored trace (or archive) into one source's per-second buckets. Pure computation over
 * the CTF reader: it runs in the analysis worker pool (ingest.worker via runner.ts), and the
 * caller stores the buckets (history.ts replaceBuckets).
 */
import { openTraceSet } from "../ctf";
import { toEpochNs } from "../time";
import { SecondBuckets, secondOf, type StoredBucket } from "./history";
import { compileSource, type LatencySource } from "./sources";

export interface IngestProgress {
  events: number;
  /** 0..1 of the trace's time span. */
  fraction: number;
}

export interface IngestResult {
  buckets: StoredBucket[];
  /** Epoch seconds the trace covers (first and last event), null when it has no events. */
  fromSec: number | null;
  toSec: number | null;
  values: number;
  events: number;
  /** Open periods given up (ends never seen). */
  dropped: number;
}

export interface IngestHooks {
  onProgress?: (p: IngestProgress) => void;
  signal?: AbortSignal;
}

const PROGRESS_EVERY = 262_144;

export function ingestTrace(paths: string[], source: LatencySource, hooks: IngestHooks = {}): IngestResult {
  const probe = compileSource(source);
  const names = probe.eventNames;
  const set = openTraceSet(paths, names === null ? {} : { events: (n) => names.has(n) });
  try {
    const kernel = set.traces.find((t) => t.domain === "kernel");
    const x = compileSource(source, { enumLabels: (n) => set.enumLabels(n), tracerVersion: kernel?.tracerVersion ?? null });
    const origin = set.originNs;
    const begin = set.beginTs;
    const span = Math.max(1, set.endTs - begin);
    // Seconds from the origin's whole second: one bigint per trace, numbers per value.
    const originSec = secondOf(origin);
    const originFrac = Number(origin - BigInt(originSec) * 1_000_000_000n);
    const buckets = new SecondBuckets();
    let values = 0;
    let events = 0;
    let first: number | null = null;
    let last: number | null = null;
    let countdown = PROGRESS_EVERY;
    set.forEach((item) => {
      if (item.kind !== "event") return;
      events++;
      if (first === null) first = item.ts;
      last = item.ts;
      for (let v = x.push(item); v !== undefined; v = x.next()) {
        buckets.add(originSec + Math.floor((v.tsNs + originFrac) / 1e9), v.valueNs);
        values++;
      }
      if (--countdown === 0) {
        countdown = PROGRESS_EVERY;
        if (hooks.signal?.aborted === true) {
          const e = new Error("Ingest cancelled");
          e.name = "AbortError";
          throw e;
        }
        hooks.onProgress?.({ events, fraction: Math.min(1, (item.ts - begin) / span) });
      }
    });
    return {
      buckets: buckets.toStored(),
      fromSec: first === null ? null : secondOf(toEpochNs(origin, first)),
      toSec: last === null ? null : secondOf(toEpochNs(origin, last)),
      values,
      events,
      dropped: x.dropped,
    };
  } finally {
    set.close();
  }
}
