import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openTraceSet, type TraceItem } from "../index";
import { compileMetadata, PacketCursor } from "../packet-api";
import { installSkipDecoders } from "./skip";
import { TRACES } from "../../testing/shared";
import { epochNs } from "../../time";

// The readable real traces (kernel and user space, rotation, both byte orders).
const dirs = ["bt-lttng-modules-2.0.0-ref", "bt-multi-domains-kernel", "bt-tracefile-rotation", "tc-flipping-endianness", "tc-many-threads", "tc-scp-src"];

/** Every item as a comparable line; payload and context only when `full`. */
function lines(dir: string, events?: (name: string) => boolean): { items: string[]; payloads: Map<number, string>; counters: unknown } {
  const set = openTraceSet([join(TRACES, dir)], events ? { events } : {});
  const items: string[] = [];
  const payloads = new Map<number, string>();
  const fmt = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x));
  set.forEach((it: TraceItem) => {
    if (it.kind === "event") {
      items.push(`${it.ts} ${it.cpu} ${it.trace} ${it.name}`);
      payloads.set(items.length - 1, fmt([it.payload, it.context]));
    } else items.push(fmt(it));
  });
  const counters = set.counters;
  set.close();
  return { items, payloads, counters };
}

// Half the classes (by name), deterministically: both halves hold strings, sequences, arrays.
const half = (name: string) => [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 2 === 0;

describe("OpenOptions.events (skipped event classes)", () => {
  it.each(dirs)("%s: same items, times and counters; wanted events decoded in full, skipped ones empty", (dir) => {
    const full = lines(dir);
    const some = lines(dir, half);
    expect(some.items).toEqual(full.items);
    expect(some.counters).toEqual(full.counters);
    let skipped = 0;
    let kept = 0;
    some.items.forEach((line, i) => {
      const p = some.payloads.get(i);
      if (p === undefined) return;
      const name = line.split(" ").slice(3).join(" ");
      if (half(name)) {
        kept++;
        expect(p).toBe(full.payloads.get(i));
      } else {
        skipped++;
        expect(p).toBe("[{},{}]");
      }
    });
    expect(kept + skipped).toBe(full.payloads.size);
    const none = lines(dir, () => false);
    expect(none.items).toEqual(full.items);
    expect(none.counters).toEqual(full.counters);
  });

  it("skips every class of the kernel trace (strings, text arrays, fixed arrays)", () => {
    const full = lines("tc-many-threads");
    const none = lines("tc-many-threads", () => false);
    expect(full.items.some((l) => l.endsWith(" syscall_entry_open"))).toBe(true);
    expect(full.items.some((l) => l.endsWith(" syscall_entry_unknown"))).toBe(true);
    expect(none.items).toEqual(full.items);
    expect([...none.payloads.values()].every((p) => p === "[{},{}]")).toBe(true);
  });
});

// Hand-built packets: every field kind a skip decoder has to size (strings, text and
// integer sequences, variants, a length inside a nested struct), then an event decoded in full.
const SKIP_METADATA = `/* CTF 1.8 */
typealias integer { size = 8; align = 8; signed = false; } := uint8_t;
typealias integer { size = 16; align = 8; signed = false; } := uint16_t;
typealias integer { size = 32; align = 8; signed = false; } := uint32_t;
typealias integer { size = 64; align = 8; signed = false; } := uint64_t;
trace { major = 1; minor = 8; byte_order = le; packet.header := struct { uint32_t magic; uint32_t stream_id; }; };
clock { name = "monotonic"; freq = 1000000000; offset_s = 0; };
typealias integer { size = 64; align = 8; signed = false; map = clock.monotonic.value; } := uint64_clock_monotonic_t;
stream {
  id = 0;
  event.header := struct { uint32_t id; uint64_clock_monotonic_t timestamp; };
  packet.context := struct { uint64_clock_monotonic_t timestamp_begin; uint64_clock_monotonic_t timestamp_end; uint64_t content_size; uint64_t packet_size; uint32_t cpu_id; };
  event.context := struct { string _tag; };
};
event {
  name = "s:dyn"; id = 0; stream_id = 0;
  fields := struct {
    enum : uint8_t { INT = 0, STR = 1 } _sel;
    uint8_t _n;
    uint16_t _vals[ _n ];
    integer { size = 8; align = 8; signed = 0; encoding = UTF8; } _txt[ _n ];
    variant <_sel> { uint32_t INT; string STR; } _v;
    struct { uint8_t _len; string _s; } _inner;
    uint32_t _tail[ event.fields._inner._len ];
    struct { uint8_t _a; uint16_t _b; } _pairs[ _n ];
  };
};
event { name = "s:last"; id = 1; stream_id = 0; fields := struct { uint32_t _x; }; };
`;

function skipPacket(): Buffer {
  const b: number[] = [];
  const u = (v: number | bigint, bytes: number) => {
    for (let i = 0; i < bytes; i++) b.push(Number((BigInt(v) >> BigInt(8 * i)) & 0xffn));
  };
  const s = (x: string) => b.push(...Buffer.from(x + "\0"));
  u(0xc1fc1fc1, 4);
  u(0, 4);
  u(100, 8);
  u(900, 8);
  const sizes = b.length;
  u(0, 8);
  u(0, 8);
  u(2, 4);
  const dyn = (ts: number, sel: number) => {
    u(0, 4);
    u(ts, 8);
    s("ctx");
    u(sel, 1);
    u(3, 1);
    u(1, 2);
    u(2, 2);
    u(3, 2);
    b.push(...Buffer.from("ab\0"));
    if (sel === 0) u(77, 4);
    else s("variant string");
    u(2, 1);
    s("inner");
    u(5, 4);
    u(6, 4);
    for (let i = 0; i < 3; i++) {
      u(i, 1);
      u(i * 10, 2);
    }
  };
  dyn(200, 0);
  dyn(300, 1);
  u(1, 4);
  u(400, 8);
  s("last");
  u(42, 4);
  const content = b.length * 8;
  while (b.length % 64) b.push(0);
  const buf = Buffer.from(b);
  buf.writeBigUInt64LE(BigInt(content), sizes);
  buf.writeBigUInt64LE(BigInt(buf.length * 8), sizes + 8);
  return buf;
}

describe("skip decoders on a hand-built packet", () => {
  const decode = (skip: boolean) => {
    const trace = compileMetadata(SKIP_METADATA);
    if (skip) installSkipDecoders(trace, (n) => n === "s:last");
    const got: { name: string; ts: number; payload: unknown; context: unknown }[] = [];
    new PacketCursor(trace, epochNs(0n)).decode(skipPacket(), (r) => got.push({ name: r.name, ts: r.ts, payload: r.payload, context: r.context }));
    return got;
  };

  it("moves past sequences, variants, strings and nested lengths exactly as the full decoder", () => {
    const full = decode(false);
    expect(full.map((e) => e.payload)).toEqual([
      {
        sel: 0,
        n: 3,
        vals: [1, 2, 3],
        txt: "ab",
        v: 77,
        inner: { len: 2, s: "inner" },
        tail: [5, 6],
        pairs: [
          { a: 0, b: 0 },
          { a: 1, b: 10 },
          { a: 2, b: 20 },
        ],
      },
      {
        sel: 1,
        n: 3,
        vals: [1, 2, 3],
        txt: "ab",
        v: "variant string",
        inner: { len: 2, s: "inner" },
        tail: [5, 6],
        pairs: [
          { a: 0, b: 0 },
          { a: 1, b: 10 },
          { a: 2, b: 20 },
        ],
      },
      { x: 42 },
    ]);
    const skipped = decode(true);
    expect(skipped.map((e) => [e.name, e.ts])).toEqual(full.map((e) => [e.name, e.ts]));
    expect(skipped.map((e) => [e.payload, e.context])).toEqual([
      [{}, {}],
      [{}, {}],
      [{ x: 42 }, { tag: "last" }],
    ]);
  });
});
