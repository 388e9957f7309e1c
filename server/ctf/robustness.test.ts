/**
 * Damaged traces: each kind of damage ends in a typed CtfError naming the file and the byte
 * offset (or the metadata line), after the events that could be decoded.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CtfError, openTraceSet } from "./index";
import { metadataTextFromBytes } from "./metadata";
import { TRACES } from "../testing/shared";

const SRC = join(TRACES, "tc-flipping-endianness/kernel");
const STREAM = "channel-context-switches_0";
const root = mkdtempSync(join(tmpdir(), "tracedeck-ctf-robust-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A private copy of the big-endian trace (14,310 events, 2 packets of 256 KiB / 64 KiB). */
function copy(): string {
  const d = join(root, `t${n++}`);
  cpSync(SRC, d, { recursive: true });
  return d;
}

function readAll(dir: string): { events: number; error: unknown } {
  let events = 0;
  try {
    const set = openTraceSet([dir]);
    set.forEach((it) => {
      if (it.kind === "event") events++;
    });
    set.close();
    return { events, error: undefined };
  } catch (e) {
    return { events, error: e };
  }
}

describe("damaged traces give typed errors with file and offset", () => {
  it("the intact copy reads all 14,310 events", () => {
    expect(readAll(copy())).toEqual({ events: 14310, error: undefined });
  });

  it("a truncated stream file: events of the whole first packet, then 'truncated' at the cut packet's offset", () => {
    const d = copy();
    truncateSync(join(d, STREAM), 262144 + 1000);
    const r = readAll(d);
    expect(r.error).toBeInstanceOf(CtfError);
    const e = r.error as CtfError;
    expect(e.code).toBe("truncated");
    expect(e.file).toBe(join(d, STREAM));
    expect(e.offsetBytes).toBe(262144);
    expect(r.events).toBeGreaterThan(10000);
    expect(e.message).toMatch(/file=.*channel-context-switches_0, offset=262144/);
  });

  it("a wrong packet magic in the second packet: 'bad-packet' at that packet's offset, after the first packet's events", () => {
    const d = copy();
    const f = join(d, STREAM);
    const b = readFileSync(f);
    b.writeUInt32BE(0xdeadbeef, 262144);
    writeFileSync(f, b);
    const r = readAll(d);
    const e = r.error as CtfError;
    expect(e.code).toBe("bad-packet");
    expect(e.message).toMatch(/Bad packet magic 0xdeadbeef/);
    expect(e.offsetBytes).toBe(262144);
    expect(r.events).toBeGreaterThan(10000);
  });

  it("a huge declared packet size fails without allocating it", () => {
    const d = copy();
    const f = join(d, STREAM);
    const b = readFileSync(f);
    // Packet header: magic(4) uuid(16) stream_id(4); context: ts_begin(8) ts_end(8) content_size(8) packet_size(8).
    b.writeBigUInt64BE(1n << 60n, 24 + 24);
    writeFileSync(f, b);
    const before = process.memoryUsage().rss;
    const r = readAll(d);
    const e = r.error as CtfError;
    expect(e).toBeInstanceOf(CtfError);
    expect(["bad-packet", "truncated"]).toContain(e.code);
    expect(e.file).toBe(f);
    expect(e.offsetBytes).toBe(0);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it("a corrupt event id: 'bad-event' naming the unknown class at that event's offset", () => {
    const d = copy();
    const f = join(d, STREAM);
    const b = readFileSync(f);
    // The first event header follows the 24-byte packet header and 40-byte context, at 64.
    // All ones: compact id 31 selects the extended header (aligned to 64 bits), whose 32-bit
    // id (bytes 72-75) becomes 0xFFFFFFFF, an id no event class has.
    b.fill(0xff, 64, 76);
    writeFileSync(f, b);
    const r = readAll(d);
    expect(r.error).toBeInstanceOf(CtfError);
    const e = r.error as CtfError;
    expect(e.code).toBe("bad-event");
    expect(e.message).toMatch(/Unknown event class id 4294967295 in stream class 0/);
    expect(e.file).toBe(f);
    // Reported after the header (id and 64-bit timestamp) was read: inside the first event.
    expect(e.offsetBytes).toBeGreaterThanOrEqual(64);
    expect(e.offsetBytes).toBeLessThanOrEqual(88);
    expect(r.events).toBe(0);
  });

  it("a zero-length stream file is skipped, as babeltrace2 does; a zero-length metadata is an error", () => {
    const d = copy();
    writeFileSync(join(d, "empty_0"), "");
    expect(readAll(d)).toEqual({ events: 14310, error: undefined });
    writeFileSync(join(d, "metadata"), "");
    const e = readAll(d).error as CtfError;
    expect(e.code).toBe("not-a-trace");
    expect(e.file).toBe(join(d, "metadata"));
    expect(e.message).toMatch(/Metadata is empty/);
  });

  it("a TSDL syntax error points to the metadata line and column", () => {
    const d = copy();
    const text = metadataTextFromBytes(readFileSync(join(d, "metadata"))).text;
    const lines = text.split("\n");
    const k = lines.findIndex((l) => l.includes("uint32_t stream_id;"));
    lines[k] = lines[k]!.replace("stream_id;", "stream_id }");
    writeFileSync(join(d, "metadata"), lines.join("\n"));
    const e = readAll(d).error as CtfError;
    expect(e.code).toBe("metadata-syntax");
    expect(e.file).toBe(join(d, "metadata"));
    expect(e.line).toBe(k + 1);
    expect(e.column).toBe(lines[k]!.indexOf("}") + 1);
  });

  it("a metadata packet with a wrong magic is rejected with its offset", () => {
    const d = copy();
    const f = join(d, "metadata");
    const b = readFileSync(f);
    b.writeUInt32LE(0x12345678, 4096);
    writeFileSync(f, b);
    const e = readAll(d).error as CtfError;
    expect(e.code).toBe("bad-packet");
    expect(e.file).toBe(f);
    expect(e.offsetBytes).toBe(4096);
  });
});
