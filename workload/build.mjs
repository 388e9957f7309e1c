#!/usr/bin/env node
// Builds workload/build/tracedeck-demo with `cc` when a source is newer than the binary.
// The set-up script runs this file directly (`node workload/build.mjs [--force]`); the
// server and the CLI import `buildWorkload` through server/workload/build.ts.
import { execFile } from "node:child_process";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Compiler invocation: argument arrays only, never a shell. */
const CFLAGS = ["-O2", "-g", "-Wall", "-Wextra", "-std=gnu11", "-pthread"];
const LIBS = ["-llttng-ust", "-ldl"];
const SOURCES = ["tracedeck_demo.c", "tracedeck_demo_tp.c"];

/** Where the workload's files live, given the `workload/` directory. */
export function workloadPaths(workloadDir) {
  const dir = resolve(workloadDir);
  return {
    dir,
    srcDir: join(dir, "src"),
    buildDir: join(dir, "build"),
    binary: join(dir, "build", "tracedeck-demo"),
    pythonDemo: join(dir, "python_demo.py"),
  };
}

// The /*turbopackIgnore*/ marks keep Next's output tracing from following these run-time
// paths and copying the whole project into the server bundle. fs/promises throughout: the
// server calls this from request handlers (the demo panel polls it every second).
const mtimeOf = (path) =>
  stat(/*turbopackIgnore: true*/ path).then(
    (s) => s.mtimeMs,
    () => null,
  );

async function newestSource(p) {
  // build.mjs itself holds the flags; a change to it is a change to the build.
  let t = (await mtimeOf(join(p.dir, "build.mjs"))) ?? 0;
  for (const f of await readdir(/*turbopackIgnore: true*/ p.srcDir)) {
    if (/\.(c|h)$/.test(f)) t = Math.max(t, (await mtimeOf(join(p.srcDir, f))) ?? 0);
  }
  return t;
}

/** Resolves true when the binary is missing or older than a source file. */
export async function workloadNeedsBuild(workloadDir) {
  const p = workloadPaths(workloadDir);
  const binary = await mtimeOf(p.binary);
  return binary === null || binary < (await newestSource(p));
}

function run(file, args, cwd) {
  return new Promise((resolvePromise) => {
    execFile(file, args, { cwd, timeout: 120_000, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      resolvePromise({ err, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/**
 * Compiles the demo workload if needed and returns `{ binary, built }`. The binary is
 * linked under a temporary name and renamed, so concurrent builds (parallel test files)
 * never expose a half-written executable.
 * Throws an Error whose message says what to install when cc or liblttng-ust-dev is missing.
 */
export async function buildWorkload(workloadDir, { force = false, cc = process.env.CC || "cc" } = {}) {
  const p = workloadPaths(workloadDir);
  if ((await mtimeOf(join(p.srcDir, "tracedeck_demo.c"))) === null) {
    throw new Error(`Cannot build the demo workload: no sources in ${p.srcDir}`);
  }
  if (!force && !(await workloadNeedsBuild(workloadDir))) return { binary: p.binary, built: false };

  await mkdir(/*turbopackIgnore: true*/ p.buildDir, { recursive: true });
  const tmp = `${p.binary}.tmp-${process.pid}-${Date.now()}`;
  const args = [...CFLAGS, "-I", p.srcDir, "-o", tmp, ...SOURCES.map((s) => join(/*turbopackIgnore: true*/ p.srcDir, s)), ...LIBS];
  const r = await run(cc, args, p.dir);
  if (r.err) {
    await rm(/*turbopackIgnore: true*/ tmp, { force: true });
    if (r.err.code === "ENOENT") {
      throw new Error(`Cannot build the demo workload: C compiler '${cc}' not found (apt-get install gcc)`);
    }
    if (/lttng\/tracepoint\.h|lttng\/tracef\.h|cannot find -llttng-ust/.test(r.stderr)) {
      throw new Error(
        "Cannot build the demo workload: the LTTng-UST development files are missing " + `(apt-get install liblttng-ust-dev)\n${r.stderr.trim()}`,
      );
    }
    throw new Error(`Cannot build the demo workload: ${cc} failed (${r.err.message.split("\n")[0]})\n${r.stderr.trim()}`);
  }
  await rename(/*turbopackIgnore: true*/ tmp, p.binary);
  return { binary: p.binary, built: true };
}

function runAsScript() {
  // Bundlers (esbuild for the CLI, Next for the server) may give this module a non-file URL.
  try {
    return process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (runAsScript()) {
  const dir = dirname(fileURLToPath(import.meta.url));
  buildWorkload(dir, { force: process.argv.includes("--force") }).then(
    ({ binary, built }) => console.log(built ? `workload: built ${binary}` : "workload: up to date"),
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
