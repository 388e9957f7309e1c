#!/usr/bin/env node
// Live benchmark: the demo at LIVE_BENCH_RATE requests/s (4 events each; default 50,000 →
// 200 k events/s) into a live session (timer 100 ms) on the shared relay, read by
//   1. Tracedeck's server hub (one relay viewer in a worker thread) with 10 subscribers, and
//   2. babeltrace2 --input-format=lttng-live, on a second, identical session in the same run.
// For each: delay from event timestamp to delivery (subscriber) or to the printed line
// (babeltrace2), p50 / p99 / max; events/s decoded; events dropped at the server (relay's
// copy vs received); sampled toward slow subscribers; peak RSS. Never asserts.
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import * as esbuild from "esbuild";
import { demo, root, sh } from "./lib/common.mjs";

const RATE = Number(process.env.LIVE_BENCH_RATE ?? 50_000);
const SECONDS = Number(process.env.LIVE_BENCH_SECONDS ?? 8);
const SUBSCRIBERS = Number(process.env.LIVE_BENCH_SUBSCRIBERS ?? 10);
const LIVE_PORT = Number(process.env.TRACEDECK_RELAYD_LIVE_PORT ?? 5344);
const cli = join(root, "dist/tracedeck.mjs");
const cache = join(root, ".bench-cache");
mkdirSync(cache, { recursive: true });

const runner = join(cache, "live-runner.mjs");
await esbuild.build({
  absWorkingDir: root,
  entryPoints: [join(root, "scripts/bench/lib/live-runner.ts")],
  outfile: runner,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "warning",
  banner: { js: "import { createRequire as __tdCreateRequire } from 'node:module'; const require = __tdCreateRequire(import.meta.url);" },
});

const lttng = (args) => {
  const r = sh("lttng", ["--no-sessiond", ...args]);
  if (r.status !== 0) throw new Error(`lttng ${args.join(" ")}: ${r.stderr.trim()}`);
};

function createSession(name) {
  lttng(["create", name, "--live=100000", "-U", "net://127.0.0.1"]);
  // Only the bench's own demo: other jobs on the machine may run the same program.
  lttng(["untrack", "-u", "-s", name, "--vpid", "--all"]);
  lttng(["enable-channel", "-u", "-s", name, "--subbuf-size=1M", "--num-subbuf=8", "chan"]);
  lttng(["enable-event", "-u", "-s", name, "-c", "chan", "tracedeck_demo:*"]);
  lttng(["start", name]);
}

/** Runs the demo (tracked first), resolves with its summary line. */
function runDemo(name) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      demo,
      ["--rate", String(RATE), "--threads", "2", "--duration", String(SECONDS), "--slow-every", "5000", "--slow-ms", "5", "--dir", cache, "--start-on-stdin"],
      {
        env: { ...process.env, LTTNG_UST_REGISTER_TIMEOUT: "-1" },
        stdio: ["pipe", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("spawn", () => {
      lttng(["track", "-u", "-s", name, "--vpid", String(child.pid)]);
      child.stdin.end("go\n");
    });
    child.on("close", () => resolve(JSON.parse(out.trim().split("\n").pop() ?? "{}")));
  });
}

function relayDir(name) {
  const health = JSON.parse(sh(process.execPath, [cli, "daemons", "status", "--json"]).stdout);
  const base = join(health.relayd.outputDir, hostname());
  const d = readdirSync(base).find((e) => e.startsWith(`${name}-`));
  return d ? join(base, d) : null;
}

function eventsInRelayCopy(name) {
  const dir = relayDir(name);
  if (!dir) return NaN;
  return Number(/^Events: (\d+)$/m.exec(sh(process.execPath, [cli, "stats", dir]).stdout)?.[1] ?? NaN);
}

function cleanup(name) {
  try {
    lttng(["destroy", name]);
  } catch {
    /* already gone */
  }
  const dir = relayDir(name);
  if (dir) sh("rm", ["-rf", "--", dir]);
}

const stamp = `${process.pid}-${Date.now().toString(36)}`;
const fmtMs = (x) => `${x.toFixed(1)} ms`;

// 1. Tracedeck.
const ours = `tdbench-live-${stamp}`;
createSession(ours);
let mine;
try {
  const t0 = performance.now();
  const proc = spawn(process.execPath, [runner, ours, String(SUBSCRIBERS), String(SECONDS + 6), join(root, "dist/workers/live.mjs")], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, TRACEDECK_LOG_LEVEL: "warn" },
  });
  let out = "";
  proc.stdout.on("data", (d) => (out += d));
  const done = new Promise((r) => proc.on("close", r));
  await new Promise((r) => setTimeout(r, 1500)); // attached (SEEK_LAST) before the demo starts
  const summary = await runDemo(ours);
  lttng(["stop", ours]);
  await done;
  mine = { ...JSON.parse(out.trim()), summary, wall: (performance.now() - t0) / 1000 };
  mine.relayEvents = eventsInRelayCopy(ours);
} finally {
  cleanup(ours);
}

// 2. babeltrace2 on an identical session.
const ref = `tdbench-bt-${stamp}`;
createSession(ref);
let theirs;
try {
  const bt = spawn("babeltrace2", ["--input-format=lttng-live", `net://127.0.0.1:${LIVE_PORT}/host/${hostname()}/${ref}`], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, TZ: "UTC" },
  });
  let lines = 0;
  const hist = new Float64Array(200_000);
  let max = -Infinity;
  let dayNs = 0;
  const rl = createInterface({ input: bt.stdout });
  rl.on("line", (line) => {
    const m = /^\[(\d\d):(\d\d):(\d\d)\.(\d{9})\]/.exec(line);
    if (!m) return;
    lines++;
    const now = Date.now();
    if (dayNs === 0) dayNs = Math.floor(now / 86_400_000) * 86_400_000;
    const tsMs = dayNs + (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000 + Number(m[4]) / 1e6;
    const d = now - tsMs;
    hist[Math.max(0, Math.min(hist.length - 1, Math.floor(d * 10)))]++;
    if (d > max) max = d;
  });
  let peakRss = 0;
  const rssTimer = setInterval(() => {
    const r = sh("ps", ["-o", "rss=", "-p", String(bt.pid)]);
    const kb = Number(r.stdout.trim());
    if (kb) peakRss = Math.max(peakRss, kb / 1024);
  }, 250);
  const closed = new Promise((r) => bt.on("close", r));
  await new Promise((r) => setTimeout(r, 1500));
  const summary = await runDemo(ref);
  lttng(["stop", ref]);
  const relayEvents = eventsInRelayCopy(ref);
  lttng(["destroy", ref]); // babeltrace2 exits once the session is destroyed
  await Promise.race([closed, new Promise((r) => setTimeout(r, 20_000))]);
  bt.kill();
  clearInterval(rssTimer);
  const q = (p) => {
    let want = p * lines;
    for (let i = 0; i < hist.length; i++) if ((want -= hist[i]) <= 0) return (i + 1) / 10;
    return NaN;
  };
  theirs = { lines, p50: q(0.5), p99: q(0.99), max, summary, relayEvents, peakRssMb: peakRss };
} finally {
  cleanup(ref);
}

console.log(
  `demo: ${RATE.toLocaleString("en-US")} req/s × ${SECONDS} s = ${mine.summary.events?.toLocaleString("en-US")} events emitted, live timer 100 ms, ${SUBSCRIBERS} subscribers`,
);
console.log(
  `  tracedeck (hub, ${SUBSCRIBERS} subscribers)  delay p50 ${fmtMs(mine.p50)}  p99 ${fmtMs(mine.p99)}  max ${fmtMs(mine.max)}  ` +
    `decoded ${mine.received.toLocaleString("en-US")} (${Math.round(mine.received / SECONDS).toLocaleString("en-US")} ev/s over the demo's ${SECONDS} s)  ` +
    `dropped at the server ${(mine.relayEvents - mine.received).toLocaleString("en-US")} (relay copy ${mine.relayEvents.toLocaleString("en-US")})  ` +
    `sampled out toward slow subscribers ${mine.skipped.toLocaleString("en-US")}  tracer discarded ${mine.discarded}  peak RSS ${mine.peakRssMb.toFixed(0)} MB`,
);
console.log(
  `  babeltrace2 lttng-live text             delay p50 ${fmtMs(theirs.p50)}  p99 ${fmtMs(theirs.p99)}  max ${fmtMs(theirs.max)}  ` +
    `printed ${theirs.lines.toLocaleString("en-US")} of ${theirs.relayEvents.toLocaleString("en-US")} in its relay copy  peak RSS ${theirs.peakRssMb.toFixed(0)} MB`,
);
console.log(`  ratio of p99 delays babeltrace2/tracedeck: ${(theirs.p99 / mine.p99).toFixed(2)}x`);
