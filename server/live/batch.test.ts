/**
 * The worker → fan-out batch: every field value comes back as the decoder gave it (numbers,
 * -0, bigints of both signs up to 64 bits, ASCII and UTF-8 strings, arrays, nested
 * structs, empty scopes), times as babeltrace2 prints them, and the tables carry over
 * between batches of one worker.
 */
import { describe, expect, it } from "vitest";
import { compileMetadata, PacketCursor, type CompiledEvent, type FieldMap } from "../ctf/index";
import { formatTimeOfDay } from "../time";
import { BatchDecoder, BatchWriter } from "./batch";
import { epochNs } from "../time";

const counters = { events: 0, packets: 0, bytes: 0, discardedEvents: 0, lostPackets: 0, streams: 0, commands: 0 };

describe("live batches", () => {
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
    w.add(5, w.nameOf("app:req"), 1, 0b101, payload, context);
    w.add(-3, w.nameOf("app:other"), -1, 0, {}, {});
    const origin = 1_700_000_000_123_456_789n;
    const b = d.open(w.take(epochNs(origin), ["k0", "k1", "k2"], counters)!);
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
    w.add(7, w.nameOf("app:req"), 0, 0, { x: 1 }, {});
    const b2 = d.open(w.take(epochNs(origin), [], counters)!);
    expect(b2.event(0)).toMatchObject({ seq: 2, name: "app:req", payload: { x: 1 } });
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
      w.add(rec.ts, w.nameOf(rec.name), rec.cpu, 0, rec.payload as FieldMap, rec.context as FieldMap, cls),
    );
    const b = new BatchDecoder().open(w.take(epochNs(0n), [], counters)!);
    expect(b.length).toBe(3000);
    expect(b.event(2999).payload).toEqual({ a: 2999, s: "ok" });
    expect(b.event(0)).toMatchObject({ name: "ev", payload: { a: 0, s: "ok" }, context: {} });
  });
});
