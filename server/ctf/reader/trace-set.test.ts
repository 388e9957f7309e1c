import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openTraceSet, type TraceItem } from "../index";
import { TRACES } from "../../testing/shared";

const tmp = mkdtempSync(join(tmpdir(), "tracedeck-ctf-set-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function all(paths: string[]): TraceItem[] {
  const set = openTraceSet(paths);
  const out = [...set];
  set.close();
  return out;
}

describe("openTraceSet", () => {
  it("describes each trace (domain, hostname, env, tracer version) and its time span", () => {
    const set = openTraceSet([join(TRACES, "tc-many-threads")]);
    expect(set.traces).toHaveLength(1);
    expect(set.traces[0]).toMatchObject({
      path: join(TRACES, "tc-many-threads/kernel"),
      domain: "kernel",
      hostname: "wilbrod",
      tracerVersion: { major: 2, minor: 8, patch: 0 },
    });
    expect(set.traces[0]!.env.kernel_release).toBe("4.4.3-1-ARCH");
    const items = [...set];
    const first = items[0]!;
    const last = items[items.length - 1]!;
    // 2016-03-04 17:46:22.794565804 UTC, the first event babeltrace2 prints
    expect(set.originNs + BigInt(first.kind === "event" ? first.ts : 0)).toBe(1457113582794565804n);
    expect(set.beginTs).toBeLessThanOrEqual(first.kind === "event" ? first.ts : 0);
    expect(set.endTs).toBeGreaterThanOrEqual(last.kind === "event" ? last.ts : 0);
    expect(set.counters).toMatchObject({ events: 240644, discardedEvents: 0, lostPackets: 0 });
    set.close();
  });

  it("yields events in time order across the 8 CPU streams, the iterator and forEach alike", () => {
    const it1 = all([join(TRACES, "tc-many-threads")]);
    const set = openTraceSet([join(TRACES, "tc-many-threads")]);
    const it2: string[] = [];
    set.forEach((e) => {
      if (e.kind === "event") it2.push(`${e.ts} ${e.cpu} ${e.name}`);
    });
    expect(it2).toEqual(it1.map((e) => (e.kind === "event" ? `${e.ts} ${e.cpu} ${e.name}` : "")));
    let prev = -Infinity;
    for (const e of it1) {
      expect(e.kind === "event" && e.ts >= prev).toBe(true);
      prev = e.kind === "event" ? e.ts : prev;
    }
    expect(new Set(it1.map((e) => (e.kind === "event" ? e.cpu : -1)))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
  });

  it("reports discarded events in the iteration (count, time range, stream) and as counters", () => {
    const set = openTraceSet([join(TRACES, "bt-multi-domains-kernel")]);
    const items = [...set];
    const disc = items.filter((i) => i.kind === "discarded");
    expect(disc).toHaveLength(1);
    expect(disc[0]).toMatchObject({ kind: "discarded", count: 728, cpu: 0, trace: 0, stream: join(TRACES, "bt-multi-domains-kernel/kernel/kernel_channel_0") });
    const d = disc[0]!;
    // babeltrace2: "between [19:16:02.352676346] and [19:16:33.426663981]"
    expect(set.originNs + BigInt(d.beginTs)).toBe(1565032562352676346n);
    expect(set.originNs + BigInt(d.endTs)).toBe(1565032593426663981n);
    expect(items.filter((i) => i.kind === "event")).toHaveLength(272);
    expect(set.counters.discardedEvents).toBe(728);
  });

  it("reports lost packets from a packet_seq_num gap", () => {
    const dir = join(tmp, "lost/kernel");
    mkdirSync(dir, { recursive: true });
    cpSync(join(TRACES, "tc-many-threads/kernel/metadata"), join(dir, "metadata"));
    // channel0_0 holds packets of 262144 bytes: drop the second one (no index: offsets change).
    const data = readFileSync(join(TRACES, "tc-many-threads/kernel/channel0_0"));
    writeFileSync(join(dir, "channel0_0"), Buffer.concat([data.subarray(0, 262144), data.subarray(2 * 262144)]));
    const set = openTraceSet([join(tmp, "lost")]);
    const lost = [...set].filter((i) => i.kind === "lost-packets");
    expect(lost).toEqual([expect.objectContaining({ kind: "lost-packets", count: 1, cpu: 0, stream: join(dir, "channel0_0") })]);
    expect(lost[0]!.endTs).toBeGreaterThan(lost[0]!.beginTs);
    expect(set.counters.lostPackets).toBe(1);
  });

  it("reads rotated stream files (chan_cpu_N) as one stream per CPU", () => {
    const items = all([join(TRACES, "bt-tracefile-rotation")]);
    expect(items.filter((i) => i.kind === "event")).toHaveLength(12305);
  });

  it("opens a session directory holding several traces (found by their metadata) as one time-ordered set", () => {
    const session = join(tmp, "session");
    cpSync(join(TRACES, "tc-flipping-endianness/kernel"), join(session, "kernel"), { recursive: true });
    cpSync(join(TRACES, "bt-tracefile-rotation/kernel"), join(session, "ust/uid/0/64-bit"), { recursive: true });
    const set = openTraceSet([session]);
    expect(set.traces.map((t) => t.path)).toEqual([join(session, "kernel"), join(session, "ust/uid/0/64-bit")]);
    const items = [...set];
    expect(items.filter((i) => i.kind === "event")).toHaveLength(14310 + 12305);
    expect(new Set(items.map((i) => i.trace))).toEqual(new Set([0, 1]));
    // 2014 (flipping-endianness) comes before 2019 (rotation): the origin is the earliest.
    expect(set.originNs).toBeLessThan(1500000000000000000n);
    let prev = -Infinity;
    for (const i of items) {
      if (i.kind !== "event") continue;
      expect(i.ts).toBeGreaterThanOrEqual(prev);
      prev = i.ts;
    }
  });

  it("seeks to a timestamp through the packet index, then continues in order", () => {
    const everything = all([join(TRACES, "tc-many-threads")]).filter((i) => i.kind === "event");
    const target = everything[150000]!.ts;
    const set = openTraceSet([join(TRACES, "tc-many-threads")]);
    set.seek(target);
    const after = [...set].filter((i) => i.kind === "event");
    const expected = everything.filter((e) => e.ts >= target);
    expect(after.length).toBe(expected.length);
    expect(after.slice(0, 50).map((e) => e.ts)).toEqual(expected.slice(0, 50).map((e) => e.ts));
    set.seek(0);
    expect([...set].filter((i) => i.kind === "event").length).toBe(everything.length);
  });

  it("seeks without an index too (packet headers are scanned)", () => {
    const t = join(TRACES, "tc-flipping-endianness");
    const everything = all([t]).filter((i) => i.kind === "event");
    const target = everything[9000]!.ts;
    const set = openTraceSet([t]);
    set.seek(target);
    const after = [...set].filter((i) => i.kind === "event");
    expect(after.map((e) => e.ts)).toEqual(everything.filter((e) => e.ts >= target).map((e) => e.ts));
    expect(set.endTs).toBeGreaterThanOrEqual(everything[everything.length - 1]!.ts);
  });

  it("skips decoding the classes a consumer does not read (OpenOptions.events), without losing events or order", () => {
    for (const t of ["tc-many-threads", "bt-multi-domains-kernel"]) {
      const full = all([join(TRACES, t)]);
      const set = openTraceSet([join(TRACES, t)], { events: (n) => n === "sched_switch" });
      const part = [...set];
      expect(part.map((i) => (i.kind === "event" ? `${i.ts} ${i.name}` : i.kind))).toEqual(
        full.map((i) => (i.kind === "event" ? `${i.ts} ${i.name}` : i.kind)),
      );
      part.forEach((i, k) => {
        if (i.kind !== "event") return;
        const f = full[k]!;
        if (i.name === "sched_switch") expect(i.payload).toEqual(f.kind === "event" && f.payload);
        else expect(i.payload).toEqual({});
      });
    }
  });

  it("gives each data file's packet span (fileSpans), from the index or, without one, from packet headers", () => {
    const set = openTraceSet([join(TRACES, "bt-tracefile-rotation")]);
    const spans = set.fileSpans();
    set.close();
    expect(spans).toHaveLength(11);
    const abs = (ts: number) => set.originNs + BigInt(ts);
    const f00 = spans.find((s) => s.path.endsWith("/mychan_0_0"))!;
    const f01 = spans.find((s) => s.path.endsWith("/mychan_0_1"))!;
    // Clock offset 1571238431155326264 + index/mychan_0_0.idx: begin 23364300660525, end 23365366626724.
    expect([abs(f00.span![0]), abs(f00.span![1])]).toEqual([1571261795455986789n, 1571261796521952988n]);
    // The rotated files of one CPU follow each other.
    expect(f01.span![0]).toBe(f00.span![1]);
    expect(Math.min(...spans.map((s) => s.span![0]))).toBe(set.beginTs);
    expect(Math.max(...spans.map((s) => s.span![1]))).toBe(set.endTs);
    // Without the index: the same spans from the packet headers.
    const copy = join(tmp, "noindex/kernel");
    cpSync(join(TRACES, "bt-tracefile-rotation/kernel"), copy, { recursive: true });
    rmSync(join(copy, "index"), { recursive: true });
    const bare = openTraceSet([copy]);
    expect(bare.fileSpans().map((s) => [s.path.slice(copy.length), s.trace, s.span])).toEqual(
      spans.map((s) => [s.path.slice(s.path.indexOf("/kernel") + 7), s.trace, s.span]),
    );
    bare.close();
  });

  it("keeps 64-bit values exact: numbers below 2^53, bigint above", () => {
    const first = all([join(TRACES, "bt-lttng-modules-2.0.0-ref")])[0]!;
    expect(first.kind === "event" && first.payload).toEqual({ hrtimer: 18446612134457567488n });
  });
});
