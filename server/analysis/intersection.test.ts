/**
 * lttng-analyses' default stream intersection on a set of two UST traces recorded here with
 * real LTTng (the demo workload, twice at once): one trace loses its oldest packets on one
 * CPU, as a flight-recorder buffer does, so babeltrace 1 clips that trace to its streams'
 * common span while reading both over the union of their spans. lttng-periodlog-mi and
 * lttng-periodstats-mi run on the same directory and are the oracle.
 */
process.env.TZ = "UTC";
import { execFile, execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTraceSet } from "../ctf";
import { recordTrace } from "../testing/record";
import { parseAnalyzeArgs } from "./args";
import { intersectionWindow, NoIntersectionError } from "./intersection";
import { parseLamiJson } from "./lami/json";
import type { AnalysisName } from "./registry";
import { eventsNeeded, runAnalysisOnSource } from "./run";
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

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "td-intersect-"));
  const common = { events: ["tracedeck_demo:*"], contexts: ["vtid"], channel: { name: "chan", subbufSize: 4096, numSubbuf: 8 }, outDir: dir };
  const [a, b] = await Promise.all([
    recordTrace({ ...common, name: "isect-a", workload: ["--rate", "600", "--threads", "2", "--duration", "1.2", "--slow-every", "50", "--slow-ms", "3"] }),
    recordTrace({ ...common, name: "isect-b", workload: ["--rate", "300", "--threads", "2", "--duration", "1.2", "--slow-every", "40", "--slow-ms", "3"] }),
  ]);
  set = join(dir, "set");
  mkdirSync(set);
  const aDir = traceDirOf(a.path);
  // The busiest stream file of `a` loses the packets that begin in the first half of its span.
  const files = readdirSync(aDir).filter((f) => f.startsWith("chan_"));
  const busiest = files.reduce((x, y) => (packetBegins(aDir, y).length > packetBegins(aDir, x).length ? y : x));
  const begins = packetBegins(aDir, busiest);
  expect(begins.length).toBeGreaterThanOrEqual(3);
  const middle = (begins[0]! + begins[begins.length - 1]!) / 2n;
  const drop = Math.max(1, begins.filter((b) => b < middle).length);
  execFileSync("python3", [join(__dirname, "fixtures", "drop-packets.py"), aDir, join(set, "a"), `${busiest}:${drop}:0`]);
  cpSync(traceDirOf(b.path), join(set, "b"), { recursive: true });
}, 180_000);

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
  const { opts } = parseAnalyzeArgs([name, ...args]);
  const ts = openTraceSet([set], { events: eventsNeeded(name, opts) });
  try {
    const out = runAnalysisOnSource(name, opts, ts);
    return { doc: { results: out.results }, events: out.events };
  } finally {
    ts.close();
  }
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
    const expected = await lttngAnalyses("periodlog", REQ);
    const ours = tracedeck("periodlog", REQ);
    const whole = tracedeck("periodlog", [...REQ, "--no-intersection"]);
    expect((expected as { results: { data: unknown[] }[] }).results[0]!.data.length).toBeGreaterThan(10);
    expect(diff(ours.doc, expected)).toBeNull();
    expect(ours.events).toBeLessThan(whole.events);
    expect(diff(ours.doc, whole.doc)).not.toBeNull();
    expect(diff(whole.doc, await lttngAnalyses("periodlog", [...REQ, "--no-intersection"]))).toBeNull();
  }, 120_000);

  it("periodstats: same statistics and time range as lttng-analyses by default", async () => {
    const expected = await lttngAnalyses("periodstats", REQ);
    const ours = tracedeck("periodstats", REQ).doc;
    expect(diff(ours, expected)).toBeNull();
    // Fewer requests than in the whole set (811 of 936 in one run).
    const count = (doc: { results: { data: unknown[][] }[] }) => (doc.results[0]!.data[0]![1] as { value: number }).value;
    expect(count(ours)).toBeLessThan(count(tracedeck("periodstats", [...REQ, "--no-intersection"]).doc));
  }, 120_000);

  it("intersectionWindow follows babeltrace 1's rules (made-up spans)", () => {
    // babeltrace 1's rule on made-up spans: latest first begin after earliest last end.
    expect(() => intersectionWindow([{ trace: 0, span: [0, 10] }, { trace: 0, span: [11, 20] }], 1)).toThrow(NoIntersectionError);
    // A trace with a packetless file is left out of the union and not clipped.
    expect(intersectionWindow([{ trace: 0, span: [0, 10] }, { trace: 0, span: [5, 20] }, { trace: 1, span: null }, { trace: 1, span: [2, 3] }], 2)).toEqual({
      lo: [5, 5],
      hi: [10, 10],
      end: 10,
    });
    // An inverted trace still widens the union; each trace keeps its own window.
    expect(intersectionWindow([{ trace: 0, span: [0, 10] }, { trace: 0, span: [11, 20] }, { trace: 1, span: [4, 30] }], 2)).toEqual({
      lo: [11, 4],
      hi: [10, 30],
      end: 30,
    });
  });
});
