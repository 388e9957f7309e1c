// Page speed of the session pages in real Chromium against a real server and the root
// session daemon: time from navigation to "usable" (every row's counters and actions known;
// the session page's channels and triggers shown), median of several loads, with the
// Overview page (one `lttng list`) as the reference. Needs the Next build (npm run build).
// Measures and prints only; nothing here is a test.
/* global document -- the functions given to page.waitForFunction run in the page */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import { root } from "./lib/common.mjs";

const RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 7);
const port = 3900 + (process.pid % 90);
const base = `http://127.0.0.1:${port}`;
const data = mkdtempSync(join(tmpdir(), "td-bench-pages-"));
const password = "bench-operator-pw";
const prefix = `bench-${process.pid.toString(36)}`;
const sessions = [
  { create: { mode: "local", name: `${prefix}-local` } },
  { create: { mode: "snapshot", name: `${prefix}-snap` } },
  { create: { mode: "local", name: `${prefix}-rot` }, rotation: { session: `${prefix}-rot`, timerUs: "1m" } },
  { create: { mode: "local", name: `${prefix}-local2` } },
];

const server = spawn(process.execPath, [join(root, "scripts/serve.mjs")], {
  cwd: root,
  env: { ...process.env, TRACEDECK_DATA_DIR: data, TRACEDECK_PORT: String(port), TRACEDECK_ADMIN_PASSWORD: password, TRACEDECK_LOG_LEVEL: "warn" },
  stdio: ["ignore", "inherit", "inherit"],
  detached: true,
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function waitUp() {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/login`)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("server did not start");
}

let browser;
try {
  await waitUp();
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage();
  await page.goto(`${base}/login`);
  await page.locator("form[data-hydrated=true]").waitFor();
  await page.getByLabel("User name").fill("admin");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByTestId("current-user").waitFor();
  const call = async (path, input) => {
    const res = await page.request.post(`${base}/api/trpc/${path}`, { data: { json: input } });
    if (!res.ok()) throw new Error(`${path}: ${await res.text()}`);
  };
  for (const s of sessions) await call("sessions.setup", { ...s, events: [{ session: s.create.name, domain: "userspace", names: ["tracedeck_demo:*"] }] });
  const names = sessions.map((s) => s.create.name);

  const measure = async (label, url, usable) => {
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = Date.now();
      await page.goto(url);
      await usable();
      times.push(Date.now() - t0);
    }
    console.log(`${label.padEnd(34)} median ${String(median(times)).padStart(5)} ms   (runs: ${times.join(", ")})`);
  };
  await measure("Overview (/)", `${base}/`, () =>
    page.waitForFunction((n) => n.every((x) => document.querySelector(`[data-testid=sessions-overview] a[href="/sessions/${x}"]`)), names, { timeout: 60_000 }),
  );
  await measure("Sessions list (/sessions)", `${base}/sessions`, () =>
    page.waitForFunction(
      (n) =>
        n.every((x) => {
          const row = document.querySelector(`[data-testid="session-${x}"]`);
          return row && [...row.querySelectorAll("td")].every((td) => td.textContent !== "…") && row.querySelector("[data-testid^=loss-]");
        }),
      names,
      { timeout: 60_000 },
    ),
  );
  await measure("Session page (/sessions/<local>)", `${base}/sessions/${names[0]}`, () =>
    page.waitForFunction(
      () =>
        document.querySelector("[data-testid^=channel-]") &&
        document.querySelector("[role=toolbar]") &&
        !/Loading/.test(document.querySelector("[aria-label='Triggers on this session']")?.textContent ?? "Loading"),
      undefined,
      { timeout: 60_000 },
    ),
  );
  await measure("Session page (/sessions/<snapshot>)", `${base}/sessions/${names[1]}`, () =>
    page.waitForFunction(
      () =>
        document.querySelector("[data-testid=snapshot-outputs]") &&
        !/Loading/.test(document.querySelector("[aria-label='Triggers on this session']")?.textContent ?? "Loading"),
      undefined,
      { timeout: 60_000 },
    ),
  );
  for (const n of names) await call("sessions.destroy", { name: n }).catch((e) => console.error(String(e)));
} finally {
  await browser?.close();
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {
    /* already gone */
  }
  rmSync(data, { recursive: true, force: true });
}
