#!/usr/bin/env node
// Long fuzzing campaign of the CTF reader (server/ctf/fuzz.ts) on the shared traces.
//   node scripts/fuzz-ctf.mjs [--cases N] [--seed S] [--start I] [--traces dir,dir]
// (--start replays a campaign from case I: same seed, same cases.)
// Default 100,000 cases. Prints progress, the typed-error histogram and every failure with
// the seed that reproduces it; exits 1 if any case failed.
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const cases = Number(arg("cases", "100000"));
const start = Number(arg("start", "0"));
const seed = Number(arg("seed", String(Date.now() % 2 ** 31)));
const traces = arg(
  "traces",
  ["bt-multi-domains-kernel", "tc-flipping-endianness", "bt-tracefile-rotation", "bt-lttng-modules-2.0.0-ref"]
    .map((t) => join(root, "../shared/traces", t, "kernel"))
    .join(","),
).split(",");

// The reader is TypeScript: bundle the fuzz engine once into the cache directory.
const outDir = join(root, ".bench-cache/fuzz");
mkdirSync(outDir, { recursive: true });
const outfile = join(outDir, "fuzz-engine.mjs");
await esbuild.build({
  absWorkingDir: root,
  entryPoints: ["server/ctf/fuzz.ts"],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile,
  logLevel: "warning",
});
const { runFuzz } = await import(outfile);

console.log(`fuzzing ${cases} cases, seed ${seed}, sources:\n  ${traces.join("\n  ")}`);
const t0 = Date.now();
let reported = 0;
const result = runFuzz({
  sources: traces,
  workDir: join(tmpdir(), `tracedeck-fuzz-campaign-${process.pid}`),
  seed,
  cases,
  start,
  progressEvery: 1000,
  onProgress: (done, r) => {
    const rate = done / ((Date.now() - t0) / 1000);
    console.log(`${done}/${cases} cases, ${r.failures.length} failures, ${rate.toFixed(0)} cases/s`);
    // Failures as they happen, so a long campaign stopped early still reports them.
    while (reported < r.failures.length) {
      const f = r.failures[reported++];
      console.log(`FAILURE seed=${f.seed} source=${f.source}\n  mutation: ${f.mutation}\n  ${f.error}`);
    }
  },
});
console.log(`\n${result.cases} cases in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${result.clean} read cleanly`);
console.log("typed errors:", JSON.stringify(result.typed));
for (const f of result.failures.slice(reported)) console.log(`FAILURE seed=${f.seed} source=${f.source}\n  mutation: ${f.mutation}\n  ${f.error}`);
process.exit(result.failures.length ? 1 : 0);
