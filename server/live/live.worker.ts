/**
 * Worker-thread entry (bundled to dist/workers/live.mjs): one LiveConsumer, decoding off
 * the web server's event loop. Posts a batch of events after every consumer round, and
 * stops (detaching from the relay) when told to or when the parent goes away.
 */
import { parentPort, workerData } from "node:worker_threads";
import { formatTimeOfDay, toEpochNs } from "../time";
import { LiveConsumer, type Seek } from "./consumer";
import { LiveError } from "./errors";
import type { LiveTarget } from "./target";
import type { WireEvent, WorkerMessage } from "./wire";

const port = parentPort!;
const { target, seek } = workerData as { target: LiveTarget; seek: Seek };
const post = (m: WorkerMessage) => port.postMessage(m);

let batch: WireEvent[] = [];
let seq = 0;
const consumer = new LiveConsumer({
  target,
  seek,
  onAttached(info) {
    post({ type: "attached", hostname: info.hostname, liveTimerUs: info.liveTimerUs, relaySessions: info.relaySessions.length, relayMinor: info.relayMinor });
  },
  onEvent(ev) {
    const tsNs = toEpochNs(consumer.originNs!, ev.ts);
    batch.push({ seq: seq++, tsNs, time: formatTimeOfDay(tsNs), name: ev.name, cpu: ev.cpu, payload: ev.payload, context: ev.context });
  },
  onDiscarded(note) {
    post({ type: "discarded", kind: note.kind, count: note.count, stream: note.stream });
  },
  onFlush() {
    if (batch.length === 0) return;
    post({ type: "events", events: batch, counters: { ...consumer.counters } });
    batch = [];
  },
});

port.on("message", (m: { type: string }) => {
  if (m.type === "stop") consumer.stop();
});

consumer.run().then(
  (end) => {
    post({ type: "end", reason: end.reason, counters: end.counters });
    port.close();
  },
  (e: unknown) => {
    post(
      e instanceof LiveError
        ? { type: "error", code: e.code, message: e.message }
        : { type: "error", code: "INTERNAL", message: e instanceof Error ? e.message : String(e) },
    );
    port.close();
  },
);
