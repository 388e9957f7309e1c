/**
 * The latency history of the running server: one HistoryWriter (the detector subscribes to
 * its `onValue`), the live recorder, and the hourly roll-up of old 1 s buckets. Next may load
 * this module more than once (instrumentation and route bundles): the instance lives on
 * globalThis.
 */
import { config } from "../config";
import { db } from "../db";
import { liveHub } from "../live/hub";
import { moduleLogger } from "../log";
import { HistoryWriter } from "./history";
import { LiveRecorder } from "./recorder";
import { fineHours, rollUp } from "./retention";

const log = moduleLogger("spikes");

export interface LatencyService {
  writer: HistoryWriter;
  recorder: LiveRecorder;
}

const g = globalThis as unknown as { tracedeckLatency?: LatencyService; tracedeckLatencyRetention?: NodeJS.Timeout };

/** The process's latency history (created, not started, on first use). */
export function latencyService(): LatencyService {
  if (!g.tracedeckLatency) {
    const writer = new HistoryWriter(db(), {
      onError: (err) => log.warn({ err: err instanceof Error ? err.message : String(err) }, "latency history flush failed; retrying"),
    });
    const r = config().relayd;
    const recorder = new LiveRecorder(db(), writer, liveHub(), { relay: { host: r.host, port: r.livePort } });
    g.tracedeckLatency = { writer, recorder };
  }
  return g.tracedeckLatency;
}

/** The writer live values go through: subscribe with `historyWriter().onValue(...)`. */
export function historyWriter(): HistoryWriter {
  return latencyService().writer;
}

const HOUR_MS = 3_600_000;

export function startLatencyService(): void {
  const s = latencyService();
  s.writer.start();
  s.recorder.start();
  if (g.tracedeckLatencyRetention === undefined) {
    const run = () =>
      void rollUp(db(), Math.floor(Date.now() / 1000) - fineHours() * 3600)
        .then((r) => r.seconds > 0 && log.info(r, "latency history rolled up to 1 min"))
        .catch((err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, "latency roll-up failed"));
    g.tracedeckLatencyRetention = setInterval(run, HOUR_MS);
    g.tracedeckLatencyRetention.unref();
    run();
  }
}
