/**
 * lttng-analyses' default stream intersection on a set of two UST traces recorded here with
 * real LTTng (the demo workload): trace `a` (one demo process pinned to each CPU, so both
 * CPU streams fill all along) loses the oldest half of CPU 0's packets, as a flight-recorder
 * buffer does, so babeltrace 1 clips `a` to its streams' common span while reading both
 * traces over the union of their spans. lttng-periodlog-mi and lttng-periodstats-mi run on
 * the same directory and are the oracle.
 */
process.env.TZ = "UTC";
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTraceSet } from "../ctf";
import { ensureSessiond, lttng, recordTrace, uniqueSessionName } from "../testing/record";
import { ensureWorkloadBuilt } from "../workload/build";
import { analyzeWithArgs } from "./testing/analyze";
import { intersectionWindow } from "./intersection";
import { parseLamiJson } from "./lami/json";
import type { AnalysisName } from "./catalog";
import { diff } from "./testing/oracle";

const run = promisify(execFile);

const REQ = [
  "--period",
  'req:$evt.$name == "tracedeck_demo:request_begin" : $evt.$name == "tracedeck_demo:request_end" && $evt.id == $begin.$evt.id && $evt.vtid == $begin.$evt.vtid',
];

let dir: string;
/** Holds trace `a` (one stream without its oldest packets) and trace `b` (as recorded). */
let set: string;

/** Each packet's begin timestamp (cycles), from the LTTng index: 16-byte header, fixed-size entries. */
function packetBegins(traceDir: string, file: string): bigint[] {
  const idx = readFileSync(join(traceDir, "index", `${file}.idx`));
  const len = idx.readUInt32BE(12);
  const out: bigint[] = [];
  for (let o = 16; o + len <= idx.length; o += len) out.push(idx.readBigUInt64BE(o + 24));
  return out;
}

/** The one trace directory (holding `metadata`) of a recorded session. */
function traceDirOf(sessionPath: string): string {
  const md = readdirSync(sessionPath, { recursive: true, encoding: "utf8" }).filter((p) => p === "metadata" || p.endsWith("/metadata"));
  expect(md).toHaveLength(1);
  return dirname(join(sessionPath, md[0]!));
}

const CHANNEL = { name: "chan", subbufSize: 4096, numSubbuf: 8 };
const WORKLOAD = ["--rate", "300", "--threads", "1", "--duration", "1.2", "--slow-every", "40", "--slow-ms", "3"];

/**
 * Like recordTrace, with one demo process per CPU (taskset): the scheduler may otherwise
 * leave a CPU's stream without events on a loaded machine. Returns the session directory.
 */
async function recordPinned(outDir: string, cpus: number[]): Promise<string> {
  const bin = await ensureWorkloadBuilt();
  await ensureSessiond();
  const session = uniqueSessionName("isect-pinned");
  const path = join(outDir, session);
  await lttng(["create", session, "-o", path]);
  const procs: ChildProcess[] = [];
  try {
    await lttng(["untrack", "-u", "-s", session, "--vpid", "--all"]);
    await lttng(["enable-channel", "-u", "-s", session, `--subbuf-size=${CHANNEL.subbufSize}`, `--num-subbuf=${CHANNEL.numSubbuf}`, CHANNEL.name]);
    await lttng(["enable-event", "-u", "-s", session, "-c", CHANNEL.name, "tracedeck_demo:*"]);
    await lttng(["add-context", "-u", "-s", session, "-c", CHANNEL.name, "-t", "vtid"]);
    await lttng(["start", session]);
    const exits: Promise<number | null>[] = [];
    for (const cpu of cpus) {
      // taskset execs the demo: the pid tracked is the demo's.
      const p = spawn("taskset", ["-c", String(cpu), bin, ...WORKLOAD, "--start-on-stdin"], { cwd: outDir, stdio: ["pipe", "ignore", "ignore"] });
      procs.push(p);
      exits.push(new Promise((done) => p.on("close", (code) => done(code))));
      await new Promise((ok, fail) => (p.once("spawn", ok), p.once("error", fail)));
      await lttng(["track", "-u", "-s", session, "--vpid", String(p.pid)]);
    }
    const timer = setTimeout(() => procs.forEach((p) => p.kill("SIGKILL")), 60_000);
    for (const p of procs) p.stdin!.end("go\n");
    const codes = await Promise.all(exits);
    clearTimeout(timer);
    expect(codes).toEqual(cpus.map(() => 0));
    await lttng(["stop", session]);
    return path;
  } finally {
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
    await lttng(["destroy", session]).catch(() => undefined);
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "td-intersect-"));
  const [a, b] = await Promise.all([
    recordPinned(dir, [0, 1]),
    recordTrace({ name: "isect-b", events: ["tracedeck_demo:*"], contexts: ["vtid"], channel: CHANNEL, outDir: dir, workload: WORKLOAD }),
  ]);
  set = join(dir, "set");
  mkdirSync(set);
  const aDir = traceDirOf(a);
  // CPU 0's stream of `a` loses the packets that begin in the first half of the run. (Its
  // first packet begins when the session starts, which may be long before the workload
  // does on a loaded machine: the second one begins within the run.)
  const begins = packetBegins(aDir, "chan_0");
  expect(begins.length).toBeGreaterThanOrEqual(4);
  const middle = (begins[1]! + begins[begins.length - 1]!) / 2n;
  const drop = Math.max(1, begins.filter((t) => t < middle).length);
  execFileSync("python3", [join(__dirname, "fixtures", "drop-packets.py"), aDir, join(set, "a"), `chan_0:${drop}:0`]);
  cpSync(traceDirOf(b.path), join(set, "b"), { recursive: true });
  sameClockOffset(join(set, "a"), join(set, "b"));
}, 180_000);

/**
 * LTTng measures each session's clock offset: two sessions' offsets may differ by a few ns.
 * babeltrace 1 then shifts every trace to the collection's average offset (a known
 * difference, DEVIATIONS.md); to compare only the intersection here, `a` gets `b`'s offset
 * (same digit count, so the metadata packets keep their sizes).
 */
function sameClockOffset(a: string, b: string): void {
  const find = (text: string) => {
    const m = /clock \{[^}]*?\boffset = (\d+);/.exec(text);
    expect(m).not.toBeNull();
    return { at: m!.index + m![0].length - m![1]!.length - 1, digits: m![1]! };
  };
  const meta = readFileSync(join(a, "metadata"));
  const mine = find(meta.toString("latin1"));
  const theirs = find(readFileSync(join(b, "metadata")).toString("latin1"));
  expect(theirs.digits.length).toBe(mine.digits.length);
  meta.write(theirs.digits, mine.at, "latin1");
  writeFileSync(join(a, "metadata"), meta);
}

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function lttngAnalyses(name: AnalysisName, args: string[]): Promise<unknown> {
  const { stdout } = await run(`lttng-${name}-mi`, [...args, "--skip-validation", set], {
    env: { ...process.env, TZ: "UTC" },
    maxBuffer: 256 * 1024 * 1024,
  });
  return parseLamiJson(stdout);
}

function tracedeck(name: AnalysisName, args: string[]) {
  const out = analyzeWithArgs(set, name, args);
  return { doc: { results: out.results }, events: out.events };
}

describe("stream intersection over two recorded UST traces, same tables as lttng-analyses 0.6.1", () => {
  it("clips each trace to its own streams' common span, within the union of the traces' spans", () => {
    const ts = openTraceSet([set]);
    const w = intersectionWindow(ts.fileSpans(), ts.traces.length);
    const a = ts.traces.findIndex((t) => t.path.endsWith("/a"));
    const b = 1 - a;
    // `a` starts later than `b`, and `a` has events between the two starts: only the
    // per-trace clip leaves them out.
    expect(w.lo[a]).toBeGreaterThan(w.lo[b]!);
    let early = 0;
    ts.forEach((item) => {
      if (item.kind === "event" && item.trace === a && item.ts >= w.lo[b]! && item.ts < w.lo[a]!) early++;
    });
    ts.close();
    expect(early).toBeGreaterThan(0);
  });

  it("periodlog: the requests lttng-analyses reads by default, fewer than with --no-intersection", async () => {
    // Whole traces first: a difference there is not the intersection's.
    const whole = tracedeck("periodlog", [...REQ, "--no-intersection"]);
    expect(diff(whole.doc, await lttngAnalyses("periodlog", [...REQ, "--no-intersection"])) ?? "same").toBe("same");
    const expected = await lttngAnalyses("periodlog", REQ);
    const ours = tracedeck("periodlog", REQ);
    expect((expected as { results: { data: unknown[] }[] }).results[0]!.data.length).toBeGreaterThan(10);
    expect(diff(ours.doc, expected) ?? "same").toBe("same");
    expect(ours.events).toBeLessThan(whole.events);
    expect(diff(ours.doc, whole.doc)).not.toBeNull();
  }, 120_000);

  it("periodstats: same statistics and time range as lttng-analyses by default", async () => {
    const expected = await lttngAnalyses("periodstats", REQ);
    const ours = tracedeck("periodstats", REQ).doc;
    expect(diff(ours, expected) ?? "same").toBe("same");
    // Fewer requests than in the whole set (811 of 936 in one run).
    const count = (doc: { results: { data: unknown[][] }[] }) => (doc.results[0]!.data[0]![1] as { value: number }).value;
    expect(count(ours)).toBeLessThan(count(tracedeck("periodstats", [...REQ, "--no-intersection"]).doc));
  }, 120_000);

  it("intersectionWindow follows babeltrace 1's rules (made-up spans)", () => {
    // babeltrace 1's rule on made-up spans: latest first begin after earliest last end.
    expect(() =>
      intersectionWindow(
        [
          { trace: 0, span: [0, 10] },
          { trace: 0, span: [11, 20] },
        ],
        1,
      ),
    ).toThrow(expect.objectContaining({ code: "NO_INTERSECTION" }));
    // A trace with a packetless file is left out of the union and not clipped.
    expect(
      intersectionWindow(
        [
          { trace: 0, span: [0, 10] },
          { trace: 0, span: [5, 20] },
          { trace: 1, span: null },
          { trace: 1, span: [2, 3] },
        ],
        2,
      ),
    ).toEqual({
      lo: [5, 5],
      hi: [10, 10],
      end: 10,
    });
    // An inverted trace still widens the union; each trace keeps its own window.
    expect(
      intersectionWindow(
        [
          { trace: 0, span: [0, 10] },
          { trace: 0, span: [11, 20] },
          { trace: 1, span: [4, 30] },
        ],
        2,
      ),
    ).toEqual({
      lo: [11, 4],
      hi: [10, 30],
      end: 30,
    });
  });
});
