/**
 * Which pooled event object babeltrace2 2.0.4 decodes each event into, for reproducing its
 * stale empty strings (`--compat=babeltrace2-2.0.4`, see PrettyOptions.compat).
 *
 * babeltrace2 recycles event objects through a LIFO pool per event class; a string field
 * cleared for an empty value keeps the bytes of the last value written into that object.
 * Which object an event gets depends on how many events of its class are alive when it is
 * decoded, which its graph decides (`babeltrace2 TRACE`: src.ctf.fs → flt.utils.muxer →
 * [flt.lttng-utils.debug-info →] sink.text.pretty):
 *
 * - each src.ctf.fs stream iterator hands out up to 15 messages per call (MSG_BATCH_SIZE,
 *   lib/graph/iterator.c), decoding (allocating) them then;
 * - the muxer refills every upstream queue that is empty, in its array of active upstream
 *   iterators (an ended one is removed with g_ptr_array_remove_index_fast: the last takes
 *   its place), before each message it returns; it returns the youngest head (a message
 *   without a clock snapshot counts as the last returned time; ties by stream rank, as
 *   common_muxing_compare_messages orders them); it returns up to 15 per call;
 * - downstream releases those messages, in order, after the muxer's call returns.
 */
import { MessageType, type MessagePlan } from "../reader/trace-set";

const BATCH = 15;

/** Per stream (index of `plans`), per event in stream order: the pooled object's id within its class. */
export function babeltrace2EventObjects(plans: readonly MessagePlan[]): Int32Array[] {
  const objects = plans.map((p) => new Int32Array(p.types.reduce((n, t) => n + (t === MessageType.Event ? 1 : 0), 0)));
  const pulled = plans.map(() => 0); // next message to decode, per stream
  const head = plans.map(() => 0); // next message the muxer returns, per stream
  const events = plans.map(() => 0); // events decoded so far, per stream
  const alive: number[][] = plans.map(() => []); // objects of decoded, unreleased events, per stream in order
  const pools: number[][] = [];
  const created: number[] = [];
  const active = plans.map((_p, i) => i);
  let lastTs = -Infinity;
  const batch: [stream: number, msg: number][] = [];

  const pull = (s: number): void => {
    const p = plans[s]!;
    const end = Math.min(p.types.length, pulled[s]! + BATCH);
    for (let m = pulled[s]!; m < end; m++) {
      if (p.types[m] !== MessageType.Event) continue;
      const cls = p.classes[m]!;
      const pool = (pools[cls] ??= []);
      const obj = pool.length > 0 ? pool.pop()! : (created[cls] = (created[cls] ?? 0) + 1) - 1;
      objects[s]![events[s]!++] = obj;
      alive[s]!.push(obj);
    }
    pulled[s] = end;
  };

  for (;;) {
    batch.length = 0;
    while (batch.length < BATCH) {
      for (let i = 0; i < active.length; i++) {
        const s = active[i]!;
        if (head[s]! < pulled[s]!) continue;
        if (pulled[s]! >= plans[s]!.types.length) {
          // Upstream ended: removed as g_ptr_array_remove_index_fast does.
          active[i] = active[active.length - 1]!;
          active.pop();
          i--;
          continue;
        }
        pull(s);
      }
      if (active.length === 0) break;
      let best = -1;
      let bestTs = 0;
      for (const s of active) {
        const t0 = plans[s]!.times[head[s]!]!;
        const t = Number.isNaN(t0) ? lastTs : t0;
        if (best < 0 || t < bestTs || (t === bestTs && plans[s]!.rank < plans[best]!.rank)) {
          best = s;
          bestTs = t;
        }
      }
      batch.push([best, head[best]!++]);
      lastTs = bestTs;
    }
    if (batch.length === 0) break;
    for (const [s, m] of batch) {
      if (plans[s]!.types[m] !== MessageType.Event) continue;
      pools[plans[s]!.classes[m]!]!.push(alive[s]!.shift()!);
    }
  }
  return objects;
}
