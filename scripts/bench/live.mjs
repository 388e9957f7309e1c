#!/usr/bin/env node
// Live benchmark: the demo at LIVE_BENCH_RATE requests/s (4 events each; default 50,000 →
// 200 k events/s) into a live session (timer 100 ms) on the shared relay, read by
//   1. a Tracedeck server (`npm start`'s, its own data directory and port) with 10 browser
//      subscribers: `live.stream` over HTTP/SSE, each message parsed as the Live page's tRPC
//      client parses it (lib/live-sse-runner.ts, a process of its own), then
//   2. babeltrace2 --input-format=lttng-live, on a second, identical session, after the first
//      is over (never both at once: they would compete for the machine's cores).
// LIVE_BENCH_ONLY=hub instead runs the server's hub in-process with its subscribers (no HTTP):
// the fan-out without the wire.
// For each: delay from event timestamp to delivery (at the subscriber, after parsing) or to
// the printed line (babeltrace2), p50 / p99 / max; events/s decoded; events dropped at the
// server (relay's copy vs received once the destroyed session drained); sampled toward slow
// subscribers; peak RSS; CPU time. Never asserts.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { bundleRunners, demo, ensureDaemons, root, serveAndLogIn, sh } from "./lib/common.mjs";
import { Delays } from "./lib/delays.mjs";
import { machineCpuS, threadCpu } from "./lib/proc-cpu.mjs";

const RATE = Number(process.env.LIVE_BENCH_RATE ?? 50_000);
const SECONDS = Number(process.env.LIVE_BENCH_SECONDS ?? 8);
const SUBSCRIBERS = Number(process.env.LIVE_BENCH_SUBSCRIBERS ?? 10);
/** Extra node flags for the hub runner, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" (workers inherit them); LIVE_BENCH_SERVER_CPU_PROF=DIR profiles the server. */
const NODE_ARGS = (process.env.LIVE_BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
/** "tracedeck" (server + SSE), "hub", "babeltrace2" or "stages" runs that part only; tracedeck then babeltrace2 by default. */
const ONLY = process.env.LIVE_BENCH_ONLY ?? "";
/** Also the consumer alone, with the delay split per stage (a third session, after the others). */
const STAGES = Boolean(process.env.LIVE_BENCH_STAGES);
/** Seconds after the demo's end that the Tracedeck side may take to drain before it is cut off. */
const DRAIN_LIMIT_S = 60;
const LIVE_PORT = Number(process.env.TRACEDECK_RELAYD_LIVE_PORT ?? 5344);
const cli = join(root, "dist/tracedeck.mjs");
const cache = join(root, ".bench-cache");
mkdirSync(cache, { recursive: true });

const {
  "live-runner": runner,
  "live-sse-runner": sseRunner,
  "live-stages": stagesRunner,
} = await bundleRunners({
  "live-runner": "scripts/bench/lib/live-runner.ts",
  "live-sse-runner": "scripts/bench/lib/live-sse-runner.ts",
  "live-stages": "scripts/bench/lib/live-stages.ts",
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
    let cpuS = 0;
    // Its CPU, read while it runs (a child's rusage is not given once it exits).
    const cpuTimer = setInterval(() => {
      try {
        cpuS = threadCpu(child.pid).reduce((a, t) => a + t.cpuS, 0);
      } catch {
        /* exited */
      }
    }, 250);
    child.stdout.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("spawn", () => {
      lttng(["track", "-u", "-s", name, "--vpid", String(child.pid)]);
      child.stdin.end("go\n");
    });
    child.on("close", () => {
      clearInterval(cpuTimer);
      resolve({ ...JSON.parse(out.trim().split("\n").pop() ?? "{}"), cpuS });
    });
  });
}

function relayDir(name) {
  const health = JSON.parse(sh(process.execPath, [cli, "daemons", "status", "--json"]).stdout);
  const base = join(health.relayd.outputDir, hostname());
  const d = readdirSync(base).find((e) => e.startsWith(`${name}-`));
  return d ? join(base, d) : null;
}

/**
 * CPU seconds of each thread of the shared lttng-relayd, by thread: its live worker serves
 * every viewer command (live.c `thread_worker`), so its CPU over a run divided by the
 * commands sent is what one command costs the relay, apart from the wait for a core.
 */
function relaydThreadCpu() {
  const health = JSON.parse(sh(process.execPath, [cli, "daemons", "status", "--json"]).stdout);
  const pid = health.relayd?.pid;
  return new Map(pid ? threadCpu(pid).map((t) => [t.tid, t]) : []);
}

/** The relay's CPU between two relaydThreadCpu() readings: the busiest thread and the total. */
function relaydCpuDelta(before, after) {
  const d = [...after].map(([tid, a]) => ({ tid, name: a.name, cpuS: a.cpuS - (before.get(tid)?.cpuS ?? 0) })).sort((x, y) => y.cpuS - x.cpuS);
  return { totalS: d.reduce((a, t) => a + t.cpuS, 0), threads: d.filter((t) => t.cpuS > 0).slice(0, 4) };
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

/** The pid of the process whose parent is `ppid` and whose command line matches `re` (the server under serve.mjs). */
function childMatching(ppid, re) {
  for (const p of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) !== ppid) continue;
      if (re.test(readFileSync(`/proc/${p}/cmdline`, "utf8"))) return Number(p);
      const deeper = childMatching(Number(p), re);
      if (deeper) return deeper;
    } catch {
      /* gone */
    }
  }
  return undefined;
}

/**
 * Runs a reader process (node ARGS) on session `name`: 1.5 s to attach (SEEK_LAST) before the
 * demo starts; then the session is stopped and destroyed, drains to the viewer and the channel
 * ends, so the reader has every event the server will ever get and "dropped" is what it
 * really lost (not a backlog cut off by a deadline; DRAIN_LIMIT_S only bounds a run that
 * never ends). Returns the reader's JSON line and the demo's summary.
 */
async function readWhileDemo(name, args, env = process.env) {
  const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"], env });
  let out = "";
  proc.stdout.on("data", (d) => (out += d));
  const done = new Promise((r) => proc.on("close", r));
  await new Promise((r) => setTimeout(r, 1500));
  const summary = await runDemo(name);
  lttng(["stop", name]);
  lttng(["destroy", name]);
  await done;
  if (process.env.LIVE_BENCH_VERBOSE) console.error(out.trim());
  return { result: JSON.parse(out.trim()), summary };
}

/** A Tracedeck server with SUBSCRIBERS browser subscribers over SSE (lib/live-sse-runner.ts). */
async function runTracedeckSse() {
  const name = `tdbench-sse-${stamp}`;
  const data = mkdtempSync(join(tmpdir(), "td-bench-live-"));
  const served = await serveAndLogIn({ data, port: 3980 + (process.pid % 9), cpuProfDir: process.env.LIVE_BENCH_SERVER_CPU_PROF });
  try {
    const cookie = (await served.page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    // The login page's browser stays idle meanwhile: only the runner's subscribers read.
    await served.page.goto("about:blank");
    const serverPid = childMatching(process.pid, /next-server|next[^/]*start/);
    if (!serverPid) throw new Error("the Tracedeck server process was not found");
    createSession(name);
    const cpuBefore = threadCpu(serverPid);
    const { result: r, summary } = await readWhileDemo(name, [sseRunner, served.base, cookie, name, String(SUBSCRIBERS), String(SECONDS + DRAIN_LIMIT_S)]);
    const after = threadCpu(serverPid);
    const delta = after.map((t) => ({ ...t, cpuS: t.cpuS - (cpuBefore.find((b) => b.tid === t.tid)?.cpuS ?? 0) })).sort((a, b) => b.cpuS - a.cpuS);
    const peakRssMb = Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${serverPid}/status`, "utf8"))?.[1] ?? NaN) / 1000;
    return {
      ...r,
      summary,
      relayEvents: eventsInRelayCopy(name),
      peakRssMb,
      cpuMainS: delta.find((t) => t.main)?.cpuS ?? NaN,
      // The busiest other thread over the run is the live worker (the rest: V8 and libuv helpers).
      cpuWorkerS: delta.find((t) => !t.main)?.cpuS ?? NaN,
      cpuTotalS: delta.reduce((a, t) => a + t.cpuS, 0),
    };
  } finally {
    cleanup(name);
    await served.close();
    rmSync(data, { recursive: true, force: true });
  }
}

/** Tracedeck's server hub with SUBSCRIBERS subscribers, in a process of its own (runner), no HTTP. */
async function runHub() {
  const name = `tdbench-live-${stamp}`;
  createSession(name);
  try {
    const { result, summary } = await readWhileDemo(
      name,
      [...NODE_ARGS, runner, name, String(SUBSCRIBERS), String(SECONDS + DRAIN_LIMIT_S), join(root, "dist/workers/live.mjs")],
      { ...process.env, TRACEDECK_LOG_LEVEL: "warn" },
    );
    return { ...result, summary, relayEvents: eventsInRelayCopy(name) };
  } finally {
    cleanup(name);
  }
}

/** babeltrace2 --input-format=lttng-live on an identical session, its text parsed as it comes. */
async function runBabeltrace2() {
  const name = `tdbench-bt-${stamp}`;
  createSession(name);
  try {
    const bt = spawn("babeltrace2", ["--input-format=lttng-live", `net://127.0.0.1:${LIVE_PORT}/host/${hostname()}/${name}`], {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, TZ: "UTC" },
    });
    const delays = new Delays();
    let dayNs = 0;
    const rl = createInterface({ input: bt.stdout });
    rl.on("line", (line) => {
      const m = /^\[(\d\d):(\d\d):(\d\d)\.(\d{9})\]/.exec(line);
      if (!m) return;
      const now = Date.now();
      if (dayNs === 0) dayNs = Math.floor(now / 86_400_000) * 86_400_000;
      delays.add(now - (dayNs + (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000 + Number(m[4]) / 1e6));
    });
    let peakRss = 0;
    let cpuS = 0;
    const rssTimer = setInterval(() => {
      try {
        const stat = readFileSync(`/proc/${bt.pid}/stat`, "utf8");
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        // utime, stime (ticks of 1/100 s), rss (pages of 4 KiB): fields 14, 15 and 24 of stat.
        cpuS = (Number(f[11]) + Number(f[12])) / 100;
        peakRss = Math.max(peakRss, (Number(f[21]) * 4096) / 1e6);
      } catch {
        /* exited */
      }
    }, 250);
    const closed = new Promise((r) => bt.on("close", r));
    await new Promise((r) => setTimeout(r, 1500));
    const summary = await runDemo(name);
    lttng(["stop", name]);
    lttng(["destroy", name]); // babeltrace2 exits once the session is destroyed and drained
    await Promise.race([closed, new Promise((r) => setTimeout(r, DRAIN_LIMIT_S * 1000))]);
    bt.kill();
    clearInterval(rssTimer);
    return {
      lines: delays.count,
      p50: delays.quantile(0.5),
      p99: delays.quantile(0.99),
      max: delays.max,
      summary,
      relayEvents: eventsInRelayCopy(name),
      peakRssMb: peakRss,
      cpuS,
    };
  } finally {
    cleanup(name);
  }
}

/** The consumer alone on a third identical session: the delay per stage. */
async function runStages() {
  const name = `tdbench-stages-${stamp}`;
  createSession(name);
  try {
    const proc = spawn(process.execPath, [stagesRunner, name, String(LIVE_PORT)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    proc.stdout.on("data", (d) => (out += d));
    const done = new Promise((r) => proc.on("close", r));
    await new Promise((r) => setTimeout(r, 1500));
    await runDemo(name);
    lttng(["stop", name]);
    lttng(["destroy", name]);
    await Promise.race([done, new Promise((r) => setTimeout(r, DRAIN_LIMIT_S * 1000))]);
    proc.kill();
    return out.trim() ? JSON.parse(out.trim()) : undefined;
  } finally {
    cleanup(name);
  }
}

// One after the other, never at the same time: on a 2-core machine the two readers would
// compete for the cores (with relayd, consumerd and the demo) and each would slow the other.
/**
 * Runs one side and notes the relay's CPU meanwhile (other viewers of the shared relay count
 * too: say so), and the whole machine's: busy CPU seconds against the wall time × 2 cores.
 */
async function withRelayCpu(fn) {
  const before = relaydThreadCpu();
  const m0 = machineCpuS();
  const t0 = performance.now();
  const r = await fn();
  return r && { ...r, relayd: relaydCpuDelta(before, relaydThreadCpu()), machine: { busyS: machineCpuS() - m0, wallS: (performance.now() - t0) / 1000 } };
}
ensureDaemons();
const mine = ONLY === "" || ONLY === "tracedeck" ? await withRelayCpu(runTracedeckSse) : ONLY === "hub" ? await withRelayCpu(runHub) : undefined;
const side = ONLY === "hub" ? `hub in-process, ${SUBSCRIBERS} subscribers` : `server → ${SUBSCRIBERS} SSE subscribers`;
const theirs = ONLY === "" || ONLY === "babeltrace2" ? await withRelayCpu(runBabeltrace2) : undefined;
const stages = STAGES || ONLY === "stages" ? await withRelayCpu(runStages) : undefined;
const relayLine = (r) =>
  `    lttng-relayd CPU meanwhile ${r.relayd.totalS.toFixed(2)} s (threads: ${r.relayd.threads.map((t) => `${t.name}/${t.tid} ${t.cpuS.toFixed(2)}`).join(", ")}); ` +
  `${r.summary ? `the demo ${r.summary.cpuS.toFixed(1)} s; ` : ""}the machine busy ${r.machine.busyS.toFixed(1)} of ${(r.machine.wallS * cpus().length).toFixed(1)} CPU-s (${cpus().length} CPUs × ${r.machine.wallS.toFixed(1)} s)`;

const n = (x) => x.toLocaleString("en-US");
const first = mine ?? theirs;
console.log(
  `demo: ${n(RATE)} req/s × ${SECONDS} s = ${n(first?.summary.events ?? RATE * 4 * SECONDS)} events emitted, live timer 100 ms, ${SUBSCRIBERS} subscribers`,
);
if (mine)
  console.log(
    `  tracedeck (${side})  delay p50 ${fmtMs(mine.p50)}  p99 ${fmtMs(mine.p99)}  max ${fmtMs(mine.max)}  ` +
      `decoded ${n(mine.received)} (${n(Math.round(mine.received / SECONDS))} ev/s over the demo's ${SECONDS} s)  ` +
      `dropped at the server ${n(mine.relayEvents - mine.received)} (relay copy ${n(mine.relayEvents)})  ` +
      `sampled out toward slow subscribers ${n(mine.skipped)}  tracer discarded ${mine.discarded}  peak RSS ${mine.peakRssMb.toFixed(0)} MB  ` +
      `CPU ${mine.cpuTotalS.toFixed(1)} s (main thread ${mine.cpuMainS.toFixed(1)} s, live worker ${mine.cpuWorkerS.toFixed(1)} s)` +
      (mine.cpuClientS !== undefined
        ? `  subscribers' process CPU ${mine.cpuClientS.toFixed(1)} s, ${mine.sseMbPerSubscriber.toFixed(1)} MB of SSE each${mine.errors.length ? `  errors: ${mine.errors.join(" | ")}` : ""}`
        : ""),
  );
if (theirs)
  console.log(
    `  babeltrace2 lttng-live text             delay p50 ${fmtMs(theirs.p50)}  p99 ${fmtMs(theirs.p99)}  max ${fmtMs(theirs.max)}  ` +
      `printed ${n(theirs.lines)} of ${n(theirs.relayEvents)} in its relay copy  peak RSS ${theirs.peakRssMb.toFixed(0)} MB  CPU ${theirs.cpuS.toFixed(1)} s`,
  );
if (mine?.lag)
  console.log(
    `    lag of subscriber 1 along the run (first, ¼, ½, ¾, last batch): ${mine.lag.map((l) => `+${l.atS.toFixed(1)} s ${n(l.delayMs)} ms`).join(", ")}`,
  );
if (mine) console.log(relayLine(mine));
if (theirs) console.log(relayLine(theirs));
if (mine && theirs) console.log(`  ratio of p99 delays babeltrace2/tracedeck: ${(theirs.p99 / mine.p99).toFixed(2)}x`);
if (stages) {
  const st = (x) => `p50 ${fmtMs(x.p50)}  p99 ${fmtMs(x.p99)}  max ${fmtMs(x.max)}`;
  console.log(
    `  stages (consumer alone, ${n(stages.events)} events, ${stages.cpuS.toFixed(1)} s CPU, ${n(stages.commands)} relay commands for ${n(stages.packets)} packets):`,
  );
  console.log(`    event age at its packet's end (tracer, live-timer flush)   ${st(stages.ageAtPacketEnd)}`);
  console.log(`    packet end → fetched and decoded (consumerd, relayd, poll)  ${st(stages.packetEndToDecoded)}`);
  console.log(`    event age when the merge hands it out                      ${st(stages.ageAtMerge)}`);
  console.log(`    (the hub adds worker → main thread and fan-out to subscribers: its delay minus this last line)`);
  console.log(relayLine(stages));
  const busiest = stages.relayd.threads[0];
  if (busiest && stages.commands > 0)
    console.log(`    relay CPU per command (busiest relay thread / commands): ${((busiest.cpuS * 1000) / stages.commands).toFixed(3)} ms`);
}
