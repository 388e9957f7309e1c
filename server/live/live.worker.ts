/**
 * Worker-thread entry (bundled to dist/workers/live.mjs): one LiveConsumer, decoding off
 * the web server's event loop. After every consumer round it posts the round's events as
 * one transferred buffer (server/shared/live-events.ts), with a bit per event for each subscriber filter the
 * hub asked for: filtering happens here, where the fields are already objects. Stops
 * (detaching from the relay) when told to or when the parent goes away.
 */
import { parentPort, workerData } from "node:worker_threads";
import { BatchWriter } from "../shared/live-events";
import { MAX_WORKER_FILTERS, type BatchMessage } from "./batch";
import { LiveConsumer, type Seek } from "./consumer";
import { LiveError } from "./errors";
import { prepareLiveFilter, type LiveFilter, type LiveFilterInput } from "./filter";
import type { LiveTarget } from "./target";
import type { WorkerMessage, WorkerRequest } from "./wire";
import { epochNs } from "../time";

const port = parentPort!;
const { target, seek, filters } = workerData as { target: LiveTarget; seek: Seek; filters: LiveFilterInput[] };
const post = (m: WorkerMessage, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);

interface WorkerFilter {
  f: LiveFilter;
  /** Name match per name id: 0 not known yet, 1 no, 2 yes. */
  byName: Uint8Array;
}

const writer = new BatchWriter();
/** The filter bits of the events in `writer`. */
let masks = new Uint32Array(1024);
let active: WorkerFilter[] = [];
let keys: string[] = [];
let pending: LiveFilterInput[] | undefined = filters;

function applyFilters(): void {
  if (!pending) return;
  active = pending.slice(0, MAX_WORKER_FILTERS).map((spec) => ({ f: prepareLiveFilter(spec), byName: new Uint8Array(64) }));
  keys = active.map((w) => w.f.key);
  pending = undefined;
}
applyFilters();

function maskOf(nameId: number, ev: Parameters<LiveFilter["test"]>[0]): number {
  let mask = 0;
  for (let b = 0; b < active.length; b++) {
    const w = active[b]!;
    if (nameId >= w.byName.length) {
      const grown = new Uint8Array(Math.max(nameId + 1, w.byName.length * 2));
      grown.set(w.byName);
      w.byName = grown;
    }
    let byName = w.byName[nameId]!;
    if (byName === 0) w.byName[nameId] = byName = w.f.name(ev.name) ? 2 : 1;
    if (byName === 2 && (w.f.where === undefined || w.f.where(ev))) mask |= 1 << b;
  }
  return mask;
}

const consumer = new LiveConsumer({
  target,
  seek,
  onAttached(info) {
    post({ type: "attached", hostname: info.hostname, liveTimerUs: info.liveTimerUs, relaySessions: info.relaySessions.length, relayMinor: info.relayMinor });
  },
  onEvent(ev) {
    const nameId = writer.nameOf(ev.name);
    const i = writer.length;
    if (i === masks.length) {
      const grown = new Uint32Array(i * 2);
      grown.set(masks);
      masks = grown;
    }
    masks[i] = active.length === 0 ? 0 : maskOf(nameId, ev);
    writer.add(ev.ts, nameId, ev.cpu, ev.payload, ev.context, ev.cls);
  },
  onDiscarded(note) {
    post({ type: "discarded", kind: note.kind, count: note.count, stream: note.stream });
  },
  onFlush() {
    const n = writer.length;
    const w = writer.take();
    if (w) {
      const mask = masks.slice(0, n).buffer;
      const m: BatchMessage = { type: "events", ...w, originNs: consumer.originNs ?? epochNs(0n), mask, filterKeys: keys, counters: { ...consumer.counters } };
      post(m, [m.buf, mask]);
    }
    // A new filter set applies from a batch boundary: every batch's bits mean its `filterKeys`.
    applyFilters();
  },
});

port.on("message", (m: WorkerRequest) => {
  if (m.type === "stop") consumer.stop();
  else if (m.type === "filters") {
    pending = m.filters;
    if (writer.length === 0) applyFilters();
  }
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
