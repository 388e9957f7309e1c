/**
 * Issue 5: the Analyze page in real Chromium against the real server: latency analyses on a
 * shared kernel trace (checked against lttng-analyses 0.6.1's committed outputs) and a period
 * analysis on a demo trace recorded here with real LTTng into the data directory's traces/.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { expect, test, type Page } from "@playwright/test";
import { SHARED_TRACES } from "../playwright.config";
import { parseLamiJson } from "../server/analysis/lami/json";
import { openTraceSet } from "../server/ctf";
import { recordTrace } from "../server/testing/record";
import { loginAsAdmin } from "./helpers";

const FIXTURES = join(process.cwd(), "server/analysis/fixtures");

interface Cell {
  class: string;
  value?: number | bigint;
  begin?: { value: bigint };
  end?: { value: bigint };
  name?: string;
  tid?: number;
}
interface Fixture {
  results: { class: { title: string }; data: (Cell | null)[][] }[];
}

function fixture(rel: string): Fixture {
  const p = join(FIXTURES, rel);
  const text = rel.endsWith(".gz") ? gunzipSync(readFileSync(p)).toString("utf8") : readFileSync(p, "utf8");
  return parseLamiJson(text) as Fixture;
}

/** What the page shows for a LAMI duration (ns): µs with 3 decimals below 1 ms. */
function shownDuration(ns: number): string {
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(3)} ms` : `${(ns / 1e3).toFixed(3)} µs`;
}

async function chooseTrace(page: Page, name: string): Promise<string> {
  const option = page.locator("#trace-select option", { hasText: name });
  await expect(option).toHaveCount(1);
  const value = (await option.getAttribute("value")) ?? "";
  await page.getByLabel("Trace", { exact: true }).selectOption(value);
  await expect(page.locator("#trace-path")).toHaveValue(value);
  return value;
}

async function runAnalysis(page: Page, analysis: string): Promise<void> {
  await page.getByLabel("Analysis", { exact: true }).selectOption(analysis);
  await page.getByRole("button", { name: "Run analysis" }).click();
  await expect(page.getByTestId("result-summary")).toContainText(analysis, { timeout: 60_000 });
  await expect(page.getByTestId("analysis-progress")).toHaveCount(0);
}

test("iolatencytop and iolatencyfreq on tc-many-threads: lttng-analyses' values, sortable rows linked to their spans, histograms", async ({ page }) => {
  await loginAsAdmin(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Analyze" }).click();
  await expect(page).toHaveURL(/\/analyze/);
  const trace = await chooseTrace(page, "tc-many-threads");
  expect(trace).toBe(join(SHARED_TRACES, "tc-many-threads"));

  // The form follows the analysis: --limit for top, --freq-resolution for freq.
  await page.getByLabel("Analysis", { exact: true }).selectOption("iolatencytop");
  await expect(page.getByLabel(/^Limit/)).toBeVisible();
  await page.getByRole("button", { name: "Run analysis" }).click();
  // A progress bar while the worker runs (240,644 events).
  await expect(page.getByRole("progressbar", { name: "Analysis progress" })).toBeVisible();
  await expect(page.getByTestId("result-summary")).toContainText("240,644 events", { timeout: 60_000 });
  await expect(page.getByTestId("analysis-progress")).toHaveCount(0);

  const expected = fixture("tc-many-threads/iolatencytop.json");
  const tables = page.getByTestId("result-table");
  await expect(tables).toHaveCount(expected.results.length);
  const first = tables.first();
  const exp = expected.results[0]!;
  await expect(first.getByRole("heading")).toHaveText(exp.class.title);
  // lttng-analyses prints --limit + 1 rows (11 by default); Tracedeck the limit (server/analysis/DEVIATIONS.md).
  const expRows = exp.data.slice(0, 10);
  const rows = first.locator("tbody tr[data-row]");
  await expect(rows).toHaveCount(expRows.length);
  const header = await first.locator("thead th").allInnerTexts();
  const durCol = header.findIndex((h) => h.includes("Call duration"));
  const procCol = header.findIndex((h) => h.includes("Process"));
  const pathCol = header.findIndex((h) => h.includes("File path"));
  expect(durCol).toBeGreaterThanOrEqual(0);
  for (let i = 0; i < expRows.length; i++) {
    const cells = rows.nth(i).locator("td");
    const e = expRows[i]!;
    await expect(cells.nth(durCol)).toHaveText(shownDuration(Number(e[2]!.value)));
    await expect(cells.nth(procCol)).toHaveText(`${e[5]!.name} (${e[5]!.tid})`);
    await expect(cells.nth(pathCol)).toHaveText((e[6] as unknown as { path: string }).path);
    // The row links to the span the analysis gave it: the call's time range.
    const href = await rows
      .nth(i)
      .getByRole("link", { name: /timeline/ })
      .getAttribute("href");
    const q = new URL(href ?? "", "http://x").searchParams;
    expect(new URL(href ?? "", "http://x").pathname).toBe("/timeline");
    expect(q.get("trace")).toBe(trace);
    expect(q.get("begin")).toBe(String(e[0]!.begin!.value));
    expect(q.get("end")).toBe(String(e[0]!.end!.value));
  }

  // Sorting by duration, ascending on the second click: the shortest of the top calls first.
  const durHeader = first.locator("thead th").nth(durCol);
  await durHeader.getByRole("button").click();
  await expect(durHeader).toHaveAttribute("aria-sort", "descending");
  await durHeader.getByRole("button").click();
  await expect(durHeader).toHaveAttribute("aria-sort", "ascending");
  const shortest = Math.min(...expRows.map((r) => Number(r[2]!.value)));
  await expect(rows.first().locator("td").nth(durCol)).toHaveText(shownDuration(shortest));

  // iolatencyfreq: one histogram per category, lttng-analyses' bucket counts.
  await runAnalysis(page, "iolatencyfreq");
  const freq = fixture("tc-many-threads/iolatencyfreq.json");
  await expect(tables).toHaveCount(freq.results.length);
  const hist = tables.first();
  await expect(hist).toHaveAttribute("data-kind", "freq");
  await expect(hist.getByRole("heading")).toHaveText(freq.results[0]!.class.title);
  const chart = hist.getByTestId("freq-chart");
  await expect(chart).toHaveAttribute("data-buckets", String(freq.results[0]!.data.length));
  // recharts drew one bar per non-empty bucket.
  const nonEmpty = freq.results[0]!.data.filter((r) => Number(r[2]!.value) > 0).length;
  await expect(chart.locator(".recharts-bar-rectangle path")).toHaveCount(nonEmpty);
  await hist.getByText("Buckets as a table").click();
  const counts = await hist.locator("tbody tr[data-row] td:nth-child(3)").allInnerTexts();
  expect(counts).toEqual(freq.results[0]!.data.map((r) => new Intl.NumberFormat("en-US").format(Number(r[2]!.value))));
  await page.screenshot({ path: test.info().outputPath("iolatencyfreq.png"), fullPage: true });
});

test("iolog: tens of thousands of rows, virtualized, down to lttng-analyses' last row", async ({ page }) => {
  await loginAsAdmin(page);
  await page.goto("/analyze?trace=tc-many-threads&analysis=iolog");
  await expect(page.locator("#trace-select option", { hasText: "tc-many-threads" })).toHaveCount(1);
  await page.getByRole("button", { name: "Run analysis" }).click();
  await expect(page.getByTestId("result-summary")).toContainText("iolog", { timeout: 60_000 });

  const expected = fixture("tc-many-threads/iolog.json.gz").results[0]!.data;
  const log = page.locator("[data-testid=result-table][data-kind=log]");
  const table = log.getByTestId("lami-table");
  await expect(table).toHaveAttribute("data-rows", String(expected.length));
  await expect(log.getByTestId("log-scatter")).toBeVisible();
  // Only a window of rows is in the DOM.
  expect(await table.locator("tbody tr[data-row]").count()).toBeLessThan(200);
  await table.evaluate((el) => (el.scrollTop = el.scrollHeight));
  const lastIndex = expected.length - 1;
  const last = table.locator(`tbody tr[data-row="${lastIndex}"]`);
  await expect(last).toBeVisible();
  await expect(last.locator("td").nth(2)).toHaveText(shownDuration(Number(expected[lastIndex]![2]!.value)));
  const href = await last.getByRole("link", { name: /timeline/ }).getAttribute("href");
  expect(new URL(href ?? "", "http://x").searchParams.get("end")).toBe(String(expected[lastIndex]![0]!.end!.value));
});

test("periodfreq --freq-series on tc-many-threads: one bar series per group in one chart", async ({ page }) => {
  await loginAsAdmin(page);
  await page.goto("/analyze");
  await chooseTrace(page, "tc-many-threads");
  await page.getByLabel("Analysis", { exact: true }).selectOption("periodfreq");
  await page.getByLabel(/^Period definitions/).fill('sw:$evt.$name == "sched_switch" : $evt.$name == "sched_switch" && $evt.cpu_id == $begin.$evt.cpu_id');
  await page.getByLabel(/^Period captures/).fill("sw:cpu=$evt.cpu_id");
  await page.getByLabel(/^Buckets/).fill("5");
  await page.getByText("More options").click();
  await page.getByLabel(/^Group by/).fill("sw.cpu");
  await page.getByLabel(/^One series/).check();
  await runAnalysis(page, "periodfreq");
  // The consolidated table: bucket bounds, then one count column per CPU of the trace.
  const chart = page.locator("[data-testid=freq-chart][data-series='8']");
  await expect(chart).toHaveCount(1);
  await expect(chart).toHaveAttribute("data-buckets", "5");
  await expect(chart.locator(".recharts-legend-item")).toHaveCount(8);
  await expect(chart.locator(".recharts-legend-item", { hasText: "sw.cpu = 0" })).toBeVisible();
  // Eight colours of bars, one per series.
  await expect(chart.locator(".recharts-bar")).toHaveCount(8);
  await chart.screenshot({ path: test.info().outputPath("freq-series.png") });
});

test("a path outside the trace roots is refused with the server's message, as typed and when run", async ({ page }) => {
  await loginAsAdmin(page);
  await page.goto("/analyze");
  await expect(page.getByLabel("Analysis", { exact: true })).toBeEnabled();
  // shared/lttng-mi exists beside the shared traces root, whatever the checkout's depth.
  await page.locator("#trace-path").fill("../lttng-mi");
  // Checked as typed, then refused again when run.
  await expect(page.getByTestId("trace-path-check")).toContainText("outside the trace directories");
  await page.getByLabel("Analysis", { exact: true }).selectOption("cputop");
  await page.getByRole("button", { name: "Run analysis" }).click();
  await expect(page.getByTestId("analysis-error")).toContainText("outside the trace directories");
});

test("a running analysis can be cancelled: no result appears", async ({ page }) => {
  await loginAsAdmin(page);
  await page.goto("/analyze?trace=tc-many-threads&analysis=iolog");
  await expect(page.locator("#trace-select option", { hasText: "tc-many-threads" })).toHaveCount(1);
  await page.getByRole("button", { name: "Run analysis" }).click();
  // The browser closes the SSE stream (the server then aborts the worker: analyses.test.ts).
  const aborted = page.waitForEvent("requestfailed", (r) => r.url().includes("analyses.run"));
  await page.getByTestId("analysis-progress").getByRole("button", { name: "Cancel" }).click();
  await aborted;
  await expect(page.getByTestId("analysis-error")).toHaveText("Cancelled.");
  await expect(page.getByTestId("analysis-progress")).toHaveCount(0);
  await expect(page.getByTestId("analysis-results")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Run analysis" })).toBeEnabled();
});

test("a period analysis on a demo trace recorded with LTTng: one row per request, sorted by the durations the trace holds", async ({ page }) => {
  test.setTimeout(180_000);
  const dataDir = process.env.TD_E2E_DATA;
  if (!dataDir) throw new Error("TD_E2E_DATA is not set (playwright.config.ts sets it)");
  // Log in first: the recording below loads the CPU, and a login typed before the page
  // hydrates is lost.
  await loginAsAdmin(page);
  // The data directory's traces/ is a trace root of the server under test.
  const rec = await recordTrace({
    name: "e2e-periods",
    events: ["tracedeck_demo:*"],
    contexts: ["vtid"],
    workload: ["--rate", "400", "--threads", "2", "--duration", "1", "--slow-every", "100", "--slow-ms", "4"],
    outDir: join(dataDir, "traces"),
  });
  try {
    const requests = Number(rec.workload.summary?.requests);
    const slow = Number(rec.workload.summary?.slow);
    expect(requests).toBe(400);
    expect(slow).toBe(4);

    await page.goto("/analyze");
    await chooseTrace(page, rec.sessionName);
    await page.getByLabel("Analysis", { exact: true }).selectOption("periodlog");
    await page
      .getByLabel(/^Period definitions/)
      .fill('req:$evt.$name == "tracedeck_demo:request_begin" : $evt.$name == "tracedeck_demo:request_end" && $evt.id == $begin.$evt.id');
    await page.getByLabel(/^Period captures/).fill("req:id=$evt.id, path=$evt.path : status=$evt.status");
    await runAnalysis(page, "periodlog");

    const log = page.locator("[data-testid=result-table][data-kind=log]").first();
    await expect(log.getByTestId("lami-table")).toHaveAttribute("data-rows", String(requests));
    await expect(log.getByTestId("log-scatter")).toHaveAttribute("data-points", String(requests));
    await expect(log.locator(".recharts-scatter-symbol").first()).toBeVisible();
    // Issue 11 item 10: captures as name/value chips, not Python's dict text (LAMI keeps that).
    const chips = log.getByTestId("capture-chips").first();
    await expect(chips.locator("[data-capture=id]")).toContainText(/^id \d+$/);
    await expect(chips.locator("[data-capture=path]")).toContainText(/^path \//);
    await expect(log.locator("tbody")).not.toContainText("{'id':");

    // What the trace says: each request's duration (request_end minus request_begin of its id).
    const begins = new Map<number, number>();
    const durations: number[] = [];
    const set = openTraceSet([rec.path]);
    try {
      for (const it of set) {
        if (it.kind !== "event") continue;
        const id = Number((it.payload as { id?: number | bigint }).id);
        if (it.name === "tracedeck_demo:request_begin") begins.set(id, it.ts);
        else if (it.name === "tracedeck_demo:request_end" && begins.has(id)) durations.push(it.ts - begins.get(id)!);
      }
    } finally {
      set.close();
    }
    expect(durations).toHaveLength(requests);
    durations.sort((a, b) => b - a);

    // Sort by duration (descending first): the requests come in the trace's order of duration.
    const header = await log.locator("thead th").allInnerTexts();
    const durCol = header.findIndex((h) => /duration/i.test(h));
    expect(durCol).toBeGreaterThanOrEqual(0);
    const th = log.locator("thead th").nth(durCol);
    await th.getByRole("button").click();
    await expect(th).toHaveAttribute("aria-sort", "descending");
    const rows = log.locator("tbody tr[data-row]");
    for (let i = 0; i <= slow; i++) await expect(rows.nth(i).locator("td").nth(durCol)).toHaveText(shownDuration(durations[i]!));
    await page.screenshot({ path: test.info().outputPath("periodlog.png"), fullPage: true });
  } finally {
    rmSync(rec.path, { recursive: true, force: true });
  }
});
