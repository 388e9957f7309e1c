#!/usr/bin/env node
// Sums V8 CPU profiles (--cpu-prof): self time per function and per package/file, heaviest
// first, so that "where does the event loop go" is read from a measurement, not guessed.
//   node scripts/bench/lib/cpuprofile-top.mjs FILE.cpuprofile... [--top N]
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const topAt = args.indexOf("--top");
const TOP = topAt >= 0 ? Number(args[topAt + 1]) : 30;
const files = args.filter((a, i) => !a.startsWith("--") && (topAt < 0 || i !== topAt + 1));

/** Where a script lives, short: the package under node_modules, else the path's last parts. */
function place(url) {
  if (!url) return "(native)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  return url.split("/").slice(-3).join("/");
}

for (const file of files) {
  const p = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = p.timeDeltas;
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (dt[i] ?? 0));
  const perFn = new Map();
  const perPlace = new Map();
  let total = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const n = byId.get(id);
    const f = n.callFrame;
    total += us;
    if (f.functionName === "(idle)") {
      idle += us;
      continue;
    }
    const key = `${f.functionName || "(anonymous)"}  ${place(f.url)}:${f.lineNumber + 1}`;
    perFn.set(key, (perFn.get(key) ?? 0) + us);
    const pl = f.url ? place(f.url) : f.functionName;
    perPlace.set(pl, (perPlace.get(pl) ?? 0) + us);
  }
  const ms = (us) => (us / 1000).toFixed(0).padStart(7);
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${((total - idle) / 1e6).toFixed(1)} s busy`);
  console.log(" self ms  by package or file");
  for (const [k, us] of [...perPlace].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${ms(us)}  ${k}`);
  console.log(" self ms  by function");
  for (const [k, us] of [...perFn].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${ms(us)}  ${k}`);
}
