#!/usr/bin/env node
// `npm run bench`: every scripts/bench/*.mjs in turn, each timing Tracedeck side by side with
// the reference tool in the same run and printing ratios. `npm run bench -- ctf` runs one.
// Benchmarks never assert: they measure and print.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const only = process.argv.slice(2);
const build = spawnSync(process.execPath, [join(root, "scripts/build.mjs"), "--cli-only"], { cwd: root, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const benches = readdirSync(join(root, "scripts/bench"))
  .filter((f) => f.endsWith(".mjs"))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.mjs$/, "")))
  .sort();
let failed = 0;
for (const b of benches) {
  console.log(`\n=== bench: ${b.replace(/\.mjs$/, "")} ===`);
  const r = spawnSync(process.execPath, [join(root, "scripts/bench", b)], { cwd: root, stdio: "inherit", env: { ...process.env, TZ: "UTC" } });
  if (r.status !== 0) {
    console.error(`bench ${b} exited with ${r.status ?? r.signal}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
