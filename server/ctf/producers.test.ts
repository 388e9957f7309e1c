/**
 * Traces from other CTF 1.8 producers than LTTng, reduced to small synthetic traces of the
 * layouts that once went wrong (issue 10), each compared with babeltrace2 2.0.4 (the oracle)
 * or checked for a clear refusal: a 48-bit clock-mapped event timestamp with packets that
 * carry no timestamp_begin/end (DPDK's tracer), an absurd clock offset, equal timestamps in
 * several streams and traces (babeltrace2's muxer tie-break), and CTF 2 metadata.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CtfError, openTraceSet } from "./index";
import { le, packet, TSDL_TYPES, u16, u32, u48, u64, writeTrace } from "./testing/synth";

const CLI = join(process.cwd(), "dist/tracedeck.mjs");
const root = mkdtempSync(join(tmpdir(), "tracedeck-ctf-producers-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env: { ...process.env, TZ: "UTC" }, maxBuffer: 1 << 26, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : -1) : 0;
      if (err && code === -1) return reject(err);
      resolve({ code, stdout, stderr });
    });
  });
}
const tracedeck = (args: string[]) => run(process.execPath, [CLI, ...args]);
const babeltrace2 = (args: string[]) => run("babeltrace2", args);

const CTF_MAGIC = 0xc1fc1fc1;

/** `tracedeck print` and `babeltrace2` on the same input: same exit status, same bytes. */
async function expectSameAsBabeltrace2(path: string): Promise<string[]> {
  const [ours, ref] = await Promise.all([tracedeck(["print", path]), babeltrace2([path])]);
  expect(ref.code, ref.stderr).toBe(0);
  expect(ours.code, ours.stderr).toBe(0);
  expect(ours.stdout.split("\n")).toEqual(ref.stdout.split("\n"));
  return ours.stdout.split("\n").slice(0, -1);
}

describe("a 48-bit clock-mapped event timestamp, packets without timestamp_begin/end, many streams (DPDK)", () => {
  // A TSC-like clock (2.5 GHz). Each stream's clock starts at 0 and is set by the 48-bit
  // timestamps alone: nothing may carry over from another stream.
  const metadata = `${TSDL_TYPES}
typealias integer { size = 48; align = 8; signed = false; map = clock.tsc.value; } := uint48_clock_tsc_t;
trace { major = 1; minor = 8; byte_order = le; packet.header := struct { uint32_t magic; uint32_t stream_id; }; };
env { hostname = "dpdk-host"; };
clock { name = "tsc"; freq = 2500000000; offset_s = 1700000000; offset = 0; };
stream {
  id = 0;
  packet.context := struct { uint64_t content_size; uint64_t packet_size; uint32_t cpu_id; };
  event.header := struct { uint16_t id; uint48_clock_tsc_t timestamp; };
};
event { name = "lcore:work"; id = 0; stream_id = 0; fields := struct { uint32_t seq; }; };
`;
  const TOP = 2n ** 48n;

  /** One stream: two packets, timestamps from `start` by `step` cycles (wrapping at 2^48). */
  function stream(cpu: number, start: bigint, step: bigint, n: number): Buffer {
    const packets: Buffer[] = [];
    let t = start;
    for (let p = 0; p < 2; p++) {
      const events: Buffer[] = [];
      for (let i = 0; i < n; i++) {
        events.push(le([u16(0), u48(t % TOP), u32(p * n + i)]));
        t += step;
      }
      packets.push(packet([u32(CTF_MAGIC), u32(0)], [u64(0), u64(0), u32(cpu)], events, { content: 0, packet: 1 }));
    }
    return Buffer.concat(packets);
  }

  it("prints every stream at its own time, as babeltrace2 does (high and low 48-bit values, one stream wrapping)", async () => {
    const streams: Record<string, Buffer> = {};
    // Streams whose first values are high (near 2^48) beside low ones; stream 5 wraps past 2^48.
    const starts = [TOP - 5_000_000n, 1_000_000n, TOP - 9_000_000n, 2_500_000n, TOP / 2n, TOP - 40_000n];
    starts.forEach((s, cpu) => (streams[`channel0_${cpu}`] = stream(cpu, s, 25_000n, 6)));
    const dir = writeTrace(join(root, "dpdk"), metadata, streams);
    const lines = await expectSameAsBabeltrace2(dir);
    expect(lines).toHaveLength(6 * 12);
    // Each stream's times are its own cycles since 0 (+ the offset): no stream is shifted.
    const set = openTraceSet([dir]);
    try {
      const firstNs = new Map<number, bigint>();
      set.forEach((item, src) => {
        if (item.kind === "event" && !firstNs.has(item.cpu)) firstNs.set(item.cpu, src.epochNs());
      });
      starts.forEach((s, cpu) => expect([cpu, firstNs.get(cpu)]).toEqual([cpu, 1_700_000_000_000_000_000n + (s * 1_000_000_000n) / 2_500_000_000n]));
    } finally {
      set.close();
    }
  });
});

describe("a clock offset too large for 64-bit nanoseconds", () => {
  it("is a typed error naming the clock, never a NaN time (babeltrace2 refuses too)", async () => {
    const dir = writeTrace(
      join(root, "absurd-offset"),
      `${TSDL_TYPES}
typealias integer { size = 64; align = 8; signed = false; map = clock.weird.value; } := uint64_clock_t;
trace { major = 1; minor = 8; byte_order = le; packet.header := struct { uint32_t magic; }; };
clock { name = "weird"; freq = 1000000000; offset_s = 1350000000000000000; };
stream { event.header := struct { uint16_t id; uint64_clock_t timestamp; }; };
event { name = "e"; id = 0; fields := struct { uint32_t x; }; };
`,
      { stream_0: packet([u32(CTF_MAGIC)], [], [le([u16(0), u64(1000), u32(7)])]) },
    );
    const ref = await babeltrace2([dir]);
    expect(ref.code).not.toBe(0);
    expect(ref.stderr).toMatch(/overflows the\s+signed 64-bit integer range/);
    expect(ref.stderr).toMatch(/cs-clock-class-name="weird"/);
    for (const cmd of ["print", "stats"]) {
      const ours = await tracedeck([cmd, dir]);
      expect(ours.code).toBe(1);
      expect(ours.stdout).not.toMatch(/NaN/);
      expect(ours.stderr).toMatch(/Clock 'weird' cannot be converted to nanoseconds since the epoch: its offset .* does not fit in 64 bits/);
      expect(ours.stderr).toContain(`file=${join(dir, "metadata")}`);
    }
    expect(() => openTraceSet([dir])).toThrow(CtfError);
  });
});

describe("events with equal timestamps in several streams and traces", () => {
  // As an OTF2 conversion writes them: streams named 0, 1 and global_def, no
  // stream_instance_id, two stream classes, and every instant shared by all streams.
  const metadata = (uuid: string | null) => `${TSDL_TYPES}
typealias integer { size = 64; align = 8; signed = false; map = clock.c.value; } := uint64_clock_t;
trace { major = 1; minor = 8; byte_order = le; ${uuid === null ? "" : `uuid = "${uuid}";`}
  packet.header := struct { uint32_t magic; uint32_t stream_id; }; };
clock { name = "c"; freq = 1000000000; offset_s = 1600000000; };
stream { id = 0; packet.context := struct { uint64_clock_t timestamp_begin; uint64_clock_t timestamp_end; };
  event.header := struct { uint16_t id; uint64_clock_t timestamp; }; };
stream { id = 1; packet.context := struct { uint64_clock_t timestamp_begin; uint64_clock_t timestamp_end; };
  event.header := struct { uint16_t id; uint64_clock_t timestamp; }; };
event { name = "enter"; id = 0; stream_id = 0; fields := struct { uint32_t loc; }; };
event { name = "leave"; id = 1; stream_id = 0; fields := struct { uint32_t loc; }; };
event { name = "def"; id = 0; stream_id = 1; fields := struct { uint32_t ref; }; };
`;
  function stream(classId: number, tag: number, times: number[]): Buffer {
    const events = times.map((t, i) => le([u16(classId === 0 ? i % 2 : 0), u64(t), u32(tag * 100 + i)]));
    return packet([u32(CTF_MAGIC), u32(classId)], [u64(times[0]!), u64(times.at(-1)!)], events);
  }
  const times = [1000, 1000, 2000, 2000, 2000, 3000];
  const files = () => ({ "0": stream(0, 0, times), "1": stream(0, 1, times), global_def: stream(1, 2, times) });

  it("one trace: babeltrace2's order (stream class id, then stream id given in file name order)", async () => {
    const dir = writeTrace(join(root, "otf2", "trace"), metadata("2a6422d0-6cee-11e0-8c08-cb07d7b3a564"), files());
    const lines = await expectSameAsBabeltrace2(dir);
    expect(lines).toHaveLength(18);
  });

  it("two traces (one without a UUID) and an unnamed-file stream: trace UUID, then trace name, then the stream keys", async () => {
    const session = join(root, "otf2-session");
    writeTrace(join(session, "b-with-uuid"), metadata("2a6422d0-6cee-11e0-8c08-cb07d7b3a564"), files());
    writeTrace(join(session, "a-without-uuid"), metadata(null), files());
    writeTrace(join(session, "c-other-uuid"), metadata("0a6422d0-6cee-11e0-8c08-cb07d7b3a564"), { "0": stream(0, 5, times) });
    const lines = await expectSameAsBabeltrace2(session);
    expect(lines).toHaveLength(18 * 2 + 6);
  });
});

describe("CTF 2 metadata (a JSON text sequence)", () => {
  it("is refused with a clear 'not supported yet', naming LTTng 2.14's --trace-format=ctf-2", async () => {
    const dir = join(root, "ctf2");
    writeTrace(dir, "", {});
    writeFileSync(join(dir, "metadata"), '\x1e{"type":"preamble","version":2}\n\x1e{"type":"trace-class"}\n');
    for (const cmd of ["print", "stats"]) {
      const ours = await tracedeck([cmd, dir]);
      expect(ours.code).toBe(1);
      expect(ours.stderr).toMatch(/CTF 2 traces \(LTTng 2\.14\+ --trace-format=ctf-2\) are not supported yet/);
      expect(ours.stderr).not.toMatch(/Unexpected character/);
    }
    let err: unknown;
    try {
      openTraceSet([dir]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CtfError);
    expect((err as CtfError).code).toBe("unsupported");
    expect((err as CtfError).file).toBe(join(dir, "metadata"));
  });
});
