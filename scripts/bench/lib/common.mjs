// What the benchmarks share: processes timed under /usr/bin/time, the traces they read,
// demo-workload traces recorded once with real LTTng and cached under .bench-cache/, the
// TypeScript runners bundled for Node, and a server of their own with a logged-in Chromium page.
import { spawn, spawnSync } from "node:child_process";
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

/**
 * The root daemons the benchmarks drive (sessiond, and the relayd that live and streamed
 * sessions need), started as `npm start` does when absent: a bench run on a machine where
 * nothing is running yet must not fail half-way with a misleading LTTng error.
 */
export function ensureDaemons() {
  const r = sh(process.execPath, [join(root, "bin/tracedeck.mjs"), "daemons", "ensure"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, TRACEDECK_LOG_LEVEL: "warn" },
  });
  if (r.status !== 0) throw new Error(`tracedeck daemons ensure failed: ${r.stderr.slice(-500)}`);
}

/**
 * Bundles the benches' TypeScript runners (`{ name: "scripts/bench/lib/x.ts" }`) into
 * .bench-cache/NAME.mjs, inside the checkout so that their packages resolve from node_modules.
 * workload/build.mjs runs its CLI when it is the main module, which a bundle would make it:
 * it stays a module of its own. Returns name → bundle path.
 */
export async function bundleRunners(entries) {
  const esbuild = await import("esbuild");
  const outdir = join(root, ".bench-cache");
  mkdirSync(outdir, { recursive: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: entries,
    outdir,
    outExtension: { ".js": ".mjs" },
    plugins: [
      {
        name: "workload-build-external",
        setup(b) {
          b.onResolve({ filter: /workload\/build\.mjs$/ }, () => ({ path: join(root, "workload/build.mjs"), external: true }));
        },
      },
    ],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "warning",
    banner: { js: "import { createRequire as __tdCreateRequire } from 'node:module'; const require = __tdCreateRequire(import.meta.url);" },
  });
  return Object.fromEntries(Object.keys(entries).map((name) => [name, join(outdir, `${name}.mjs`)]));
}

/**
 * How to start the production server (`scripts/serve.mjs`: migrate, then `next start`), with
 * `env` its environment. With `cpuProfDir`, next-server runs under this node directly with
 * --cpu-prof (Node refuses it in NODE_OPTIONS), the migrations applied first; it writes its
 * profiles when stopped with SIGTERM.
 */
export function serverCommand({ port, env, cpuProfDir }) {
  if (!cpuProfDir) return { args: [join(root, "scripts/serve.mjs")], env };
  spawnSync(process.execPath, [join(root, "scripts/migrate.mjs")], { cwd: root, env, stdio: "inherit" });
  return {
    args: ["--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`, join(root, "node_modules/next/dist/bin/next"), "start", "-H", "127.0.0.1", "-p", String(port)],
    env: { ...env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  };
}

/**
 * A Tracedeck server of the bench's own (production build, own data directory and port, in
 * its own process group; `cpuProfDir`: profiled, see serverCommand) and a real Chromium page
 * logged in as its admin. `api(path, input)` calls a tRPC procedure as that user. `close()`
 * ends both.
 */
export async function serveAndLogIn({ data, port, env = {}, viewport, cpuProfDir }) {
  const { chromium } = await import("@playwright/test");
  const base = `http://127.0.0.1:${port}`;
  const password = "bench-operator-pw";
  const cmd = serverCommand({
    port,
    cpuProfDir,
    env: { ...process.env, TRACEDECK_DATA_DIR: data, TRACEDECK_PORT: String(port), TRACEDECK_ADMIN_PASSWORD: password, TRACEDECK_LOG_LEVEL: "warn", ...env },
  });
  const server = spawn(process.execPath, cmd.args, { cwd: root, env: cmd.env, stdio: ["ignore", "inherit", "inherit"], detached: true });
  let browser;
  const close = async () => {
    await browser?.close();
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
    // A profiled server writes its profiles as it exits.
    if (cpuProfDir) for (let i = 0; i < 100 && server.exitCode === null && server.signalCode === null; i++) await new Promise((r) => setTimeout(r, 200));
  };
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/login`)).ok) break;
      } catch {
        /* not yet */
      }
      if (i > 600 || server.exitCode !== null) throw new Error("server did not start");
      await new Promise((res) => setTimeout(res, 200));
    }
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const page = await (await browser.newContext(viewport ? { viewport } : {})).newPage();
    await page.goto(`${base}/login`);
    await page.locator("form[data-hydrated=true]").waitFor();
    await page.getByLabel("User name", { exact: true }).fill("admin");
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByTestId("current-user").waitFor();
    const api = async (path, input) => {
      const res = await page.request.post(`${base}/api/trpc/${path}`, { data: { json: input ?? null } });
      if (!res.ok()) throw new Error(`${path}: ${res.status()} ${(await res.text()).slice(0, 300)}`);
      return res.json();
    };
    return { base, page, api, close };
  } catch (e) {
    await close();
    throw e;
  }
}
