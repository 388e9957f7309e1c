#!/usr/bin/env node
// Analysis benchmark: `tracedeck analyze` against lttng-analyses 0.6.1, whole processes
// (start-up included), interleaved in the same run:
//   1. iolatencytop, iolatencystats, syscallstats, schedtop on tc-many-threads (240,644
//      kernel events) against lttng-<analysis>-mi;
//   2. periodstats (requests paired by id) on a demo-workload UST trace of >= 480 k events,
//      recorded once with real LTTng and cached under .bench-cache/analysis-demo/, against
//      lttng-periodstats-mi;
//   3. events/s end to end on the big UST trace of the CTF bench (.bench-cache/ctf-big/trace,
//      recorded by scripts/bench/ctf.mjs), periodstats by pairing and by --duration-field.
// lttng-analyses runs with --skip-validation (it would otherwise read the trace once more
// with babeltrace first). Prints times and ratios; never asserts.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
// ANALYSIS_BENCH_CLI: another bundle of the CLI (e.g. a build of an older commit) to compare.
const cli = process.env.ANALYSIS_BENCH_CLI ?? join(root, "dist/tracedeck.mjs");
const demo = join(root, "workload/build/tracedeck-demo");
const manyThreads = "/work/shared/traces/tc-many-threads";
const demoCache = join(root, ".bench-cache/analysis-demo");
const demoTrace = join(demoCache, "trace");
const demoMarker = join(demoCache, "complete.json");
const bigTrace = join(root, ".bench-cache/ctf-big/trace");
const RUNS = Number(process.env.ANALYSIS_BENCH_RUNS ?? 3);
const MIN_DEMO_EVENTS = 480_000;
const PERIOD = [
  "--period",
  'req:$evt.$name == "tracedeck_demo:request_begin" : $evt.$name == "tracedeck_demo:request_end" && $evt.id == $begin.$evt.id',
];

function sh(file, args, opts = {}) {
  const r = spawnSync(file, args, { encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, TZ: "UTC" }, ...opts });
  if (r.error) throw r.error;
  return r;
}

/**
 * Wall seconds, CPU seconds (user + system, all threads: less sensitive to other jobs on
 * a shared machine) and peak RSS of a whole process (/usr/bin/time).
 */
function timed(file, args) {
  const r = sh("/usr/bin/time", ["-f", "TIME %e %U %S %M", file, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`${file} ${args.join(" ")} failed: ${r.stderr.slice(-500)}`);
  if (r.stdout.includes('"error-message"')) throw new Error(`${file} ${args.join(" ")}: ${r.stdout.slice(0, 300)}`);
  return { seconds: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMb: Number(m[4]) / 1024 };
}

const bestCpu = (xs) => xs.reduce((a, b) => (b.cpu < a.cpu ? b : a));

const best = (xs) => xs.reduce((a, b) => (b.seconds < a.seconds ? b : a));

function eventCount(trace) {
  const out = sh(process.execPath, [cli, "stats", trace]).stdout;
  return Number(/^Events: (\d+)$/m.exec(out)?.[1] ?? 0);
}

function recordDemoTrace() {
  if (existsSync(demoMarker)) {
    const m = JSON.parse(readFileSync(demoMarker, "utf8"));
    if (m.events >= MIN_DEMO_EVENTS) return m;
  }
  if (!existsSync(demo)) {
    const b = sh(process.execPath, [join(root, "workload/build.mjs")], { stdio: "inherit" });
    if (b.status !== 0) throw new Error("cannot build the demo workload");
  }
  if (sh("pgrep", ["-x", "lttng-sessiond"]).status !== 0) sh("lttng-sessiond", ["-d"]);
  rmSync(demoCache, { recursive: true, force: true });
  mkdirSync(demoCache, { recursive: true });
  const session = `tdbench-analysis-${process.pid}`;
  const lttng = (args) => {
    const r = sh("lttng", ["--no-sessiond", ...args]);
    if (r.status !== 0) throw new Error(`lttng ${args.join(" ")} failed: ${r.stderr}`);
  };
  console.log(`recording the demo trace (once) into ${demoTrace} …`);
  lttng(["create", session, "-o", demoTrace]);
  try {
    lttng(["enable-channel", "-u", "-s", session, "--subbuf-size=1M", "--num-subbuf=8", "ch"]);
    lttng(["enable-event", "-u", "-s", session, "-c", "ch", "tracedeck_demo:*"]);
    lttng(["add-context", "-u", "-s", session, "-c", "ch", "-t", "vtid"]);
    lttng(["start", session]);
    const w = sh(demo, ["--rate", "70000", "--duration", "2", "--threads", "2", "--slow-every", "5000", "--slow-ms", "2", "--dir", demoCache]);
    if (w.status !== 0) throw new Error(`workload failed: ${w.stderr}`);
    lttng(["stop", session]);
  } finally {
    sh("lttng", ["--no-sessiond", "destroy", session]);
  }
  const m = { events: eventCount(demoTrace), recordedAt: new Date().toISOString() };
  writeFileSync(demoMarker, JSON.stringify(m));
  if (m.events < MIN_DEMO_EVENTS) console.log(`warning: only ${m.events} events recorded (wanted >= ${MIN_DEMO_EVENTS})`);
  return m;
}

const nodeStart = best(Array.from({ length: 3 }, () => timed(process.execPath, ["-e", "0"])));
const load = readFileSync("/proc/loadavg", "utf8").split(" ")[0];
console.log(`CLI: ${cli}`);
console.log(`node alone (start-up): ${nodeStart.seconds.toFixed(2)} s; load average ${load} on ${sh("nproc", []).stdout.trim()} CPUs`);

// 1. Kernel analyses on tc-many-threads.
console.log(`\ntc-many-threads (240,644 events), best of ${RUNS}, whole processes:`);
for (const a of ["iolatencytop", "iolatencystats", "syscallstats", "schedtop"]) {
  const ours = [];
  const ref = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(timed(process.execPath, [cli, "analyze", a, manyThreads, "--mi"]));
    ref.push(timed(`lttng-${a}-mi`, ["--skip-validation", manyThreads]));
  }
  const o = best(ours);
  const r = best(ref);
  const oc = bestCpu(ours).cpu;
  const rc = bestCpu(ref).cpu;
  console.log(
    `  ${a.padEnd(15)} tracedeck ${o.seconds.toFixed(2)} s wall, ${oc.toFixed(2)} s CPU (${o.rssMb.toFixed(0)} MB)   lttng-${a}-mi ${r.seconds.toFixed(2)} s wall, ${rc.toFixed(2)} s CPU (${r.rssMb.toFixed(0)} MB)   ${(r.seconds / o.seconds).toFixed(1)}x faster (wall), ${(rc / oc).toFixed(1)}x (CPU)`,
  );
}

// 2. Period statistics on the demo trace.
const d = recordDemoTrace();
console.log(`\ndemo UST trace: ${demoTrace} (${d.events.toLocaleString("en-US")} events), periodstats pairing request_begin/request_end by id:`);
const oursP = [];
for (let i = 0; i < RUNS; i++) oursP.push(timed(process.execPath, [cli, "analyze", "periodstats", demoTrace, ...PERIOD, "--mi"]));
// lttng-analyses takes tens of seconds here: one run.
const refP = timed("lttng-periodstats-mi", [...PERIOD, "--skip-validation", demoTrace]);
const op = best(oursP);
const opc = bestCpu(oursP).cpu;
console.log(`  tracedeck            ${op.seconds.toFixed(2)} s wall, ${opc.toFixed(2)} s CPU  ${(d.events / op.seconds / 1e6).toFixed(2)} M ev/s  peak RSS ${op.rssMb.toFixed(0)} MB`);
console.log(`  lttng-periodstats-mi ${refP.seconds.toFixed(2)} s wall, ${refP.cpu.toFixed(2)} s CPU  ${(d.events / refP.seconds / 1e3).toFixed(1)} k ev/s  peak RSS ${refP.rssMb.toFixed(0)} MB`);
console.log(`  ${(refP.seconds / op.seconds).toFixed(1)}x faster (wall), ${(refP.cpu / opc).toFixed(1)}x (CPU)`);

// 3. End to end on the big UST trace.
if (existsSync(bigTrace)) {
  const n = eventCount(bigTrace);
  console.log(`\nbig UST trace: ${bigTrace} (${n.toLocaleString("en-US")} events), best of ${RUNS}, whole process:`);
  for (const [label, args] of [
    ["periodstats, pairing", PERIOD],
    ["periodstats, --duration-field", ["--duration-field", "tracedeck_demo:request_end.latency_ns"]],
  ]) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(timed(process.execPath, [cli, "analyze", "periodstats", bigTrace, ...args, "--mi"]));
    const o = best(runs);
    const c = bestCpu(runs).cpu;
    console.log(
      `  ${label.padEnd(30)} ${o.seconds.toFixed(2)} s wall ${(n / o.seconds / 1e6).toFixed(2)} M ev/s, ${c.toFixed(2)} s CPU ${(n / c / 1e6).toFixed(2)} M ev per CPU-s  peak RSS ${o.rssMb.toFixed(0)} MB`,
    );
  }
} else console.log(`\nbig UST trace not found (${bigTrace}): run \`npm run bench -- ctf\` first`);
