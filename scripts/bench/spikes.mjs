// `npm run bench -- spikes`: the latency timeline's range query over 10 M values at 1,500 px
// (server side, against the exact answer computed from the raw values in memory), then the
// Timeline page in real Chromium on that history: first contentful paint and the time until
// the chart is drawn, median of several loads. Needs the Next build (npm run build) for the page.
// Measures and prints only; nothing here is a test.
/* global document -- the functions given to page.waitForFunction run in the page */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import * as esbuild from "esbuild";
import { root, sh } from "./lib/common.mjs";

const VALUES = Number(process.env.BENCH_SPIKES_VALUES ?? 10_000_000);
const RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 5);
const data = mkdtempSync(join(tmpdir(), "td-bench-spikes-"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

mkdirSync(join(root, ".bench-cache"), { recursive: true });
const runner = join(root, ".bench-cache/spikes-range.mjs");
await esbuild.build({
  absWorkingDir: root,
  entryPoints: ["scripts/bench/lib/spikes-range.ts"],
  outfile: runner,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "warning",
  banner: { js: "import { createRequire as __tdCreateRequire } from 'node:module'; const require = __tdCreateRequire(import.meta.url);" },
});

let server;
let browser;
try {
  // 2,000 values/s (the demo's rate: 5,000 s of 1 s buckets) and 116/s (a day of 1 s buckets).
  const r = sh(process.execPath, [runner, join(data, "tracedeck.db"), String(VALUES), "2000,116"], {
    cwd: root,
    env: { ...process.env, TZ: "UTC", TRACEDECK_LOG_LEVEL: "warn" },
  });
  if (r.status !== 0) throw new Error(`range bench failed: ${r.stderr}`);
  const rows = r.stdout
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
  console.log("values      rate/s  span      1 s buckets  px    points  query best / median (ms)  exact from raw values, in memory (ms)  ratio  target");
  for (const x of rows)
    console.log(
      `${x.values.toLocaleString("en-US").padEnd(11)} ${String(x.rate).padEnd(7)} ${(x.seconds / 3600).toFixed(1).padStart(5)} h   ${String(x.buckets).padEnd(12)} ${x.width}  ${String(x.points).padEnd(6)}  ${x.bestMs.toFixed(1)} / ${x.medianMs.toFixed(1)}`.padEnd(
        100,
      ) + `${x.exactSortMs.toFixed(0).padEnd(38)} ${(x.exactSortMs / x.bestMs).toFixed(1)}x   < 200 ms: ${x.medianMs < 200 ? "met" : "not met"}`,
    );

  // The page, on the first (demo-rate) history.
  const port = 3990 + (process.pid % 9);
  const base = `http://127.0.0.1:${port}`;
  const password = "bench-operator-pw";
  server = spawn(process.execPath, [join(root, "scripts/serve.mjs")], {
    cwd: root,
    env: { ...process.env, TRACEDECK_DATA_DIR: data, TRACEDECK_PORT: String(port), TRACEDECK_ADMIN_PASSWORD: password, TRACEDECK_LOG_LEVEL: "warn" },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/login`)).ok) break;
    } catch {
      /* not yet */
    }
    if (i > 600) throw new Error("server did not start");
    await new Promise((res) => setTimeout(res, 200));
  }
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const ctx = await browser.newContext({ viewport: { width: 1700, height: 1000 } });
  const page = await ctx.newPage();
  await page.goto(`${base}/login`);
  await page.locator("form[data-hydrated=true]").waitFor();
  await page.getByLabel("User name").fill("admin");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByTestId("current-user").waitFor();
  const x = rows[0];
  const url = `${base}/timeline?sources=${x.sourceId}&from=${x.fromNs}&to=${x.toNs}&refresh=off`;
  const fcp = [];
  const drawn = [];
  let px = 0;
  for (let k = 0; k < RUNS + 1; k++) {
    const t0 = Date.now();
    await page.goto(url);
    await page.waitForFunction(() => Number(document.querySelector("[data-testid^=latency-panel-]")?.getAttribute("data-points") ?? 0) > 0, null, {
      timeout: 60_000,
    });
    const t1 = Date.now() - t0;
    const paint = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN);
    px = Number(await page.locator("[data-testid^=latency-panel-]").first().getAttribute("data-points"));
    // The first load compiles and warms caches: not counted.
    if (k > 0) {
      fcp.push(paint);
      drawn.push(t1);
    }
  }
  console.log(`\nTimeline page (1700 px window, ${px} points drawn, ${x.values.toLocaleString("en-US")} values), median of ${RUNS} loads:`);
  console.log(`  first contentful paint ${median(fcp).toFixed(0)} ms; chart drawn ${median(drawn)} ms after navigation`);
} finally {
  await browser?.close();
  if (server?.pid) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      /* gone */
    }
  }
  rmSync(data, { recursive: true, force: true });
}
