#!/usr/bin/env node
// Builds what runs outside Next: the CLI bundle and the entry points of worker threads and of
// the server's process helper (server/**/*.worker.ts → dist/workers/<name>.mjs), then the Next
// app unless --cli-only.
// Each part is skipped when its output is newer than every source it depends on.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync, existsSync } from "node:fs";
import { join, basename, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const cliOnly = process.argv.includes("--cli-only");
const force = process.argv.includes("--force");

function* walk(dir, skip) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!skip.has(e.name)) yield* walk(p, skip);
    } else yield p;
  }
}
const SKIP = new Set(["node_modules", ".next", "dist", "data", ".git", "test-results", "generated", "build"]);
function newest(dirs, filter) {
  let t = 0;
  for (const d of dirs) {
    const abs = join(root, d);
    if (!existsSync(abs)) continue;
    const st = statSync(abs);
    if (st.isFile()) {
      t = Math.max(t, st.mtimeMs);
      continue;
    }
    for (const f of walk(abs, SKIP)) if (filter(f)) t = Math.max(t, statSync(f).mtimeMs);
  }
  return t;
}
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

// workload/build.mjs is imported by server/workload/build.ts, so it is bundled too.
const serverSrc = ["server", "bin", "workload/build.mjs", "package-lock.json", "scripts/build.mjs"];
const isSource = (f) => /\.(ts|tsx|mjs|json|c|h)$/.test(f) && !/\.test\.ts$/.test(f);
const cliOut = join(root, "dist/tracedeck.mjs");
const workers = [...walk(join(root, "server"), SKIP)].filter((f) => f.endsWith(".worker.ts"));

if (force || mtime(cliOut) < newest(serverSrc, isSource)) {
  const t0 = performance.now();
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: [
      { in: "bin/tracedeck.ts", out: "tracedeck" },
      ...workers.map((w) => ({ in: relative(root, w), out: `workers/${basename(w, ".worker.ts")}` })),
    ],
    outdir: "dist",
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    sourcemap: "linked",
    logLevel: "warning",
    // Bundled ESM has no `require`; some dependencies' CJS paths still ask for it.
    banner: { js: "import { createRequire as __tdCreateRequire } from 'node:module'; const require = __tdCreateRequire(import.meta.url);" },
  });
  console.log(`build: CLI and ${workers.length} worker(s) bundled in ${Math.round(performance.now() - t0)} ms`);
} else {
  console.log("build: CLI up to date");
}

if (!cliOnly) {
  const nextOut = join(root, ".next/BUILD_ID");
  const appSrc = [
    "app",
    "components",
    "server",
    "instrumentation.ts",
    "workload/build.mjs",
    "public",
    "next.config.js",
    "postcss.config.mjs",
    "package-lock.json",
    "prisma/schema.prisma",
  ];
  if (force || mtime(nextOut) < newest(appSrc, (f) => !/\.test\.ts$/.test(f))) {
    const r = spawnSync(join(root, "node_modules/.bin/next"), ["build"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (r.status !== 0) process.exit(r.status ?? 1);
  } else {
    console.log("build: Next app up to date");
  }
}
