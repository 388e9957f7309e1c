#!/usr/bin/env node
// CTF reader benchmark: `tracedeck stats` (decodes every field of every event) against
// `babeltrace2 --output-format=dummy`, side by side in the same run, on
//   1. a big UST trace of the demo workload (>= 5 M events), recorded once with real LTTng
//      and cached under .bench-cache/ctf-big/ (delete it to record again), and
//   2. tc-many-threads (240,644 kernel events), as whole processes, start-up included.
// Prints events/s of each, the ratio, and peak RSS (from /usr/bin/time). Never asserts.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cache = join(root, ".bench-cache/ctf-big");
const bigTrace = join(cache, "trace");
const marker = join(cache, "complete.json");
const cli = join(root, "dist/tracedeck.mjs");
const demo = join(root, "workload/build/tracedeck-demo");
const manyThreads = "/work/shared/traces/tc-many-threads";
const RUNS = Number(process.env.CTF_BENCH_RUNS ?? 3);
const MIN_EVENTS = 5_000_000;

function sh(file, args, opts = {}) {
  const r = spawnSync(file, args, { encoding: "utf8", maxBuffer: 1 << 26, env: { ...process.env, TZ: "UTC" }, ...opts });
  if (r.error) throw r.error;
  return r;
}

function lttng(args) {
  const r = sh("lttng", ["--no-sessiond", ...args]);
  if (r.status !== 0) throw new Error(`lttng ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

function recordBigTrace() {
  if (existsSync(marker)) {
    const m = JSON.parse(readFileSync(marker, "utf8"));
    if (m.events >= MIN_EVENTS) return m;
  }
  if (!existsSync(demo)) {
    const b = sh(process.execPath, [join(root, "workload/build.mjs")], { stdio: "inherit" });
    if (b.status !== 0) throw new Error("cannot build the demo workload");
  }
  if (sh("pgrep", ["-x", "lttng-sessiond"]).status !== 0) sh("lttng-sessiond", ["-d"]);
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  const session = `tdbench-ctf-${process.pid}`;
  console.log(`recording the big UST trace (once) into ${bigTrace} …`);
  lttng(["create", session, "-o", bigTrace]);
  try {
    lttng(["enable-channel", "-u", "-s", session, "--subbuf-size=1M", "--num-subbuf=8", "bigch"]);
    lttng(["enable-event", "-u", "-s", session, "-c", "bigch", "tracedeck_demo:*,lttng_ust_tracef:*"]);
    lttng(["add-context", "-u", "-s", session, "-c", "bigch", "-t", "vpid", "-t", "vtid"]);
    lttng(["start", session]);
    const w = sh(demo, ["--rate", "400000", "--duration", "4", "--threads", "2", "--slow-every", "20000", "--slow-ms", "1", "--tracef-every", "1000", "--dir", cache]);
    if (w.status !== 0) throw new Error(`workload failed: ${w.stderr}`);
    lttng(["stop", session]);
  } finally {
    sh("lttng", ["--no-sessiond", "destroy", session]);
  }
  const stats = sh(process.execPath, [cli, "stats", bigTrace]);
  const events = Number(/^Events: (\d+)$/m.exec(stats.stdout)?.[1] ?? 0);
  const du = sh("du", ["-sb", bigTrace]).stdout.split("\t")[0];
  const m = { events, bytes: Number(du), recordedAt: new Date().toISOString() };
  writeFileSync(marker, JSON.stringify(m));
  if (events < MIN_EVENTS) console.log(`warning: only ${events} events recorded (wanted >= ${MIN_EVENTS})`);
  return m;
}

/** Runs a command under /usr/bin/time; returns wall seconds and peak RSS (MB). */
function timed(file, args) {
  const r = sh("/usr/bin/time", ["-f", "TIME %e %M %U %S", file, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const m = /TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`${file} ${args.join(" ")} failed: ${r.stderr.slice(-500)}`);
  return { seconds: Number(m[1]), rssMb: Number(m[2]) / 1024, cpu: Number(m[3]) + Number(m[4]), stdout: r.stdout };
}

function bench(label, trace, events) {
  const ours = [];
  const ref = [];
  for (let i = 0; i < RUNS; i++) {
    // Interleaved so that load from other jobs on the machine hits both alike.
    ours.push(timed(process.execPath, [cli, "stats", trace]));
    ref.push(timed("babeltrace2", ["--output-format=dummy", trace]));
  }
  const best = (xs) => xs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const o = best(ours);
  const b = best(ref);
  const evO = events / o.seconds;
  const evB = events / b.seconds;
  const fmt = (x) => `${(x / 1e6).toFixed(2)} M ev/s`;
  console.log(`${label}: ${events.toLocaleString("en-US")} events (best of ${RUNS}, whole process)`);
  // CPU seconds (user + sys) are less sensitive than wall time to other jobs on the machine.
  const cO = Math.min(...ours.map((x) => x.cpu));
  const cB = Math.min(...ref.map((x) => x.cpu));
  console.log(`  tracedeck stats        ${o.seconds.toFixed(2)} s  ${fmt(evO)}  cpu ${cO.toFixed(2)} s  peak RSS ${o.rssMb.toFixed(0)} MB`);
  console.log(`  babeltrace2 dummy      ${b.seconds.toFixed(2)} s  ${fmt(evB)}  cpu ${cB.toFixed(2)} s  peak RSS ${b.rssMb.toFixed(0)} MB`);
  console.log(`  ratio tracedeck/babeltrace2: ${(evO / evB).toFixed(2)}x wall, ${(cB / cO).toFixed(2)}x cpu`);
  const inProc = /Decoded in ([\d.]+) s \((\d+) events\/s\)/.exec(o.stdout);
  const opened = /Opened \(metadata parsed, streams found\) in ([\d.]+) s/.exec(o.stdout);
  if (inProc) console.log(`  (tracedeck inside the process: open + metadata ${opened ? Number(opened[1]).toFixed(3) : "?"} s, decode loop ${Number(inProc[1]).toFixed(3)} s = ${fmt(Number(inProc[2]))})`);
  return { o, b };
}

/** Wall seconds of a Node process that does nothing: the start-up no JavaScript tool avoids. */
function nodeStartup() {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(timed(process.execPath, ["-e", "0"]).seconds);
  return Math.min(...runs);
}

const big = recordBigTrace();
console.log(`big trace: ${bigTrace} (${(big.bytes / 1e6).toFixed(0)} MB, ${big.events.toLocaleString("en-US")} events)`);
bench("big UST trace", bigTrace, big.events);
const mt = Number(/^Events: (\d+)$/m.exec(sh(process.execPath, [cli, "stats", manyThreads]).stdout)?.[1] ?? 240644);
const small = bench("tc-many-threads", manyThreads, mt);
// What the 1.5x start-up target leaves once Node itself has started.
const node0 = nodeStartup();
const budget = small.b.seconds / 1.5;
console.log(`  node -e 0 alone: ${node0.toFixed(3)} s; 1.5x babeltrace2 means ${budget.toFixed(3)} s in all, ${(budget - node0).toFixed(3)} s after Node's start-up`);
