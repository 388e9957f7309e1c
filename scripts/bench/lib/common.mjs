// What the benchmarks share: processes timed under /usr/bin/time, the traces they read,
// and demo-workload traces recorded once with real LTTng and cached under .bench-cache/.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../..", import.meta.url));
export const demo = join(root, "workload/build/tracedeck-demo");
/** The shared kernel traces sit beside the checkout (../shared/traces). */
export const manyThreads = join(root, "../shared/traces/tc-many-threads");

export function sh(file, args, opts = {}) {
  const r = spawnSync(file, args, { encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, TZ: "UTC" }, ...opts });
  if (r.error) throw r.error;
  return r;
}

/**
 * Wall seconds, CPU seconds (user + system, all threads: less sensitive to other jobs on
 * a shared machine), peak RSS (MB) and stdout of a whole process (/usr/bin/time).
 */
export function timed(file, args) {
  const r = sh("/usr/bin/time", ["-f", "TIME %e %U %S %M", file, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`${file} ${args.join(" ")} failed: ${r.stderr.slice(-500)}`);
  if (r.stdout.includes('"error-message"')) throw new Error(`${file} ${args.join(" ")}: ${r.stdout.slice(0, 300)}`);
  return { seconds: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMb: Number(m[4]) / 1024, stdout: r.stdout };
}

export const best = (xs) => xs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
export const bestCpu = (xs) => xs.reduce((a, b) => (b.cpu < a.cpu ? b : a));

/** Wall seconds of a Node process that does nothing: the start-up no JavaScript tool avoids. */
export function nodeStartup(runs) {
  return best(Array.from({ length: runs }, () => timed(process.execPath, ["-e", "0"]))).seconds;
}

/** The event count `tracedeck stats` finds in a trace. */
export function eventCount(cli, trace) {
  return Number(/^Events: (\d+)$/m.exec(sh(process.execPath, [cli, "stats", trace]).stdout)?.[1] ?? 0);
}

/**
 * A demo-workload UST trace in `dir`/trace, recorded once (`dir`/complete.json marks it
 * done; delete the directory to record again). Returns { trace, events, bytes }.
 */
export function cachedDemoTrace({ cli, dir, name, minEvents, events, contexts, workload }) {
  const trace = join(dir, "trace");
  const marker = join(dir, "complete.json");
  if (existsSync(marker)) {
    const m = JSON.parse(readFileSync(marker, "utf8"));
    if (m.events >= minEvents) return { trace, ...m };
  }
  if (!existsSync(demo)) {
    const b = sh(process.execPath, [join(root, "workload/build.mjs")], { stdio: "inherit" });
    if (b.status !== 0) throw new Error("cannot build the demo workload");
  }
  if (sh("pgrep", ["-x", "lttng-sessiond"]).status !== 0) sh("lttng-sessiond", ["-d"]);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const session = `tdbench-${name}-${process.pid}`;
  const lttng = (args) => {
    const r = sh("lttng", ["--no-sessiond", ...args]);
    if (r.status !== 0) throw new Error(`lttng ${args.join(" ")} failed: ${r.stderr}`);
  };
  console.log(`recording the ${name} trace (once) into ${trace} …`);
  lttng(["create", session, "-o", trace]);
  try {
    lttng(["enable-channel", "-u", "-s", session, "--subbuf-size=1M", "--num-subbuf=8", "ch"]);
    lttng(["enable-event", "-u", "-s", session, "-c", "ch", events.join(",")]);
    lttng(["add-context", "-u", "-s", session, "-c", "ch", ...contexts.flatMap((c) => ["-t", c])]);
    lttng(["start", session]);
    const w = sh(demo, [...workload, "--dir", dir]);
    if (w.status !== 0) throw new Error(`workload failed: ${w.stderr}`);
    lttng(["stop", session]);
  } finally {
    sh("lttng", ["--no-sessiond", "destroy", session]);
  }
  const m = { events: eventCount(cli, trace), bytes: Number(sh("du", ["-sb", trace]).stdout.split("\t")[0]), recordedAt: new Date().toISOString() };
  writeFileSync(marker, JSON.stringify(m));
  if (m.events < minEvents) console.log(`warning: only ${m.events} events recorded (wanted >= ${minEvents})`);
  return { trace, ...m };
}
