#!/usr/bin/env node
// `npm start` and `npm test` on a fresh Debian 12 machine: install what is missing, migrate,
// build, make sure lttng-sessiond and lttng-relayd run, then serve or test.
// Only Node built-ins here: this runs before `npm ci` has installed anything.
//
//   node scripts/setup.mjs start   set up, then serve on 127.0.0.1:3000 until Ctrl-C
//   node scripts/setup.mjs test    set up, then lint (ESLint, Prettier --check), unit + integration
//                                  (Vitest) and e2e (Playwright)
//   node scripts/setup.mjs setup   set up only
//
// Ctrl-C stops the server and nothing else: the LTTng daemons hold every recording session
// and snapshot ring buffer on the host, so they outlive the dashboard (its crash included) and
// stop only on an operator's explicit `tracedeck daemons stop … --yes`. The test run alone
// stops, explicitly at its end, the daemons it started itself.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { superviseChild } from "./child.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const mode = process.argv[2] ?? "setup";
if (!["start", "test", "setup"].includes(mode)) {
  console.error(`usage: node scripts/setup.mjs start|test|setup`);
  process.exit(2);
}
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };
const isRoot = process.getuid?.() === 0;

const step = (msg) => console.log(`\n▶ ${msg}`);
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env, ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status ?? r.signal}`);
}

// 1. Debian packages ---------------------------------------------------------------------
const PACKAGES = ["lttng-tools", "liblttng-ust-dev", "liblttng-ctl-dev", "python3-lttngust", "babeltrace2", "babeltrace", "python3-lttnganalyses"];
// openssh-server: the fleet tests drive LTTng through a real sshd of their own on a loopback port.
// postgresql: the database and job-queue tests start a PostgreSQL cluster of their own.
const TEST_PACKAGES = ["chromium", "openssh-server", "postgresql"];
function missingPackages(names) {
  return names.filter((p) => {
    const r = spawnSync("dpkg-query", ["-W", "-f=${Status}", p], { encoding: "utf8" });
    return r.status !== 0 || !r.stdout.includes("install ok installed");
  });
}
function ensurePackages() {
  const wanted = mode === "test" ? [...PACKAGES, ...TEST_PACKAGES] : PACKAGES;
  const missing = missingPackages(wanted);
  if (missing.length === 0) return;
  const cmd = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  if (!isRoot) {
    console.error(`Missing Debian packages: ${missing.join(", ")}.\nInstall them as root, then run this again:\n  sudo sh -c '${cmd}'`);
    process.exit(1);
  }
  step(`Installing ${missing.join(", ")}`);
  const aptEnv = { ...env, DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", ["update", "-q"], { env: aptEnv });
  run("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing], { env: aptEnv });
}

// 2. npm dependencies ----------------------------------------------------------------------
function ensureNodeModules() {
  const lock = readFileSync(join(root, "package-lock.json"));
  const want = createHash("sha256").update(lock).update(process.version).digest("hex");
  const stamp = join(root, "node_modules/.tracedeck-installed");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === want) return;
  step("npm ci (node_modules absent or older than package-lock.json)");
  run("npm", ["ci", "--no-audit", "--no-fund"]);
  writeFileSync(stamp, want);
}

// 3. Prisma client, database, workload, build -------------------------------------------------
function ensurePrismaClient() {
  step("Prisma clients");
  run(process.execPath, ["scripts/prisma-generate.mjs"]);
}

// 4. LTTng daemons -------------------------------------------------------------------------
// Delegated to the CLI so that one module (server/lttng/daemons.ts) owns daemon lifecycle.
function tracedeck(args, opts = {}) {
  return spawnSync(process.execPath, [join(root, "bin/tracedeck.mjs"), ...args], { cwd: root, env, encoding: "utf8", ...opts });
}
const started = [];
function ensureDaemons() {
  step("LTTng daemons");
  const r = tracedeck(["daemons", "ensure", "--json"], { stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) throw new Error(`could not start the LTTng daemons (exit ${r.status})`);
  const out = JSON.parse(r.stdout);
  for (const d of out.daemons) {
    console.log(`  ${d.name}: ${d.started ? "started" : "already running"} (pid ${d.pid})`);
    if (d.started) started.push(d.name);
  }
}
/** `npm test` only: stops the daemons this very run started (the run confirms for itself). */
function stopDaemonsStartedByTests() {
  if (mode !== "test" || started.length === 0) return;
  const r = tracedeck(["daemons", "stop", ...started, "--yes"], { stdio: "inherit" });
  if (r.status !== 0) console.error("could not stop the daemons this run started");
}

function setup() {
  ensurePackages();
  ensureNodeModules();
  ensurePrismaClient();
  step("Database migrations");
  run(process.execPath, ["scripts/migrate.mjs"]);
  step("Demo workload");
  run(process.execPath, ["workload/build.mjs"]);
  step("Build");
  run(process.execPath, ["scripts/build.mjs"]);
  mkdirSync(join(root, "data"), { recursive: true });
  if (mode !== "setup") ensureDaemons();
}

// 5. Serve or test -------------------------------------------------------------------------
function serve() {
  step("Serving Tracedeck on http://127.0.0.1:3000 (Ctrl-C to stop)");
  if (started.length > 0)
    console.log(`  ${started.join(" and ")} will keep running after the server stops; \`npx tracedeck daemons stop ${started.join(" ")}\` stops them.`);
  const child = spawn(process.execPath, [join(root, "scripts/serve.mjs")], { cwd: root, env, stdio: "inherit" });
  // No clean-up on exit: a server that stops or crashes leaves the daemons (and so every
  // recording session) as they are. They run in their own sessions (setsid), out of reach of
  // the terminal's Ctrl-C and of any kill of this process group.
  superviseChild(child);
}

// Both runners also write JSON reports; their counts make the one closing line
// "tests: N passed, N failed" that summarises the whole run.
function countVitest(file) {
  const r = JSON.parse(readFileSync(file, "utf8"));
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + (r.numTodoTests ?? 0) };
}
function countPlaywright(file) {
  const r = JSON.parse(readFileSync(file, "utf8"));
  return { passed: r.stats.expected + (r.stats.flaky ?? 0), failed: r.stats.unexpected, skipped: r.stats.skipped };
}

function test() {
  const reports = join(root, "test-results");
  mkdirSync(reports, { recursive: true });
  const vitestJson = join(reports, "vitest.json");
  const playwrightJson = join(reports, "playwright.json");
  // A report left by an earlier run must never be counted as this run's: a runner that
  // crashes before writing its own would otherwise report the old counts.
  rmSync(vitestJson, { force: true });
  rmSync(playwrightJson, { force: true });
  let missingReport = false;
  const count = (file, counter, runner) => {
    if (existsSync(file)) add(counter(file));
    else {
      missingReport = true;
      console.error(`\n✖ ${runner} wrote no report (${file}): it crashed or was killed; its tests are not counted as passed`);
    }
  };
  const total = { passed: 0, failed: 0, skipped: 0 };
  const add = (c) => {
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
  };
  let failed = false;
  // Lint first; a violation fails the run, but the tests still run so one run shows everything.
  const lintFailures = [];
  step("Lint (TypeScript --noEmit, ESLint with type information, then Prettier --check)");
  for (const [name, bin, args] of [
    // The whole tree, tests included: compile-time checks (branded time types) are tests too.
    ["tsc", "tsc", ["--noEmit"]],
    ["eslint", "eslint", ["--max-warnings", "0", "."]],
    ["prettier", "prettier", ["--check", "."]],
  ]) {
    try {
      run(join(root, "node_modules/.bin", bin), args);
    } catch (err) {
      console.error(`\n✖ ${err.message}`);
      lintFailures.push(name);
    }
  }
  try {
    step("Unit and integration tests (Vitest)");
    try {
      run(join(root, "node_modules/.bin/vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`]);
    } finally {
      count(vitestJson, countVitest, "Vitest");
    }
    step("End-to-end tests (Playwright, Debian Chromium)");
    try {
      run(join(root, "node_modules/.bin/playwright"), ["test", "--reporter=list,json"], { env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson } });
    } finally {
      count(playwrightJson, countPlaywright, "Playwright");
    }
  } catch (err) {
    console.error(`\n✖ ${err.message}`);
    failed = true;
  } finally {
    stopDaemonsStartedByTests();
  }
  if (lintFailures.length > 0) console.error(`\n✖ lint failed (${lintFailures.join(", ")}): \`npm run lint\` shows why, \`npm run format\` fixes formatting`);
  console.log(`\ntests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  process.exit(failed || missingReport || lintFailures.length > 0 || total.failed > 0 ? 1 : 0);
}

try {
  setup();
} catch (err) {
  console.error(`\n✖ set-up failed: ${err.message}`);
  stopDaemonsStartedByTests();
  process.exit(1);
}
if (mode === "start") serve();
else if (mode === "test") test();
else console.log("\nSet-up done.");
