/**
 * The per-subscriber queue: bounded, never blocking the channel; a subscriber that falls
 * behind gets a uniform sample in time order and the count of what it missed.
 */
import { describe, expect, it } from "vitest";
import { compileLiveFilter } from "./filter";
import { Subscriber } from "./subscriber";
import type { LiveMessage, WireEvent } from "./wire";

let seq = 0;
const ev = (name: string, status = 200): WireEvent => ({ seq: seq++, tsNs: 1_000n + BigInt(seq), time: "", name, cpu: 0, payload: { status }, context: {} });
const events = (m: LiveMessage[]) => m.filter((x) => x.kind === "events") as Extract<LiveMessage, { kind: "events" }>[];

describe("live subscriber", () => {
  it("delivers what matches its filter, in order, all of it while it keeps up", async () => {
    const s = new Subscriber(compileLiveFilter({ names: ["app:end"], where: "$evt.status == 503" }), 100);
    s.offer([ev("app:begin"), ev("app:end", 503), ev("app:end", 200), ev("app:end", 503)]);
    const [batch] = events((await s.next())!);
    expect(batch!.events.map((e) => e.payload.status)).toEqual([503, 503]);
    expect(batch).toMatchObject({ skipped: 0, sampled: false });
    expect(s.stats).toEqual({ matched: 2, delivered: 2, skipped: 0 });
  });

  it("holds at most its capacity; past it, a sample in time order and how many were skipped", async () => {
    let r = 0;
    const s = new Subscriber(
      () => true,
      10,
      () => (r = (r * 9301 + 49297) % 233280) / 233280,
    );
    const all = Array.from({ length: 1000 }, () => ev("x"));
    s.offer(all.slice(0, 500));
    s.offer(all.slice(500));
    const [batch] = events((await s.next())!);
    expect(batch!.events).toHaveLength(10);
    expect(batch!.sampled).toBe(true);
    expect(batch!.skipped).toBe(990);
    const seqs = batch!.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // A uniform sample of 1000 reaches past the first 10 (a queue that kept the oldest would not).
    expect(Math.max(...seqs) - all[0]!.seq).toBeGreaterThan(100);
    expect(s.stats).toEqual({ matched: 1000, delivered: 10, skipped: 990 });
    // Caught up: the next batch is whole again.
    s.offer([ev("x"), ev("x")]);
    expect(events((await s.next())!)[0]).toMatchObject({ skipped: 0, sampled: false });
  });

  it("passes control messages first, keeps only the latest stats, and ends after close", async () => {
    const s = new Subscriber(() => true, 10);
    s.push({ kind: "status", state: "streaming", message: "x" });
    s.push({ kind: "stats", channel: {} as never, subscriber: { matched: 1, delivered: 0, skipped: 0 } });
    s.push({ kind: "stats", channel: {} as never, subscriber: { matched: 2, delivered: 0, skipped: 0 } });
    s.offer([ev("x")]);
    const m = (await s.next())!;
    expect(m.map((x) => x.kind)).toEqual(["status", "stats", "events"]);
    expect((m[1] as Extract<LiveMessage, { kind: "stats" }>).subscriber.matched).toBe(2);
    s.close();
    expect(await s.next()).toBeNull();
  });

  it("wakes a waiting reader when events arrive, and returns null when its signal aborts", async () => {
    const s = new Subscriber(() => true, 10);
    const waiting = s.next();
    s.offer([ev("x")]);
    expect(events((await waiting)!)).toHaveLength(1);
    const ac = new AbortController();
    const p = s.next(ac.signal);
    ac.abort();
    expect(await p).toBeNull();
  });
});
