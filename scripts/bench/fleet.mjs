// `npm run bench -- fleet`: the fleet view's refresh and a bulk snapshot for 1, 10 and 50
// simulated hosts (real sshd servers on 50 loopback ports, 16 per server as OpenSSH allows,
// each port a host with its key pinned; every host reaches this machine's one root sessiond, where each has a real snapshot
// session of its own streaming to the local relay), then the /fleet page in real Chromium on a
// server holding the 50 hosts, loaded while the server asks every host again. Wall time beside
// CPU time (this machine is shared). Targets: the page < 1 s; a 50-host bulk snapshot < 5 s.
// The hosts log in as BENCH_FLEET_USER (default tracedeck-bench, made here if absent and removed
// after): a `tracing`-group account with /bin/sh, as SECURITY.md deploys a traced host. Root
// would do too, but its login shell is whatever the machine's root runs (this one's ~/.bashrc
// starts pyenv: 0.7 s per command), which would be measured instead of Tracedeck.
// The 50 hosts are this 2-core machine: their sshd and every command they run go into a CPU
// cgroup of the least weight (and nice BENCH_FLEET_NICE, default 19), so that their work, which
// real hosts do on CPUs of their own, waits behind the server's and the browser's. Niceness alone
// does not do it here: the kernel's autogroup schedules every SSH login as a group of its own.
// The LTTng daemons stay shared, at their own priority (a real host has its own).
// Measures and prints only; nothing here is a test. Needs the Next build for the page.
/* global document -- the functions given to page.waitForFunction run in the page */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { bundleRunners, ensureDaemons, root, serveAndLogIn, sh } from "./lib/common.mjs";
import { machineCpuS } from "./lib/proc-cpu.mjs";

const COUNTS = (process.env.BENCH_FLEET_HOSTS ?? "1,10,50").split(",").map(Number);
const RUNS = Number(process.env.BENCH_FLEET_RUNS ?? 5);
const PAGE_RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const ms = (x) => `${Math.round(x)} ms`;
const USER = process.env.BENCH_FLEET_USER ?? "tracedeck-bench";
const NICE = Number(process.env.BENCH_FLEET_NICE ?? 19);

/** A CPU cgroup of the least weight for the simulated hosts (cgroup v1 or v2), or "" where there is none to make. */
function hostsCgroup() {
  const v1 = "/sys/fs/cgroup/cpu";
  const v2 = "/sys/fs/cgroup";
  const name = `tracedeck-bench-hosts-${process.pid}`;
  try {
    if (existsSync(join(v1, "cpu.shares"))) {
      mkdirSync(join(v1, name));
      writeFileSync(join(v1, name, "cpu.shares"), "2");
      return join(v1, name);
    }
    if (readFileSync(join(v2, "cgroup.controllers"), "utf8").split(/\s+/).includes("cpu")) {
      mkdirSync(join(v2, name));
      writeFileSync(join(v2, name, "cpu.weight"), "1");
      return join(v2, name);
    }
  } catch (e) {
    console.log(`(no CPU cgroup for the simulated hosts: ${e instanceof Error ? e.message : e})`);
  }
  return "";
}

/** The simulated hosts' login user: made (system account, group `tracing`, /bin/sh) when absent; true when made here. */
function ensureUser(name) {
  if (sh("id", ["-u", name]).status === 0) return false;
  const add = sh("useradd", ["--system", "--gid", "tracing", "--shell", "/bin/sh", "--create-home", "--home-dir", `/var/lib/${name}`, name]);
  if (add.status !== 0) throw new Error(`useradd ${name} failed: ${add.stderr}`);
  // useradd leaves the account locked ("!"), and sshd without PAM refuses a locked account even with a key.
  const unlock = sh("usermod", ["-p", "*", name]);
  if (unlock.status !== 0) throw new Error(`usermod ${name} failed: ${unlock.stderr}`);
  return true;
}

const { "fleet-runner": runner, "fleet-sshd": sshdModule } = await bundleRunners({
  "fleet-runner": "scripts/bench/lib/fleet-runner.ts",
  "fleet-sshd": "server/fleet/testing/sshd.ts",
});

const load = () => (sh("cat", ["/proc/loadavg"]).stdout.split(" ")[0] ?? "?").trim();
ensureDaemons();
const madeUser = ensureUser(USER);
const cgroup = hostsCgroup();
process.on("exit", () => {
  if (madeUser) sh("userdel", ["--remove", USER]);
  if (cgroup) sh("rmdir", [cgroup]);
});
console.log(`load average at start: ${load()} (2 CPUs)`);
// stderr passes through: the runner reports each count as it finishes (a 50-host run is long).
const r = sh(process.execPath, [runner, COUNTS.join(","), String(RUNS), USER, String(NICE), cgroup], {
  cwd: root,
  env: { ...process.env, TZ: "UTC", TRACEDECK_LOG_LEVEL: "warn" },
  stdio: ["ignore", "pipe", "inherit"],
});
if (r.status !== 0) throw new Error(`fleet runner failed (exit ${r.status ?? r.signal})`);
const all = r.stdout
  .trim()
  .split("\n")
  .filter((l) => l.startsWith("{"))
  .map((l) => JSON.parse(l));
const probe = all.find((x) => x.probe);
const rows = all.filter((x) => !x.probe);
if (probe)
  console.log(
    `one \`lttng --mi xml version\` over an open SSH connection (as ${probe.user}, login shell ${probe.shell}, started per command; simulated hosts at nice ${NICE}${cgroup ? ", in a CPU cgroup of the least weight" : ""}): p50 ${ms(probe.sshP50Ms)}, max ${ms(probe.sshMaxMs)}; run here: p50 ${ms(probe.localP50Ms)}, max ${ms(probe.localMaxMs)}`,
  );
console.log(
  "\nhosts  asked up | refresh cold: wall / our CPU / machine CPU | refresh warm p50 / max (our CPU p50) | bulk snapshot p50 / max (our CPU p50, machine CPU p50)  ok   slowest host  target < 5 s",
);
for (const x of rows) {
  const cold = x.refreshCold;
  const w = x.refreshWarm;
  const s = x.snapshot;
  console.log(
    `${String(x.n).padEnd(6)} ${String(x.hostsAsked).padEnd(5)} ${String(x.up).padEnd(3)}| ${ms(cold.wallMs)} / ${ms(cold.cpuMs)} / ${cold.machineCpuS.toFixed(1)} s`.padEnd(
      62,
    ) +
      `| ${ms(w.p50Ms)} / ${ms(w.maxMs)} (${ms(w.cpuMsP50)})`.padEnd(39) +
      `| ${ms(s.p50Ms)} / ${ms(s.maxMs)} (${ms(s.cpuMsP50)}, ${s.machineCpuSP50.toFixed(1)} s)`.padEnd(50) +
      `${x.snapshotOk}/${x.n}`.padEnd(7) +
      `${ms(x.snapshotHostMaxMs)}`.padEnd(14) +
      (x.n === 50 ? (s.p50Ms < 5000 ? "met (p50)" : "not met") : ""),
  );
  for (const f of x.failures) console.log(`       failed: ${f}`);
}
console.log("(asked = the simulated hosts + this machine; refresh = every host's version, sessions and kernel tracer, each within its time limit)");

// The page: a server of its own (own data directory) holding the largest fleet.
const N = Math.max(...COUNTS);
const data = mkdtempSync(join(tmpdir(), "td-bench-fleet-"));
let close = async () => {};
let servers = [];
try {
  const { startSshdPool } = await import(sshdModule);
  const pool = await startSshdPool(N, { nice: NICE, cgroup: cgroup || undefined });
  servers = pool.servers;
  const served = await serveAndLogIn({
    data,
    port: 3980 + (process.pid % 9),
    env: { TRACEDECK_SECRET_KEY: randomBytes(32).toString("base64") },
    viewport: { width: 1700, height: 1000 },
  });
  close = served.close;
  const { base, page, api } = served;
  for (let i = 0; i < N; i += 8)
    await Promise.all(
      pool.endpoints
        .slice(i, i + 8)
        .map((e, k) => api("fleet.addHost", { name: `sim${String(i + k).padStart(3, "0")}`, address: "127.0.0.1", user: USER, ...e })),
    );
  await api("fleet.refresh");

  // Two conditions: the page loaded while the server asks all hosts again (it must not wait for
  // them), and loaded between refreshes (the server idle but for the page).
  for (const during of [true, false]) {
    const usable = [];
    const overviewMs = [];
    const ttfb = [];
    const dcl = [];
    const machine0 = machineCpuS();
    const t00 = Date.now();
    for (let k = 0; k < PAGE_RUNS + 1; k++) {
      // Between refreshes: the last one has just ended, so no read of the view starts another.
      const refreshing = during ? api("fleet.refresh") : await api("fleet.refresh");
      const t0 = Date.now();
      await page.goto(`${base}/fleet`);
      await page.waitForFunction((n) => document.querySelectorAll("[data-testid=fleet] tbody tr").length === n, N + 1, { timeout: 60_000 });
      const t1 = Date.now() - t0;
      const nav = await page.evaluate(() => {
        const n = performance.getEntriesByType("navigation")[0];
        return { ttfb: n?.responseStart ?? NaN, dcl: n?.domContentLoadedEventEnd ?? NaN };
      });
      const a0 = Date.now();
      const res = await page.request.get(`${base}/api/trpc/fleet.overview`);
      const a1 = Date.now() - a0;
      if (!res.ok()) throw new Error(`fleet.overview: ${res.status()}`);
      await refreshing;
      // The first load compiles and warms caches: not counted.
      if (k > 0) {
        usable.push(t1);
        overviewMs.push(a1);
        ttfb.push(nav.ttfb);
        dcl.push(nav.dcl);
      }
    }
    const busy = (machineCpuS() - machine0) / ((Date.now() - t00) / 1000) / 2;
    console.log(
      `\n/fleet page with ${N + 1} hosts, ${during ? "loaded while the server refreshes them all" : "loaded between refreshes"}, ${PAGE_RUNS} loads (machine ${Math.round(busy * 100)} % busy, load average now ${load()}):`,
    );
    console.log(
      `  table of ${N + 1} hosts shown p50 ${median(usable)} ms, max ${Math.max(...usable)} ms (HTML first byte p50 ${Math.round(median(ttfb))} ms, DOM content loaded p50 ${Math.round(median(dcl))} ms); fleet.overview answer p50 ${median(overviewMs)} ms, max ${Math.max(...overviewMs)} ms   target < 1 s: ${Math.max(...usable) < 1000 ? "met" : median(usable) < 1000 ? "met at p50, not at max" : "not met"}`,
    );
  }
} finally {
  await close();
  await Promise.all(servers.map((s) => s.dispose()));
  rmSync(data, { recursive: true, force: true });
}
