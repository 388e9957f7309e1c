#!/usr/bin/env node
// Load benchmark: the real server (`node scripts/serve.mjs`, production build) on a loopback
// port of its own, with a fresh data directory, against the host's daemons (read-only calls).
//   1. 50 SSE subscribers (daemons.watch, as every open tab's status bar) held for 60 s while
//      an open-loop client sends 100 API requests/s (the queries pages poll) — 6,000 requests,
//      at most 200 in flight (beyond that a request counts as an error, not as a queue);
//   2. 5 concurrent analyses (SSE, worker threads) of the biggest shared trace, restarted as
//      each finishes, for 30 s, while the status bar's query (daemons.health) is timed 5 times
//      a second. Target: < 200 ms.
// Prints latency percentiles, errors and the server's peak RSS (all its processes). Never
// asserts; a missed target is printed as such.
// LOAD_BENCH_CPU_PROF=DIR: the server's processes write V8 CPU profiles (--cpu-prof) into DIR
// (they are stopped with SIGTERM so that they write them); `node scripts/bench/lib/cpuprofile-top.mjs DIR/*.cpuprofile` sums them.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root, serverCommand } from "./lib/common.mjs";

const SUBSCRIBERS = 50;
const RATE = 100;
const SECONDS = Number(process.env.LOAD_BENCH_SECONDS ?? 60);
const MAX_IN_FLIGHT = 200;
const ANALYSES = 5;
const ANALYSIS_SECONDS = Number(process.env.LOAD_BENCH_ANALYSIS_SECONDS ?? 30);
const STATUS_TARGET_MS = 200;
const PASSWORD = "load-bench-operator";
const PORT = 3950 + (process.pid % 40);
const URL_BASE = `http://127.0.0.1:${PORT}`;

const PROFILE_DIR = process.env.LOAD_BENCH_CPU_PROF;
const sharedTraces = realpathSync(join(root, "../shared/traces"));
const dataDir = mkdtempSync(join(tmpdir(), "tracedeck-load-"));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function dirBytes(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n += statSync(join(e.parentPath, e.name)).size;
  return n;
}
const biggest = readdirSync(sharedTraces, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => ({ path: join(sharedTraces, e.name), bytes: dirBytes(join(sharedTraces, e.name)) }))
  .sort((a, b) => b.bytes - a.bytes)[0];

// ---------------------------------------------------------------- the server and its memory
const serverEnv = {
  ...process.env,
  TRACEDECK_DATA_DIR: dataDir,
  TRACEDECK_PORT: String(PORT),
  TRACEDECK_ADMIN_PASSWORD: PASSWORD,
  TRACEDECK_LOG_LEVEL: "error",
  TRACEDECK_TRACE_ROOTS: sharedTraces,
};
const serverCmd = serverCommand({ port: PORT, env: serverEnv, cpuProfDir: PROFILE_DIR });
const server = spawn(process.execPath, serverCmd.args, { cwd: root, detached: true, stdio: ["ignore", "ignore", "pipe"], env: serverCmd.env });
let serverErr = "";
server.stderr.on("data", (b) => (serverErr = (serverErr + b).slice(-4000)));
const stopServer = () => {
  try {
    process.kill(-server.pid, "SIGKILL");
  } catch {
    /* gone */
  }
};
process.on("exit", () => {
  stopServer();
  rmSync(dataDir, { recursive: true, force: true });
});
process.on("SIGINT", () => process.exit(130));

function descendants(pid) {
  const kids = new Map();
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const s = readFileSync(`/proc/${e}/stat`, "utf8");
      const ppid = Number(s.slice(s.lastIndexOf(")") + 2).split(" ")[1]);
      if (!kids.has(ppid)) kids.set(ppid, []);
      kids.get(ppid).push(Number(e));
    } catch {
      /* exited */
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(kids.get(out[i]) ?? []));
  return out;
}
function treeRssMb() {
  let kb = 0;
  for (const p of descendants(server.pid)) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      /* exited */
    }
  }
  return kb / 1024;
}
/** CPU seconds (user + system) used so far by the server's processes, threads included. */
function treeCpuSeconds() {
  let ticks = 0;
  for (const p of descendants(server.pid)) {
    try {
      const s = readFileSync(`/proc/${p}/stat`, "utf8");
      const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      /* exited */
    }
  }
  return ticks / 100;
}
let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, treeRssMb())), 250);

// ---------------------------------------------------------------- a logged-in client
const deadline = Date.now() + 120_000;
for (;;) {
  if (server.exitCode !== null) throw new Error(`server exited: ${serverErr}`);
  try {
    if ((await fetch(`${URL_BASE}/login`)).ok) break;
  } catch {
    /* not yet */
  }
  if (Date.now() > deadline) throw new Error(`server did not start: ${serverErr}`);
  await sleep(300);
}
const login = await fetch(`${URL_BASE}/api/trpc/auth.login`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ json: { username: "admin", password: PASSWORD } }),
});
const cookie = `td_session=${/td_session=([^;]*)/.exec(login.headers.get("set-cookie") ?? "")?.[1]}`;
if (!login.ok) throw new Error(`login failed: ${login.status}`);
const q = (path, input) => `${URL_BASE}/api/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`;
const idleRss = treeRssMb();
peakRss = idleRss;

/** One timed query; rejects on HTTP or tRPC error. */
async function timedQuery(path, input) {
  const t0 = performance.now();
  const res = await fetch(q(path, input), { headers: { cookie } });
  const body = await res.text();
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${body.slice(0, 120)}`);
  return performance.now() - t0;
}

/** An SSE subscription read until `signal` aborts; calls onData for each `data:` line. */
async function subscribe(path, input, signal, onData) {
  const res = await fetch(q(path, input), { headers: { cookie, accept: "text/event-stream" }, signal });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buf += dec.decode(value, { stream: true });
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.startsWith("data:")) onData(line.slice(5));
      else if (line.startsWith("event: serialized-error")) onData(null);
    }
  }
}

const pct = (xs, p) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const line = (xs) =>
  `p50 ${pct(xs, 50).toFixed(1)} ms, p90 ${pct(xs, 90).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (n=${xs.length})`;

const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
console.log(`server on ${URL_BASE} (production build), ${idleRss.toFixed(0)} MB RSS idle; load average ${load} on 2 shared CPUs`);

// ---------------------------------------------------------------- 1. subscribers + request rate
console.log(`\n1. ${SUBSCRIBERS} SSE subscribers (daemons.watch) + ${RATE} API requests/s for ${SECONDS} s`);
const subsAbort = new AbortController();
const subs = { connected: 0, firstData: 0, errors: 0, ended: 0 };
const subTasks = Array.from({ length: SUBSCRIBERS }, () => {
  let first = true;
  subs.connected++;
  return subscribe("daemons.watch", undefined, subsAbort.signal, (d) => {
    if (d === null) subs.errors++;
    else if (first) {
      first = false;
      subs.firstData++;
    }
  }).then(
    () => subs.ended++,
    (e) => {
      if (e.name !== "AbortError") subs.errors++;
    },
  );
});

// The queries pages poll; sessions.list spawns `lttng list` on the shared daemon, so a small share.
const MIX = [
  ["daemons.health", undefined, 30],
  ["auth.me", undefined, 25],
  ["system.info", undefined, 15],
  ["traces.list", undefined, 10],
  ["archives.list", {}, 10],
  ["analyses.list", undefined, 5],
  ["sessions.list", undefined, 5],
];
const weights = MIX.reduce((n, m) => n + m[2], 0);
const pick = (i) => {
  let k = (i * 37) % weights;
  for (const m of MIX) if ((k -= m[2]) < 0) return m;
  return MIX[0];
};
const lat = [];
const perPath = new Map();
const errors = new Map();
let inFlight = 0;
let maxInFlight = 0;
const total = RATE * SECONDS;
const t0 = performance.now();
const cpu0 = treeCpuSeconds();
const pendingReqs = [];
for (let i = 0; i < total; i++) {
  const due = t0 + (i * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 0) await sleep(wait);
  const [path, input] = pick(i);
  if (inFlight >= MAX_IN_FLIGHT) {
    errors.set("more than 200 in flight (not sent)", (errors.get("more than 200 in flight (not sent)") ?? 0) + 1);
    continue;
  }
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
  pendingReqs.push(
    timedQuery(path, input)
      .then(
        (ms) => {
          lat.push(ms);
          if (!perPath.has(path)) perPath.set(path, []);
          perPath.get(path).push(ms);
        },
        (e) => {
          const k = String(e.message ?? e).slice(0, 100);
          errors.set(k, (errors.get(k) ?? 0) + 1);
        },
      )
      .finally(() => inFlight--),
  );
}
await Promise.all(pendingReqs);
const elapsed = (performance.now() - t0) / 1000;
const cpuUsed = treeCpuSeconds() - cpu0;
subsAbort.abort();
await Promise.all(subTasks);
const errCount = [...errors.values()].reduce((a, b) => a + b, 0);
console.log(
  `  requests: ${lat.length} ok, ${errCount} errors in ${elapsed.toFixed(1)} s (${(lat.length / elapsed).toFixed(1)}/s achieved; max ${maxInFlight} in flight)`,
);
console.log(`  latency: ${line(lat)}`);
console.log(
  `  server CPU: ${cpuUsed.toFixed(1)} s for ${lat.length} requests + ${SUBSCRIBERS} subscribers = ${((cpuUsed * 1000) / Math.max(1, lat.length)).toFixed(1)} ms CPU per request (so at most ~${Math.floor((2 * lat.length) / Math.max(cpuUsed, 0.001))} requests/s on 2 idle CPUs)`,
);
for (const [path, xs] of perPath) console.log(`    ${path.padEnd(16)} ${line(xs)}`);
for (const [k, n] of errors) console.log(`  error ×${n}: ${k}`);
console.log(`  subscribers: ${subs.connected} opened, ${subs.firstData} got their first status, ${subs.errors} errors, ${subs.ended} ended early`);
console.log(`  server peak RSS: ${peakRss.toFixed(0)} MB (idle ${idleRss.toFixed(0)} MB)`);

// ---------------------------------------------------------------- 2. analyses + status bar
/** The status bar's query, one at a time every 200 ms, until `end`. */
async function statusSamples(end) {
  const ms = [];
  const errs = [];
  while (Date.now() < end) {
    try {
      ms.push(await timedQuery("daemons.health"));
    } catch (e) {
      errs.push(String(e.message ?? e));
    }
    await sleep(200);
  }
  return { ms, errs };
}
// The same probe with nothing else running: what the machine's own load costs the status bar.
const idle = await statusSamples(Date.now() + 10_000);
console.log(`\n   status bar with no other request (baseline, 10 s): ${line(idle.ms)}, ${idle.errs.length} errors`);
const traceMb = (biggest.bytes / 1e6).toFixed(1);
console.log(
  `\n2. ${ANALYSES} concurrent analyses of ${biggest.path} (${traceMb} MB, the biggest shared trace) for ${ANALYSIS_SECONDS} s; status bar (daemons.health) timed every 200 ms`,
);
peakRss = treeRssMb();
const anAbort = new AbortController();
const analysisKinds = ["iolatencytop", "schedtop", "syscallstats", "iolatencystats", "schedfreq"];
const an = { done: 0, failed: 0, ms: [] };
const anEnd = Date.now() + ANALYSIS_SECONDS * 1000;
const runners = Array.from({ length: ANALYSES }, async (_, k) => {
  while (Date.now() < anEnd && !anAbort.signal.aborted) {
    const s = performance.now();
    let ok = false;
    try {
      await subscribe("analyses.run", { trace: biggest.path, analysis: analysisKinds[k % analysisKinds.length], options: {} }, anAbort.signal, (d) => {
        if (d === null) an.failed++;
        else if (d.includes('"type":"result"')) ok = true;
      });
    } catch (e) {
      if (e.name === "AbortError") return;
      an.failed++;
    }
    if (ok) {
      an.done++;
      an.ms.push(performance.now() - s);
    } else if (!anAbort.signal.aborted) {
      // Mostly the quota's refusals (2 analyses per user, 4 in all): retrying at once would
      // turn 3 of the 5 clients into a request loop that measures itself, not the analyses.
      an.failed++;
      await sleep(1000);
    }
  }
});
await sleep(1000); // let the workers start
const { ms: status, errs: statusErrors } = await statusSamples(anEnd);
anAbort.abort();
await Promise.all(runners);
clearInterval(rssTimer);
console.log(
  `  analyses: ${an.done} finished, ${an.failed} refused or failed (quota: 2 per user, 4 in all; the pool runs 2 at once; a refused client retries after 1 s); each took ${an.ms.length ? line(an.ms) : "—"}`,
);
console.log(`  status bar: ${line(status)}, ${statusErrors.length} errors; p50 ${(pct(status, 50) / pct(idle.ms, 50)).toFixed(1)}x the baseline`);
const p99 = pct(status, 99);
console.log(
  `  target < ${STATUS_TARGET_MS} ms: ${p99 < STATUS_TARGET_MS ? "met" : "MISSED"} at p99 (${p99.toFixed(1)} ms), ${status.filter((x) => x >= STATUS_TARGET_MS).length} of ${status.length} samples at or over`,
);
console.log(`  server peak RSS: ${peakRss.toFixed(0)} MB`);
if (PROFILE_DIR) {
  // A profile is written at a normal exit only: ask, then wait a bounded time.
  process.kill(-server.pid, "SIGTERM");
  for (let i = 0; i < 100 && server.exitCode === null && server.signalCode === null; i++) await sleep(200);
  console.log(`  CPU profiles in ${PROFILE_DIR}`);
}
process.exit(0);
