#!/usr/bin/env node
// Sums V8 CPU profiles (--cpu-prof): self time per package/file and per function, heaviest
// first, then the longest busy stretches (no idle sample in between) with the frames they
// spent their time in. A stretch may hold many tasks, and on a loaded host also the time
// the thread waited for a core: a request arriving in one waits behind the task then
// running, not the whole stretch. "Where does the event loop go" is then read from a
// measurement, not guessed.
//   node scripts/bench/lib/cpuprofile-top.mjs FILE.cpuprofile... [--top N] [--last SECONDS]
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : undefined;
};
const TOP = opt("--top") ?? 25;
const LAST = opt("--last");
const files = args.filter((a, i) => !a.startsWith("--") && !["--top", "--last"].includes(args[i - 1] ?? ""));

/** Where a script lives, short: the package under node_modules, else the path's last parts. */
function place(url) {
  if (!url) return "(native)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  return url.split("/").slice(-2).join("/");
}
const frame = (n) => `${n.callFrame.functionName || "(anonymous)"}  ${place(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const ms = (us) => (us / 1000).toFixed(0).padStart(7);
const SCHEDULER = /^\((root|program)\)|^(processTicksAndRejections|runMicrotasks|processTimers|listOnTimeout|runNextTicks) /;

for (const file of files) {
  const p = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const from = LAST === undefined ? -Infinity : p.endTime - LAST * 1e6;
  const perFn = new Map();
  const perPlace = new Map();
  const stretches = [];
  let cur = null;
  let t = p.startTime;
  let total = 0;
  let busy = 0;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    if (t < from) continue;
    // A sample stands for the time until the next one.
    const dt = p.timeDeltas[i + 1] ?? 0;
    const n = byId.get(p.samples[i]);
    total += dt;
    if (n.callFrame.functionName === "(idle)") {
      if (cur) stretches.push({ ...cur, end: t });
      cur = null;
      continue;
    }
    busy += dt;
    perFn.set(frame(n), (perFn.get(frame(n)) ?? 0) + dt);
    const pl = n.callFrame.url ? place(n.callFrame.url) : n.callFrame.functionName;
    perPlace.set(pl, (perPlace.get(pl) ?? 0) + dt);
    cur ??= { start: t, samples: 0, frames: new Map() };
    cur.samples++;
    const seen = new Set();
    for (let x = n.id; x !== undefined; x = parent.get(x)) {
      const k = frame(byId.get(x));
      if (seen.has(k) || SCHEDULER.test(k)) continue;
      seen.add(k);
      cur.frames.set(k, (cur.frames.get(k) ?? 0) + 1);
    }
  }
  if (cur) stretches.push({ ...cur, end: t });
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s${LAST === undefined ? "" : ` (the last ${LAST} s)`}, ${(busy / 1e6).toFixed(1)} s busy`);
  console.log(" self ms  by package or file");
  for (const [k, us] of [...perPlace].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${ms(us)}  ${k}`);
  console.log(" self ms  by function");
  for (const [k, us] of [...perFn].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${ms(us)}  ${k}`);
  const len = (s) => s.end - s.start;
  const counts = [50, 100, 200, 500].map((m) => `${stretches.filter((s) => len(s) >= m * 1000).length} ≥ ${m} ms`);
  console.log(`busy stretches: ${stretches.length}; ${counts.join(", ")}; longest:`);
  for (const s of stretches.sort((a, b) => len(b) - len(a)).slice(0, Math.min(TOP, 10))) {
    const top = [...s.frames]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([k, c]) => `${k.replace(/ {2}/, "@")} ${Math.round((100 * c) / s.samples)}%`);
    console.log(`${ms(len(s))}  ${top.join(" | ")}`);
  }
}
