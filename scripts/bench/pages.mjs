// Page speed of the session pages in real Chromium against a real server and the root
// session daemon: time from navigation to "usable" (every row's counters and actions known;
// the session page's channels and triggers shown), median of several loads, with the
// Overview page (one `lttng list`) as the reference. Needs the Next build (npm run build).
// Measures and prints only; nothing here is a test.
/* global document -- the functions given to page.waitForFunction run in the page */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveAndLogIn } from "./lib/common.mjs";

const RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 7);
const port = 3900 + (process.pid % 90);
const data = mkdtempSync(join(tmpdir(), "td-bench-pages-"));
const prefix = `bench-${process.pid.toString(36)}`;
const sessions = [
  { create: { mode: "local", name: `${prefix}-local` } },
  { create: { mode: "snapshot", name: `${prefix}-snap` } },
  { create: { mode: "local", name: `${prefix}-rot` }, rotation: { session: `${prefix}-rot`, timerUs: "1m" } },
  { create: { mode: "local", name: `${prefix}-local2` } },
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { base, page, api, close } = await serveAndLogIn({ data, port }).catch((e) => {
  rmSync(data, { recursive: true, force: true });
  throw e;
});
try {
  for (const s of sessions) await api("sessions.setup", { ...s, events: [{ session: s.create.name, domain: "userspace", names: ["tracedeck_demo:*"] }] });
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
  for (const n of names) await api("sessions.destroy", { name: n }).catch((e) => console.error(String(e)));
} finally {
  await close();
  rmSync(data, { recursive: true, force: true });
}
