/**
 * The generated decoders on hand-built packets: every layout LTTng can emit (bit-fields in
 * both byte orders, mixed byte order, 64-bit values past 2^53, floats, enums, strings, text
 * arrays, sequences and variants with relative and absolute paths) and the timestamp
 * extension of compact headers across wraps. The packet-level API is the entry point.
 */
import { describe, expect, it } from "vitest";
import { compileMetadata, PacketCursor } from "../packet-api";
import { join } from "node:path";
import { readMetadataFile } from "../metadata";
import { CompiledTrace, type MutableEvent } from "./packet";
import { TRACES } from "../../testing/shared";
import { epochNs } from "../../time";

/** Writes CTF bit layouts (LE: LSB first; BE: MSB first) into a growing buffer. */
class BitWriter {
  private bytes: number[] = [];
  pos = 0;
  align(bits: number): this {
    while (this.pos % bits) this.bit(0, "le");
    return this;
  }
  private bit(b: number, order: "le" | "be"): void {
    const i = this.pos >> 3;
    while (this.bytes.length <= i) this.bytes.push(0);
    const k = this.pos & 7;
    if (b) this.bytes[i]! |= order === "le" ? 1 << k : 0x80 >> k;
    this.pos++;
  }
  int(v: bigint | number, size: number, order: "le" | "be" = "le", align = size % 8 === 0 ? 8 : 1): this {
    this.align(align);
    const u = BigInt.asUintN(size, BigInt(v));
    if (order === "le" && size % 8 === 0 && this.pos % 8 === 0) {
      for (let i = 0; i < size / 8; i++) this.int8(Number((u >> BigInt(8 * i)) & 0xffn));
      return this;
    }
    if (order === "be" && size % 8 === 0 && this.pos % 8 === 0) {
      for (let i = size / 8 - 1; i >= 0; i--) this.int8(Number((u >> BigInt(8 * i)) & 0xffn));
      return this;
    }
    for (let i = 0; i < size; i++) {
      const bitIndex = order === "le" ? i : size - 1 - i;
      this.bit(Number((u >> BigInt(bitIndex)) & 1n), order);
    }
    return this;
  }
  private int8(v: number): void {
    const i = this.pos >> 3;
    while (this.bytes.length <= i) this.bytes.push(0);
    this.bytes[i] = v;
    this.pos += 8;
  }
  f64(v: number): this {
    this.align(8);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    for (const x of b) this.int8(x);
    return this;
  }
  f32be(v: number): this {
    this.align(8);
    const b = Buffer.alloc(4);
    b.writeFloatBE(v);
    for (const x of b) this.int8(x);
    return this;
  }
  str(s: string): this {
    this.align(8);
    for (const x of Buffer.from(s + "\0", "utf8")) this.int8(x);
    return this;
  }
  get bitLength(): number {
    return this.pos;
  }
  buffer(totalBytes: number): Buffer {
    const b = Buffer.alloc(totalBytes);
    Buffer.from(this.bytes).copy(b);
    return b;
  }
  patch64(byteOffset: number, v: number, into: Buffer): void {
    into.writeBigUInt64LE(BigInt(v), byteOffset);
  }
}

const METADATA = `/* CTF 1.8 */
typealias integer { size = 8; align = 8; signed = false; } := uint8_t;
typealias integer { size = 16; align = 8; signed = false; } := uint16_t;
typealias integer { size = 32; align = 8; signed = false; } := uint32_t;
typealias integer { size = 64; align = 8; signed = false; } := uint64_t;
typealias integer { size = 64; align = 8; signed = false; } := unsigned long;
typealias integer { size = 5; align = 1; signed = false; } := uint5_t;
typealias integer { size = 27; align = 1; signed = false; } := uint27_t;

trace {
  major = 1; minor = 8;
  uuid = "2a6422d0-6cee-11e0-8c08-cb07d7b3a564";
  byte_order = le;
  packet.header := struct { uint32_t magic; uint8_t uuid[16]; uint32_t stream_id; };
};
env { hostname = "box"; domain = "ust"; tracer_major = 2; tracer_minor = 13; tracer_patchlevel = 9; };
clock { name = "monotonic"; freq = 1000000000; offset_s = 1700000000; offset = 500; };
typealias integer { size = 27; align = 1; signed = false; map = clock.monotonic.value; } := uint27_clock_monotonic_t;
typealias integer { size = 64; align = 8; signed = false; map = clock.monotonic.value; } := uint64_clock_monotonic_t;

struct packet_context {
  uint64_clock_monotonic_t timestamp_begin;
  uint64_clock_monotonic_t timestamp_end;
  uint64_t content_size;
  uint64_t packet_size;
  uint64_t packet_seq_num;
  unsigned long events_discarded;
  uint32_t cpu_id;
};

struct event_header_compact {
  enum : uint5_t { compact = 0 ... 30, extended = 31 } id;
  variant <id> {
    struct { uint27_clock_monotonic_t timestamp; } compact;
    struct { uint32_t id; uint64_clock_monotonic_t timestamp; } extended;
  } v;
} align(8);

stream {
  id = 0;
  event.header := struct event_header_compact;
  packet.context := struct packet_context;
  event.context := struct { integer { size = 32; align = 8; signed = 1; } _vtid; };
};

event {
  name = "t:bits";
  id = 0;
  stream_id = 0;
  loglevel = 13;
  fields := struct {
    integer { size = 3; align = 1; signed = false; } _a;
    integer { size = 7; align = 1; signed = true; } _b;
    integer { size = 12; align = 8; signed = false; byte_order = be; } _c;
    integer { size = 4; align = 1; signed = true; byte_order = be; } _c2;
    integer { size = 16; align = 8; signed = false; byte_order = be; base = 16; } _port;
    integer { size = 64; align = 8; signed = false; } _big;
    integer { size = 64; align = 8; signed = true; } _neg;
    floating_point { exp_dig = 11; mant_dig = 53; align = 8; } _d;
    floating_point { exp_dig = 8; mant_dig = 24; align = 8; byte_order = be; } _f;
  };
};

event {
  name = "t:dyn";
  id = 1;
  stream_id = 0;
  context := struct { string _tag; };
  fields := struct {
    enum : uint8_t { INT = 0, STR = 1, RANGE = 10 ... 20 } _sel;
    uint8_t _n;
    integer { size = 8; align = 8; signed = 0; encoding = UTF8; } _name[8];
    integer { size = 16; align = 8; signed = 0; } _vals[ _n ];
    variant <_sel> { uint32_t INT; string STR; struct { uint8_t x; uint8_t y; } RANGE; } _v;
    struct { uint8_t _len; integer { size = 8; align = 8; signed = 0; encoding = UTF8; } _txt[ event.fields._n ]; } _inner;
    variant <stream.event.context._vtid_sel> { uint8_t never; } _unused_if_absent[0];
  };
};
`;

function packet(events: ((w: BitWriter) => void)[], opts: { begin: number; end: number; seq: number; discarded: number; cpu: number }): Buffer {
  const w = new BitWriter();
  w.int(0xc1fc1fc1, 32);
  for (const x of "2a6422d06cee11e08c08cb07d7b3a564".match(/../g)!) w.int(parseInt(x, 16), 8);
  w.int(0, 32);
  w.int(opts.begin, 64).int(opts.end, 64);
  const sizesAt = w.bitLength / 8;
  w.int(0, 64).int(0, 64).int(opts.seq, 64).int(opts.discarded, 64).int(opts.cpu, 32);
  for (const e of events) e(w);
  const content = w.bitLength;
  const total = Math.ceil(content / 8 / 64) * 64;
  const buf = w.buffer(total);
  buf.writeBigUInt64LE(BigInt(content), sizesAt);
  buf.writeBigUInt64LE(BigInt(total * 8), sizesAt + 8);
  return buf;
}

const compact = (id: number, ts27: number) => (w: BitWriter) => w.align(8).int(id, 5, "le", 1).int(ts27, 27, "le", 1);
const extended = (id: number, ts: number) => (w: BitWriter) => w.align(8).int(31, 5, "le", 1).int(id, 32).int(ts, 64);

describe("generated decoders on hand-built packets", () => {
  const trace = compileMetadata(METADATA.replace(/\n\s*variant <stream\.event\.context\._vtid_sel>.*\n/, "\n"));

  it("bit-fields in both byte orders, 64-bit beyond 2^53 as bigint, negative 64-bit, floats", () => {
    const buf = packet(
      [
        (w) => {
          compact(0, 1000)(w);
          w.int(-7, 32); // vtid
          w.int(5, 3, "le", 1)
            .int(-3, 7, "le", 1)
            .int(0xabc, 12, "be", 8)
            .int(-2, 4, "be", 1)
            .int(0x1f90, 16, "be")
            .int(2n ** 60n + 3n, 64)
            .int(-5n, 64)
            .f64(1.5)
            .f32be(-0.25);
        },
      ],
      { begin: 900, end: 5000, seq: 0, discarded: 0, cpu: 3 },
    );
    const got: MutableEvent[] = [];
    const info = new PacketCursor(trace, epochNs(1700000000000000000n)).decode(buf, (r) => got.push({ ...r }));
    expect(info.cpu).toBe(3);
    expect(got).toHaveLength(1);
    expect(got[0]!.name).toBe("t:bits");
    expect(got[0]!.context).toEqual({ vtid: -7 });
    expect(got[0]!.payload).toEqual({ a: 5, b: -3, c: 0xabc, c2: -2, port: 0x1f90, big: 2n ** 60n + 3n, neg: -5, d: 1.5, f: -0.25 });
    // offset_s * 1e9 + offset (500) + clock value (1000) relative to the origin given
    expect(got[0]!.ts).toBe(1500);
    expect(got[0]!.cpu).toBe(3);
  });

  it("enums, text arrays, sequences by relative and absolute path, and variants select by label range", () => {
    const ev = (sel: number, opt: (w: BitWriter) => void) => (w: BitWriter) => {
      extended(1, 2000)(w);
      w.int(1, 32).str("ctx");
      w.int(sel, 8).int(2, 8);
      for (const c of Buffer.from("abc\0zzzz")) w.int(c, 8);
      w.int(7, 16).int(65535, 16);
      opt(w);
      w.int(9, 8);
      for (const c of Buffer.from("hi")) w.int(c, 8);
    };
    const buf = packet([ev(0, (w) => w.int(77, 32)), ev(1, (w) => w.str("s")), ev(15, (w) => w.int(1, 8).int(2, 8))], {
      begin: 1500,
      end: 5000,
      seq: 0,
      discarded: 0,
      cpu: 0,
    });
    const got: MutableEvent[] = [];
    new PacketCursor(trace, epochNs(1700000000000000000n)).decode(buf, (r) => got.push({ ...r }));
    expect(got.map((g) => g.payload)).toEqual([
      { sel: 0, n: 2, name: "abc", vals: [7, 65535], v: 77, inner: { len: 9, txt: "hi" } },
      { sel: 1, n: 2, name: "abc", vals: [7, 65535], v: "s", inner: { len: 9, txt: "hi" } },
      { sel: 15, n: 2, name: "abc", vals: [7, 65535], v: { x: 1, y: 2 }, inner: { len: 9, txt: "hi" } },
    ]);
    expect(got[0]!.context).toEqual({ vtid: 1, tag: "ctx" });
  });

  it("extends 27-bit compact timestamps across wraps (babeltrace2's rule)", () => {
    const M = 2 ** 27;
    const begin = 5 * M + (M - 100); // just before a wrap of the low 27 bits
    const buf = packet(
      [
        (w) => {
          compact(0, M - 50)(w);
          w.int(0, 32).int(0, 3, "le", 1).int(0, 7, "le", 1).int(0, 12, "be", 8).int(0, 4, "be", 1).int(0, 16, "be").int(0, 64).int(0, 64).f64(0).f32be(0);
        },
        (w) => {
          compact(0, 20)(w); // wrapped: +2^27
          w.int(0, 32).int(0, 3, "le", 1).int(0, 7, "le", 1).int(0, 12, "be", 8).int(0, 4, "be", 1).int(0, 16, "be").int(0, 64).int(0, 64).f64(0).f32be(0);
        },
      ],
      { begin, end: begin + 1000, seq: 0, discarded: 0, cpu: 0 },
    );
    const ts: number[] = [];
    new PacketCursor(trace, epochNs(1700000000000000500n + BigInt(begin))).decode(buf, (r) => ts.push(r.ts));
    expect(ts).toEqual([50, 100 + 20]);
  });

  it("an unknown event id is a typed error with the packet offset", () => {
    const buf = packet([compact(9, 10)], { begin: 0, end: 10, seq: 0, discarded: 0, cpu: 0 });
    expect(() => new PacketCursor(trace, epochNs(0n), 0, "live-stream-7").decode(buf, () => undefined)).toThrow(
      /Unknown event class id 9 .*file=live-stream-7, offset=/,
    );
  });

  it("a path that does not resolve is a typed metadata error when the class is first decoded", () => {
    const broken = compileMetadata(METADATA);
    const buf = packet([extended(1, 1)], { begin: 0, end: 10, seq: 0, discarded: 0, cpu: 0 });
    expect(() => new PacketCursor(broken, epochNs(0n)).decode(buf, () => undefined)).toThrow(/Cannot resolve .*stream\.event\.context\._vtid_sel/);
  });
});

describe("decoders shared by event classes of identical layout", () => {
  it("tc-many-threads' syscall exits that only carry `ret` share one function; other layouts do not", () => {
    const trace = new CompiledTrace(readMetadataFile(join(TRACES, "tc-many-threads/kernel/metadata")));
    const byName = new Map(trace.eventList.map((e) => [e.name, e]));
    const fields = (n: string) =>
      byName
        .get(n)!
        .cls.fields?.fields.map((f) => f.name)
        .join(",");
    expect(fields("syscall_exit_close")).toBe("ret");
    expect(fields("syscall_exit_fsync")).toBe("ret");
    expect(byName.get("syscall_exit_close")!.decoder()).toBe(byName.get("syscall_exit_fsync")!.decoder());
    // Same layout, different field names: the payload keys differ, so the code does too.
    expect(fields("syscall_entry_close")).toBe("fd");
    expect(byName.get("syscall_entry_close")!.decoder()).not.toBe(byName.get("syscall_exit_close")!.decoder());
    // Over the whole metadata: fewer functions than classes, and sharing never mixes layouts.
    const owners = new Map<unknown, string>();
    for (const e of trace.eventList) {
      const fn = e.decoder();
      const sig = `${fields(e.name)}|${JSON.stringify(e.cls.fields)}`;
      const prev = owners.get(fn);
      if (prev !== undefined) expect(sig).toBe(prev);
      else owners.set(fn, sig);
    }
    expect(owners.size).toBeLessThan(trace.eventList.length / 2);
  });
});
