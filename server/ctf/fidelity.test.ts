/**
 * Fidelity against babeltrace2 2.0.4 (the oracle), on every shared trace babeltrace2 reads
 * and on UST traces recorded here with real LTTng (demo workload with contexts and tracef,
 * tracefile rotation, per-PID buffers, the Python agent, empty strings):
 *
 * - `tracedeck print T` (true values) equals `babeltrace2 T` except where babeltrace2 2.0.4
 *   prints an empty string field as a stale earlier value: there, and only there, a line
 *   may hold `""` where babeltrace2 holds another string;
 * - `tracedeck print --compat=babeltrace2-2.0.4 T` equals `babeltrace2 T` byte for byte.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureSessiond, lttng, recordTrace, uniqueSessionName } from "../testing/record";
import { ensureWorkloadBuilt } from "../workload/build";
import { openTraceSet } from "./index";
import { SHARED, TRACES } from "../testing/shared";

const CLI = join(process.cwd(), "dist/tracedeck.mjs");

interface Run {
  code: number;
  stdout: Buffer;
  stderr: string;
}

function run(file: string, args: string[], timeoutMs = 180_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env: { ...process.env, TZ: "UTC" }, encoding: "buffer", maxBuffer: 1 << 30, timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : -1) : 0;
      if (err && code === -1) return reject(err);
      resolve({ code, stdout, stderr: stderr.toString("utf8") });
    });
  });
}

const tracedeck = (args: string[]) => run(process.execPath, [CLI, ...args]);
const babeltrace2 = (args: string[]) => run("babeltrace2", args);

/** First differing line, for a readable failure. */
function firstDiff(a: Buffer, b: Buffer): string {
  const la = a.toString("utf8").split("\n");
  const lb = b.toString("utf8").split("\n");
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}:\n  ours:        ${la[i]}\n  babeltrace2: ${lb[i]}`;
  }
  return "identical";
}

/** End (exclusive) of the escaped string literal opening at `s[i]` (a `"`), as print_escape_string writes them. */
function literalEnd(s: string, i: number): number {
  let j = i + 1;
  while (j < s.length && s[j] !== '"') j += s[j] === "\\" ? 2 : 1;
  return j + 1;
}

/**
 * How many field values of `ours` are `""` where `ref` has another string, the two lines
 * being otherwise identical; -1 when they differ in anything else.
 */
export function staleStringsOnly(ours: string, ref: string): number {
  let i = 0;
  let j = 0;
  let stale = 0;
  while (i < ours.length || j < ref.length) {
    if (ours.startsWith(' = ""', i) && ref.startsWith(' = "', j) && !ref.startsWith(' = ""', j)) {
      i += 5;
      j = literalEnd(ref, j + 3);
      stale++;
      continue;
    }
    if (ours[i] !== ref[j]) return -1;
    // Stay in step inside literals, so that a `= ""` inside a string is never taken for a field.
    if (ours[i] === '"') {
      const ei = literalEnd(ours, i);
      const ej = literalEnd(ref, j);
      if (ours.slice(i, ei) !== ref.slice(j, ej)) return -1;
      i = ei;
      j = ej;
      continue;
    }
    i++;
    j++;
  }
  return stale;
}

interface Fidelity {
  lines: number;
  /** Lines where babeltrace2 printed a stale value for an empty string. */
  staleLines: number;
}

/**
 * Default print against babeltrace2 (lines may differ only by babeltrace2's stale empty
 * strings), and the compat print byte for byte.
 */
async function expectFaithful(trace: string, opts: { compatBytes: boolean } = { compatBytes: true }): Promise<Fidelity> {
  const [ours, compat, ref] = await Promise.all([tracedeck(["print", trace]), tracedeck(["print", "--compat=babeltrace2-2.0.4", trace]), babeltrace2([trace])]);
  expect(ref.code, ref.stderr).toBe(0);
  expect(ours.code, ours.stderr).toBe(0);
  expect(compat.code, compat.stderr).toBe(0);
  if (opts.compatBytes && !compat.stdout.equals(ref.stdout)) expect(firstDiff(compat.stdout, ref.stdout)).toBe("identical");
  const lo = ours.stdout.toString("utf8").split("\n");
  const lr = ref.stdout.toString("utf8").split("\n");
  expect(lo.length).toBe(lr.length);
  let staleLines = 0;
  for (let i = 0; i < lr.length; i++) {
    if (lo[i] === lr[i]) continue;
    const n = staleStringsOnly(lo[i]!, lr[i]!);
    if (n <= 0) expect(`line ${i + 1}:\n  ours:        ${lo[i]}\n  babeltrace2: ${lr[i]}`).toBe("identical but for stale empty strings");
    staleLines++;
  }
  return { lines: lr.length - 1, staleLines };
}

async function expectFaithfulLines(trace: string): Promise<number> {
  const f = await expectFaithful(trace);
  return f.lines;
}

describe("the fidelity comparison itself", () => {
  it("accepts only '\"\"' against another string, field by field", () => {
    expect(staleStringsOnly('p: { a = "", b = 1 }', 'p: { a = "/x", b = 1 }')).toBe(1);
    expect(staleStringsOnly('p: { a = "", b = "" }', 'p: { a = "q\\"r", b = "s" }')).toBe(2);
    expect(staleStringsOnly('p: { a = "x", b = 1 }', 'p: { a = "/x", b = 1 }')).toBe(-1);
    expect(staleStringsOnly('p: { a = "", b = 2 }', 'p: { a = "/x", b = 1 }')).toBe(-1);
    expect(staleStringsOnly('p: { a = "/x" }', 'p: { a = "" }')).toBe(-1);
    expect(staleStringsOnly('p: { a = "k = \\"\\"" }', 'p: { a = "k = \\"z\\"" }')).toBe(-1);
    expect(staleStringsOnly("p: { a = 1 }", "p: { a = 1 }")).toBe(0);
  });
});

describe("print shows true values and --compat=babeltrace2-2.0.4 is byte-identical to babeltrace2 on the shared kernel traces", () => {
  for (const t of ["bt-lttng-modules-2.0.0-ref", "bt-multi-domains-kernel", "bt-tracefile-rotation", "tc-flipping-endianness", "tc-many-threads"]) {
    it(`${t}`, async () => {
      const f = await expectFaithful(join(TRACES, t));
      expect(f.lines).toBeGreaterThan(0);
      // tc-many-threads holds empty `filename` strings of syscall_entry_access that babeltrace2 prints stale.
      if (t === "tc-many-threads") expect(f.staleLines).toBeGreaterThan(0);
    });
  }

  it("a session directory holding two traces five years apart (exact times past 2^53 ns from the origin)", async () => {
    const session = mkdtempSync(join(tmpdir(), "tracedeck-ctf-session-"));
    try {
      cpSync(join(TRACES, "tc-flipping-endianness/kernel"), join(session, "kernel"), { recursive: true });
      cpSync(join(TRACES, "bt-tracefile-rotation/kernel"), join(session, "ust/uid/0/64-bit"), { recursive: true });
      expect(await expectFaithfulLines(session)).toBe(14310 + 12305);
    } finally {
      rmSync(session, { recursive: true, force: true });
    }
  });

  it("bt-multi-domains-kernel: the discarded-events warning on stderr matches babeltrace2's", async () => {
    const t = join(TRACES, "bt-multi-domains-kernel");
    const [ours, ref] = await Promise.all([tracedeck(["print", t]), babeltrace2([t])]);
    expect(ours.stderr).toBe(ref.stderr);
    expect(ours.stderr).toMatch(/^WARNING: Tracer discarded 728 events between/);
  });
});

describe("traces babeltrace2's muxer rejects are read to the end, as babeltrace 1.5 does", () => {
  // babeltrace2 stops after ~11,680 events (non-monotonic stream); babeltrace 1.5.11 counts these.
  for (const [t, n] of [
    ["tc-scp-dest", 85729],
    ["tc-scp-src", 110771],
  ] as const) {
    it(`${t} has ${n} events, and the part babeltrace2 prints is identical`, async () => {
      const [stats, ours, ref] = await Promise.all([
        tracedeck(["stats", join(TRACES, t)]),
        tracedeck(["print", join(TRACES, t)]),
        babeltrace2([join(TRACES, t)]),
      ]);
      expect(stats.code).toBe(0);
      expect(stats.stdout.toString()).toMatch(new RegExp(`^Events: ${n}$`, "m"));
      expect(ours.code).toBe(0);
      expect(ours.stdout.toString().split("\n").length - 1).toBe(n);
      expect(ref.code).not.toBe(0);
      const refOut = ref.stdout.toString();
      expect(refOut.length).toBeGreaterThan(1_000_000);
      expect(ours.stdout.subarray(0, ref.stdout.length).equals(ref.stdout)).toBe(true);
    });
  }
});

describe("stats", () => {
  it("counts per event class match babeltrace2's output; time span, discarded events and lost packets are shown", async () => {
    const t = join(TRACES, "tc-flipping-endianness");
    const [st, ref] = await Promise.all([tracedeck(["stats", t]), babeltrace2([t])]);
    expect(st.code).toBe(0);
    const expected = new Map<string, number>();
    for (const line of ref.stdout.toString().split("\n")) {
      const m = /^\[[^\]]+\] \([^)]+\) \S+ ([^:]+):/.exec(line);
      if (m) expected.set(m[1]!, (expected.get(m[1]!) ?? 0) + 1);
    }
    const ours = new Map<string, number>();
    for (const m of st.stdout.toString().matchAll(/^ +(\d+) {2}(\S+)$/gm)) ours.set(m[2]!, Number(m[1]));
    expect(ours).toEqual(expected);
    expect(st.stdout.toString()).toMatch(/^Time span: \[21:41:12\.250167676\] to \[21:41:53\.242328795\]/m);

    const md = (await tracedeck(["stats", join(TRACES, "bt-multi-domains-kernel")])).stdout.toString();
    expect(md).toMatch(/^Events: 272$/m);
    expect(md).toMatch(/^Discarded events: 728$/m);
    expect(md).toMatch(/^Lost packets: 0$/m);
  });
});

describe("unreadable input", () => {
  it("the pre-CTF-1.8 trace bt-lttng-modules-2.0-pre5 gets a clear 'unsupported CTF version' error", async () => {
    for (const cmd of ["print", "stats"]) {
      const r = await tracedeck([cmd, join(TRACES, "bt-lttng-modules-2.0-pre5")]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/Unsupported CTF version 0\.1 .*metadata.*line=\d+/);
      expect(r.stderr).not.toMatch(/at .*\.mjs/); // no stack trace
    }
  });

  it("a path without any trace exits 1 with a message naming it", async () => {
    const r = await tracedeck(["stats", join(SHARED, "docs")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`file=${join(SHARED, "docs")}`);
    expect(r.stderr).toMatch(/No CTF trace /);
    const m = await tracedeck(["print", "/nonexistent/trace"]);
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/Cannot open trace path: file=\/nonexistent\/trace/);
  });
});

describe("print is faithful to babeltrace2 on UST traces recorded with real LTTng", () => {
  const outDir = mkdtempSync(join(tmpdir(), "tracedeck-ctf-fidelity-"));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it("demo workload with vpid/vtid/procname contexts and tracef", async () => {
    const r = await recordTrace({
      name: "fid-ctx",
      events: ["tracedeck_demo:*", "lttng_ust_tracef:*"],
      contexts: ["vpid", "vtid", "procname"],
      workload: ["--rate", "3000", "--duration", "1", "--threads", "2", "--slow-every", "300", "--slow-ms", "5", "--tracef-every", "7"],
      outDir,
    });
    const lines = await expectFaithfulLines(r.path);
    expect(lines).toBeGreaterThan(9000);
  });

  it("demo workload on a tracefile-rotated channel (chan_cpu_N files)", async () => {
    const r = await recordTrace({
      name: "fid-rot",
      events: ["tracedeck_demo:*"],
      channel: { name: "rot", subbufSize: "64k", numSubbuf: 4, tracefileSize: "128k", tracefileCount: 8 },
      workload: ["--rate", "20000", "--duration", "1", "--threads", "2", "--slow-every", "0"],
      outDir,
    });
    const lines = await expectFaithfulLines(r.path);
    expect(lines).toBeGreaterThan(1000);
  });

  it("per-PID buffers (ust/pid/<proc>-<pid>-<date>/: one trace per process, procname and vpid in the header)", async () => {
    const demo = await ensureWorkloadBuilt();
    await ensureSessiond();
    const name = uniqueSessionName("fid-pid");
    const path = join(outDir, name);
    // Other test files run the demo at the same time, and a per-PID session records every
    // process: a copy of the binary under a name of our own lets a procname filter keep ours.
    const comm = `fidpid${process.pid}`.slice(0, 15);
    const ours = join(outDir, comm);
    cpSync(demo, ours);
    await lttng(["create", name, "-o", path]);
    try {
      await lttng(["enable-channel", "-u", "-s", name, "--buffers-pid", "pidch"]);
      await lttng(["enable-event", "-u", "-s", name, "-c", "pidch", "tracedeck_demo:*", "--filter", `$ctx.procname == "${comm}"`]);
      await lttng(["add-context", "-u", "-s", name, "-c", "pidch", "-t", "vpid", "-t", "procname"]);
      await lttng(["start", name]);
      for (const d of ["0.4", "0.2"]) {
        const r = await run(ours, ["--rate", "2000", "--duration", d, "--threads", "2", "--slow-every", "0", "--dir", outDir]);
        expect(r.code, r.stderr).toBe(0);
      }
      await lttng(["stop", name]);
    } finally {
      await lttng(["destroy", name]).catch(() => undefined);
    }
    // One trace per process of ours. sessiond also makes per-PID buffers for every other
    // registered app (the procname filter runs inside the app), so another test's demo may add a
    // trace without events: count ours by their directory name.
    const set = (await tracedeck(["stats", path])).stdout.toString();
    const ourTraces = set.split("\n").filter((l) => l.includes(`/ust/pid/${comm}-`));
    expect(ourTraces).toHaveLength(2);
    expect(await expectFaithfulLines(path)).toBeGreaterThan(4000);
  });

  it('empty strings after non-empty ones: print gives "" where babeltrace2 2.0.4 prints a stale earlier path', async () => {
    // Every 4th request has an empty path; the others one of eight non-empty ones.
    const r = await recordTrace({
      name: "fid-empty",
      events: ["tracedeck_demo:*"],
      workload: ["--rate", "2000", "--duration", "0.5", "--threads", "2", "--slow-every", "0", "--empty-path-every", "4"],
      outDir,
    });
    // The truth, from the reader's records: which request ids carry an empty path.
    const set = openTraceSet([r.path]);
    const emptyIds = new Set<number>();
    let begins = 0;
    try {
      for (const it of set) {
        if (it.kind !== "event" || it.name !== "tracedeck_demo:request_begin") continue;
        begins++;
        const p = it.payload as { id: number; path: string };
        if (p.path === "") emptyIds.add(Number(p.id));
      }
    } finally {
      set.close();
    }
    expect(begins).toBe(1000);
    expect([...emptyIds].every((id) => id % 4 === 0)).toBe(true);
    expect(emptyIds.size).toBe(250);
    const printed = (await tracedeck(["print", r.path])).stdout.toString().split("\n");
    const printedEmpty = printed.filter((l) => l.includes("tracedeck_demo:request_begin:") && l.includes('path = ""'));
    expect(printedEmpty).toHaveLength(250);
    for (const l of printedEmpty) expect(emptyIds.has(Number(/\bid = (\d+)/.exec(l)?.[1]))).toBe(true);
    // Here babeltrace2's choice of pooled event object depends on its message batching
    // across the two CPU streams (compat/bt2-event-pool.ts): compat must still be byte-identical.
    const f = await expectFaithful(r.path);
    expect(f.staleLines).toBeGreaterThan(0);
  });

  it("Python agent events (lttng_python:event)", async () => {
    const r = await recordTrace({ name: "fid-py", events: ["*"], workload: "python", outDir });
    const lines = await expectFaithfulLines(r.path);
    expect(lines).toBeGreaterThan(0);
  });
});
