#!/usr/bin/env node
// CTF reader benchmark: `tracedeck stats` (decodes every field of every event) against
// `babeltrace2 --output-format=dummy`, side by side in the same run, on
//   1. a big UST trace of the demo workload (>= 5 M events), recorded once with real LTTng
//      and cached under .bench-cache/ctf-big/ (delete it to record again), and
//   2. tc-many-threads (240,644 kernel events), as whole processes, start-up included.
// Prints events/s of each, the ratio, and peak RSS (from /usr/bin/time). Never asserts.
import { join } from "node:path";
import { cachedDemoTrace, eventCount, manyThreads, nodeStartup, root, timed } from "./lib/common.mjs";

const cli = join(root, "dist/tracedeck.mjs");
const RUNS = Number(process.env.CTF_BENCH_RUNS ?? 3);

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
  if (inProc)
    console.log(
      `  (tracedeck inside the process: open + metadata ${opened ? Number(opened[1]).toFixed(3) : "?"} s, decode loop ${Number(inProc[1]).toFixed(3)} s = ${fmt(Number(inProc[2]))})`,
    );
  return { o, b };
}

const big = cachedDemoTrace({
  cli,
  dir: join(root, ".bench-cache/ctf-big"),
  name: "big UST",
  minEvents: 5_000_000,
  events: ["tracedeck_demo:*", "lttng_ust_tracef:*"],
  contexts: ["vpid", "vtid"],
  workload: ["--rate", "400000", "--duration", "4", "--threads", "2", "--slow-every", "20000", "--slow-ms", "1", "--tracef-every", "1000"],
});
console.log(`big trace: ${big.trace} (${(big.bytes / 1e6).toFixed(0)} MB, ${big.events.toLocaleString("en-US")} events)`);
bench("big UST trace", big.trace, big.events);
const small = bench("tc-many-threads", manyThreads, eventCount(cli, manyThreads) || 240644);
// What the 1.5x start-up target leaves once Node itself has started.
const node0 = nodeStartup(RUNS);
const budget = small.b.seconds / 1.5;
console.log(
  `  node -e 0 alone: ${node0.toFixed(3)} s; 1.5x babeltrace2 means ${budget.toFixed(3)} s in all, ${(budget - node0).toFixed(3)} s after Node's start-up`,
);
