import { expect, test } from "@playwright/test";
import { SHARED_TRACES } from "../playwright.config";
import { destroySessions, loginAsAdmin, removeRelayOutput, trpcCall } from "./helpers";

const RUN = `e2e-tl-${process.pid}-${Date.now().toString(36)}`;

test.describe("latency timeline", () => {
  test("a live demo session's request latency drawn on the Timeline: source defined on the page, follow, threshold, brush zoom and back, shareable URL", async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await loginAsAdmin(page);
    const name = `${RUN}-demo`;
    let demo: number | undefined;
    let sourceId: number | undefined;
    try {
      await trpcCall(page, "live.create", { name, events: ["tracedeck_demo:*"], liveTimerUs: 100_000 });

      await page.goto("/timeline");
      await page.getByRole("button", { name: "New source" }).click();
      const form = page.getByRole("form", { name: "New latency source" });
      // The live session is offered, not only typed.
      await expect(page.locator(`#source-live-sessions option[value="${name}"]`)).toHaveCount(1);
      // Defined first without its live session, which an edit then gives it: what the rest of
      // this test draws is recorded only if the edit reached the recorder.
      await form.getByLabel("Name", { exact: true }).fill("demo requests");
      await expect(form.getByLabel("Event", { exact: true })).toHaveValue("tracedeck_demo:request_end");
      await expect(form.getByLabel("Field", { exact: true })).toHaveValue("latency_ns");
      await form.getByRole("button", { name: "Save source" }).click();
      await expect(page.getByLabel("Show demo requests")).toBeChecked();
      const sources = page.getByRole("region", { name: "Latency sources" });
      await expect(sources).toContainText("any trace");
      await page.getByRole("button", { name: "Edit demo requests" }).click();
      const edit = page.getByRole("form", { name: "Edit demo requests" });
      await edit.getByLabel("Live session (optional)").fill(name);
      await edit.getByRole("button", { name: "Save" }).click();
      await expect(sources).toContainText(`session ${name}`);
      // So are the traces a stored trace may be read from: the catalog under the trace roots.
      await expect(page.locator(`#source-ingest-traces option[value="${SHARED_TRACES}/tc-many-threads"]`)).toHaveCount(1);
      await expect(page).toHaveURL(/sources=\d+/);
      await expect(page).toHaveURL(/from=now-5m&to=now&refresh=5s/);
      sourceId = Number(/sources=(\d+)/.exec(page.url())![1]);
      const panel = page.getByTestId(`latency-panel-${sourceId}`);

      // The seed scenario's load: 2,000 requests/s, one 60 ms request in 2,000 (one a second).
      demo = (await trpcCall<{ id: number }>(page, "workload.start", { rate: 2000, threads: 2, duration: 0, slowEvery: 2000, slowMs: 60 })).id;
      // Follow mode refreshes every 5 s: values arrive through the relay, the recorder and the history.
      await expect.poll(async () => Number(await panel.getAttribute("data-values")), { timeout: 60_000 }).toBeGreaterThan(2000);
      await expect.poll(async () => Number(await panel.getAttribute("data-max-ms")), { timeout: 60_000 }).toBeGreaterThan(50);
      await expect(panel.locator(".recharts-line-curve")).toHaveCount(2);
      await expect(panel.locator(".recharts-area-area")).toHaveCount(2);
      await expect(page.getByTestId("timeline-range")).toContainText("following");

      // Threshold line, kept in the URL.
      await page.getByLabel("Threshold").fill("50ms");
      await page.getByLabel("Threshold").press("Enter");
      await expect(page).toHaveURL(/threshold=50ms/);
      await expect(panel.locator("line.recharts-reference-line-line")).toHaveCount(1);
      await page.screenshot({ path: "test-results/timeline-live.png", fullPage: true });

      // The same link in a fresh load draws the same view.
      const shared = page.url();
      await page.goto(shared);
      // A cold page on a loaded 2-CPU machine (measured: ~20 s at load 20): not a timing check.
      await expect(panel).toBeVisible({ timeout: 60_000 });
      await expect.poll(async () => Number(await panel.getAttribute("data-values"))).toBeGreaterThan(2000);
      await expect(panel.locator("line.recharts-reference-line-line")).toHaveCount(1);

      // Brush: drag across the middle of the plot → a fixed window (absolute ns), follow off.
      const plot = panel.locator(".recharts-cartesian-grid");
      const box = (await plot.boundingBox())!;
      // To the plot's right edge: the demo started well under a minute ago, so the values sit in
      // the window's last few percent (a selection ending at 95 % could hold none of them).
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 8 });
      await page.mouse.move(box.x + box.width * 0.995, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
      await expect(page).toHaveURL(/from=\d{19}&to=\d{19}&refresh=off/);
      await expect(page.getByTestId("timeline-range")).not.toContainText("following");
      await expect.poll(async () => Number(await panel.getAttribute("data-values"))).toBeGreaterThan(0);
      // Back: the followed window again.
      await page.getByRole("button", { name: "Back", exact: true }).click();
      await expect(page).toHaveURL(/from=now-5m&to=now/);
    } finally {
      if (demo !== undefined) await trpcCall(page, "workload.stop", { id: demo }).catch(() => undefined);
      if (sourceId !== undefined) await trpcCall(page, "spikes.sources.remove", { id: sourceId }).catch(() => undefined);
      await destroySessions(page, [name]).catch(() => undefined);
      await removeRelayOutput(page, [name]);
    }
  });
});
