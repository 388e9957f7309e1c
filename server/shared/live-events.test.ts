/**
 * The live events' columns, worker → fan-out → browser: every field value comes back as the
 * decoder gave it (numbers, -0, bigints of both signs up to 64 bits, ASCII and UTF-8
 * strings, arrays, nested structs, empty scopes), times as babeltrace2 prints them, the
 * tables carry over between batches of one worker, and a subscriber's pack (events of
 * several batches, of two workers) reads the same after the wire (base64 + JSON).
 */
import { describe, expect, it, vi } from "vitest";
import { compileMetadata, PacketCursor, type CompiledEvent, type FieldMap } from "../ctf/index";
import { BatchDecoder, serverTimeOfDay, type EventBatch } from "../live/batch";
import { epochNs, formatTimeOfDay } from "../time";
import { BatchWriter, LiveEvents, outputSuperjson, packEvents, WIRE_CHUNK_BYTES } from "./live-events";

const counters = { events: 0, packets: 0, bytes: 0, discardedEvents: 0, lostPackets: 0, streams: 0, commands: 0 };

/** What the worker posts for the writer's events, opened on the main thread. */
function open(d: BatchDecoder, w: BatchWriter, origin: bigint, masks: number[] = [], filterKeys: string[] = []): EventBatch {
  const n = w.length;
  const mask = Uint32Array.from({ length: n }, (_, i) => masks[i] ?? 0).buffer;
  return d.open({ type: "events", ...w.take()!, originNs: epochNs(origin), mask, filterKeys, counters });
}

/** Through superjson and JSON, as an SSE message. */
function overTheWire(e: LiveEvents): LiveEvents {
  return outputSuperjson.deserialize<{ e: LiveEvents }>(JSON.parse(JSON.stringify(outputSuperjson.serialize({ e })))).e;
}

describe("live events", () => {
  it("round-trips every kind of field value and the columns", () => {
    const w = new BatchWriter();
    const d = new BatchDecoder();
    const payload: FieldMap = {
      i: 42,
      neg: -7,
      big: 2 ** 40,
      f: 1.5,
      negZero: -0,
      u64: 18446744073709551615n,
      i64: -9223372036854775808n,
      s: "GET /api/items",
      u: "héllo ✓",
      empty: "",
      arr: [1, "two", [3n], null],
      nested: { a: { b: "c" }, n: 1 },
    };
    const context: FieldMap = { vpid: 1234, procname: "tracedeck-demo" };
    w.add(5, w.nameOf("app:req"), 1, payload, context);
    w.add(-3, w.nameOf("app:other"), -1, {}, {});
    const origin = 1_700_000_000_123_456_789n;
    const b = open(d, w, origin, [0b101, 0], ["k0", "k1", "k2"]);
    expect(b.length).toBe(2);
    const e = b.event(0);
    expect(e.payload).toEqual(payload);
    expect(Object.is(e.payload.negZero, -0)).toBe(true);
    expect(e.context).toEqual(context);
    expect(e).toMatchObject({ seq: 0, tsNs: origin + 5n, name: "app:req", cpu: 1, time: formatTimeOfDay(epochNs(origin + 5n)) });
    expect(b.event(0)).toBe(e); // built once, shared by every subscriber
    expect(b.event(1)).toMatchObject({
      seq: 1,
      tsNs: origin - 3n,
      name: "app:other",
      cpu: -1,
      payload: {},
      context: {},
      time: formatTimeOfDay(epochNs(origin - 3n)),
    });
    expect([b.matches(0, 0), b.matches(0, 1), b.matches(0, 2), b.matches(1, 0)]).toEqual([true, false, true, false]);
    expect(b.bitOf("k2")).toBe(2);
    expect(b.bitOf("other")).toBe(-1);

    // The next batch of the same worker reuses the name table and continues the sequence.
    w.add(7, w.nameOf("app:req"), 0, { x: 1 }, {});
    const b2 = open(d, w, origin);
    expect(b2.event(0)).toMatchObject({ seq: 2, name: "app:req", payload: { x: 1 } });

    // The whole batch, packed and sent: the same events, with the batch's own tables.
    const [whole, ...more] = b.all();
    expect(more).toEqual([]);
    const sent = overTheWire(whole!);
    expect([...sent]).toEqual([b.event(0), b.event(1)]);
    expect(sent.tables.names).toEqual(["app:req", "app:other"]);
  });

  it("packs a subscriber's share of several batches of two workers, and the wire keeps it", () => {
    const ctx = { vpid: 7 };
    const cls = {};
    const w1 = new BatchWriter();
    const d1 = new BatchDecoder();
    for (const n of ["a", "b", "c"]) w1.add(1, w1.nameOf(n), 0, { n }, ctx, cls);
    const b1 = open(d1, w1, 1_700_000_000_999_999_990n);
    // A second batch, 2 s later by its origin, and another worker's (a reconnect: other tables).
    w1.add(4, w1.nameOf("c"), 1, { n: "c2" }, ctx, cls);
    const b2 = open(d1, w1, 1_700_000_002_000_000_000n);
    const w2 = new BatchWriter();
    w2.add(0, w2.nameOf("z"), 1, { other: [1n, "x"] }, {});
    const b3 = open(new BatchDecoder(), w2, 1_700_000_003_000_000_000n);

    const places: [EventBatch, number][] = [
      [b1, 2],
      [b2, 0],
      [b3, 0],
    ];
    const packed = packEvents(
      places.length,
      (k) => places[k]![0].events,
      (k) => places[k]![1],
      serverTimeOfDay,
    );
    const want = places.map(([b, i]) => b.event(i));
    expect([...packed]).toEqual(want);
    // Only what the share uses: names c and z, the class's shapes once.
    expect(packed.tables).toEqual({ names: ["c", "z"], shapes: [["n"], ["vpid"]] });
    const sent = overTheWire(packed);
    expect([...sent]).toEqual(want);
    expect(sent.time(0)).toBe(formatTimeOfDay(epochNs(1_700_000_000_999_999_991n)));
    expect(sent.epochMs(1) - 1_700_000_002_000).toBeCloseTo(0.000004, 5);
    expect(sent.second(0)).toBe(1_700_000_000);
  });

  it("sends each event's time when it is before the epoch (the seconds table cannot say it)", () => {
    const w = new BatchWriter();
    w.add(0, w.nameOf("early"), 0, {}, {});
    w.add(2_000_000_000, w.nameOf("later"), 0, {}, {});
    const b = open(new BatchDecoder(), w, -1_500_000_000n);
    const sent = overTheWire(b.all()[0]!);
    expect([sent.time(0), sent.time(1)]).toEqual([formatTimeOfDay(epochNs(-1_500_000_000n)), formatTimeOfDay(epochNs(500_000_000n))]);
    expect([...sent].map((e) => e.tsNs)).toEqual([-1_500_000_000n, 500_000_000n]);
  });

  it("encodes a real event class by its shape and grows past its first capacity", () => {
    // A decoded UST-like event: the payload and context keys of a class are sent once.
    const trace = compileMetadata(`/* CTF 1.8 */
      typealias integer { size = 32; align = 8; signed = false; } := uint32_t;
      trace { major = 1; minor = 8; byte_order = le; packet.header := struct { uint32_t magic; uint32_t stream_id; }; };
      stream { id = 0; event.header := struct { uint32_t id; }; };
      event { name = "ev"; id = 0; stream_id = 0; fields := struct { uint32_t a; string s; }; };`);
    const pkt = Buffer.alloc(8 + 3000 * (4 + 4 + 3));
    let o = 0;
    pkt.writeUInt32LE(0xc1fc1fc1, o);
    o += 8;
    for (let i = 0; i < 3000; i++) {
      pkt.writeUInt32LE(0, o);
      pkt.writeUInt32LE(i, o + 4);
      pkt.write("ok\0", o + 8, "latin1");
      o += 11;
    }
    const w = new BatchWriter();
    new PacketCursor(trace, epochNs(0n)).decode(pkt, (rec, cls: CompiledEvent) =>
      w.add(rec.ts, w.nameOf(rec.name), rec.cpu, rec.payload as FieldMap, rec.context as FieldMap, cls),
    );
    const b = open(new BatchDecoder(), w, 0n);
    expect(b.length).toBe(3000);
    expect(b.event(2999).payload).toEqual({ a: 2999, s: "ok" });
    expect(b.event(0)).toMatchObject({ name: "ev", payload: { a: 0, s: "ok" }, context: {} });

    // On the wire: parts small enough to stay out of V8's large-object space, all in order.
    const parts = b.all();
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.buf.byteLength).toBeLessThanOrEqual(WIRE_CHUNK_BYTES);
    expect(parts.flatMap((p) => [...overTheWire(p)])).toEqual([...b.events]);
  });
});

describe("live events across module copies", () => {
  it("the output transformer carries events made by another bundle's copy of the module (the hub's)", async () => {
    vi.resetModules();
    const there = await import("./live-events");
    expect(there.LiveEvents).not.toBe(LiveEvents);
    const w = new there.BatchWriter();
    w.add(0, w.nameOf("x"), 0, { a: 1n }, {});
    const b = w.take()!;
    const made = new there.LiveEvents(b.buf, b.count, 1_700_000_000_000_000_000n, { names: b.names, shapes: b.shapes }, serverTimeOfDay);
    expect([...overTheWire(made)]).toEqual([...made]);
  });
});
