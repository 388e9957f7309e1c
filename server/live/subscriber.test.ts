/**
 * The per-subscriber queue: bounded, never blocking the channel; a subscriber that falls
 * behind gets a uniform sample in time order and the count of what it missed.
 */
import { describe, expect, it } from "vitest";
import { BatchWriter } from "../shared/live-events";
import { BatchDecoder, type EventBatch } from "./batch";
import { prepareLiveFilter, type LiveFilter } from "./filter";
import { Subscriber } from "./subscriber";
import type { LiveMessage } from "./wire";
import { epochNs } from "../time";

const everything = prepareLiveFilter({});
const writer = new BatchWriter();
const decoder = new BatchDecoder();
let ts = 0;
/** A batch as the worker builds it; `inWorker`: filters it evaluated (their mask bits). */
function batchOf(events: { name: string; status?: number }[], inWorker: LiveFilter[] = []): EventBatch {
  const mask = new Uint32Array(events.length);
  events.forEach((e, i) => {
    const payload = { status: e.status ?? 200 };
    mask[i] = inWorker.reduce((m, f, bit) => (f.test({ name: e.name, cpu: 0, payload, context: {} }) ? m | (1 << bit) : m), 0);
    writer.add(ts++, writer.nameOf(e.name), 0, payload, {});
  });
  const counters = { events: 0, packets: 0, bytes: 0, discardedEvents: 0, lostPackets: 0, streams: 0, commands: 0 };
  return decoder.open({ type: "events", ...writer.take()!, originNs: epochNs(1_000n), mask: mask.buffer, filterKeys: inWorker.map((f) => f.key), counters });
}
const xs = (n: number) => Array.from({ length: n }, () => ({ name: "x" }));
/** The events of one read (one message per wire-sized part), as one. */
function events(m: LiveMessage[]) {
  const parts = m.filter((x) => x.kind === "events") as Extract<LiveMessage, { kind: "events" }>[];
  if (parts.length === 0) return [];
  return [{ events: parts.flatMap((p) => [...p.events]), skipped: parts.reduce((a, p) => a + p.skipped, 0), sampled: parts[0]!.sampled }];
}

describe("live subscriber", () => {
  it("delivers what matches its filter, in order, all of it while it keeps up (filtered in the worker or here)", async () => {
    const f = prepareLiveFilter({ names: ["app:end"], where: "$evt.status == 503" });
    const input = [{ name: "app:begin" }, { name: "app:end", status: 503 }, { name: "app:end", status: 200 }, { name: "app:end", status: 503 }];
    for (const inWorker of [[f], []]) {
      const s = new Subscriber(f, 100);
      s.offer(batchOf(input, inWorker));
      const [b] = events((await s.next())!);
      expect(b!.events.map((e) => [e.name, e.payload.status])).toEqual([
        ["app:end", 503],
        ["app:end", 503],
      ]);
      expect(b).toMatchObject({ skipped: 0, sampled: false });
      expect(s.stats).toEqual({ matched: 2, delivered: 2, skipped: 0 });
    }
  });

  it("holds at most its capacity; past it, a sample in time order and how many were skipped", async () => {
    let r = 0;
    const s = new Subscriber(everything, 10, () => (r = (r * 9301 + 49297) % 233280) / 233280);
    // A reader that has read everything gets a batch whole: start with one under the capacity.
    const first = batchOf(xs(5));
    s.offer(first);
    s.offer(batchOf(xs(500)));
    s.offer(batchOf(xs(495)));
    const [batch] = events((await s.next())!);
    expect(batch!.events).toHaveLength(10);
    expect(batch!.sampled).toBe(true);
    expect(batch!.skipped).toBe(990);
    const seqs = batch!.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // A uniform sample of 1000 reaches past the first 10 (a queue that kept the oldest would not).
    expect(Math.max(...seqs) - first.events.seq(0)).toBeGreaterThan(100);
    expect(s.stats).toEqual({ matched: 1000, delivered: 10, skipped: 990 });
    // Caught up: the next batch is whole again.
    s.offer(batchOf(xs(2)));
    expect(events((await s.next())!)[0]).toMatchObject({ skipped: 0, sampled: false });
  });

  it("gives a reader that has read everything the next batch whole, past its capacity; an unread queue is sampled", async () => {
    const s = new Subscriber(everything, 100);
    s.offer(batchOf(xs(1000)));
    const [whole] = events((await s.next())!);
    expect(whole).toMatchObject({ skipped: 0, sampled: false });
    expect(whole!.events).toHaveLength(1000);
    s.offer(batchOf(xs(1000)));
    s.offer(batchOf(xs(1000))); // not read in between: held to the first batch's size, sampled
    const [sampled] = events((await s.next())!);
    expect(sampled!.events).toHaveLength(1000);
    expect(sampled).toMatchObject({ skipped: 1000, sampled: true });
    expect(s.stats).toEqual({ matched: 3000, delivered: 2000, skipped: 1000 });
  });

  it("passes control messages first, keeps only the latest stats, and ends after close", async () => {
    const s = new Subscriber(everything, 10);
    s.push({ kind: "status", state: "streaming", message: "x" });
    s.push({ kind: "stats", channel: {} as never, subscriber: { matched: 1, delivered: 0, skipped: 0 } });
    s.push({ kind: "stats", channel: {} as never, subscriber: { matched: 2, delivered: 0, skipped: 0 } });
    s.offer(batchOf(xs(1)));
    const m = (await s.next())!;
    expect(m.map((x) => x.kind)).toEqual(["status", "stats", "events"]);
    expect((m[1] as Extract<LiveMessage, { kind: "stats" }>).subscriber.matched).toBe(2);
    s.close();
    expect(await s.next()).toBeNull();
  });

  it("wakes a waiting reader when events arrive, and returns null when its signal aborts", async () => {
    const s = new Subscriber(everything, 10);
    const waiting = s.next();
    s.offer(batchOf(xs(1)));
    expect(events((await waiting)!)).toHaveLength(1);
    const ac = new AbortController();
    const p = s.next(ac.signal);
    ac.abort();
    expect(await p).toBeNull();
  });
});
