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
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { best, bestCpu, cachedDemoTrace, eventCount, manyThreads, nodeStartup, root, sh, timed } from "./lib/common.mjs";

// ANALYSIS_BENCH_CLI: another bundle of the CLI (e.g. a build of an older commit) to compare.
const cli = process.env.ANALYSIS_BENCH_CLI ?? join(root, "dist/tracedeck.mjs");
const bigTrace = join(root, ".bench-cache/ctf-big/trace");
const RUNS = Number(process.env.ANALYSIS_BENCH_RUNS ?? 3);
const PERIOD = ["--period", 'req:$evt.$name == "tracedeck_demo:request_begin" : $evt.$name == "tracedeck_demo:request_end" && $evt.id == $begin.$evt.id'];

const nodeStart = nodeStartup(3);
const load = readFileSync("/proc/loadavg", "utf8").split(" ")[0];
console.log(`CLI: ${cli}`);
console.log(`node alone (start-up): ${nodeStart.toFixed(2)} s; load average ${load} on ${sh("nproc", []).stdout.trim()} CPUs`);

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
const d = cachedDemoTrace({
  cli,
  dir: join(root, ".bench-cache/analysis-demo"),
  name: "analysis-demo",
  minEvents: 480_000,
  events: ["tracedeck_demo:*"],
  contexts: ["vtid"],
  workload: ["--rate", "70000", "--duration", "2", "--threads", "2", "--slow-every", "5000", "--slow-ms", "2"],
});
const demoTrace = d.trace;
console.log(`\ndemo UST trace: ${demoTrace} (${d.events.toLocaleString("en-US")} events), periodstats pairing request_begin/request_end by id:`);
const oursP = [];
for (let i = 0; i < RUNS; i++) oursP.push(timed(process.execPath, [cli, "analyze", "periodstats", demoTrace, ...PERIOD, "--mi"]));
// lttng-analyses takes tens of seconds here: one run.
const refP = timed("lttng-periodstats-mi", [...PERIOD, "--skip-validation", demoTrace]);
const op = best(oursP);
const opc = bestCpu(oursP).cpu;
console.log(
  `  tracedeck            ${op.seconds.toFixed(2)} s wall, ${opc.toFixed(2)} s CPU  ${(d.events / op.seconds / 1e6).toFixed(2)} M ev/s  peak RSS ${op.rssMb.toFixed(0)} MB`,
);
console.log(
  `  lttng-periodstats-mi ${refP.seconds.toFixed(2)} s wall, ${refP.cpu.toFixed(2)} s CPU  ${(d.events / refP.seconds / 1e3).toFixed(1)} k ev/s  peak RSS ${refP.rssMb.toFixed(0)} MB`,
);
console.log(`  ${(refP.seconds / op.seconds).toFixed(1)}x faster (wall), ${(refP.cpu / opc).toFixed(1)}x (CPU)`);

// 3. End to end on the big UST trace.
if (existsSync(bigTrace)) {
  const n = eventCount(cli, bigTrace);
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
