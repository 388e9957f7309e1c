/**
 * Fault test at page level: lttng-relayd restarts while `/live/<session>` streams. The page
 * watches a relayd of this test's own (other loopback ports, its own output directory,
 * `?relay=HOST:PORT`), never the shared one, which stays untouched. LTTng 2.13.9 sessions do
 * not stream to a restarted relay by themselves (server/live/README.md), so the session is
 * re-created under the same name, as an operator would; the page must show the gap, then
 * the events that follow it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { createLiveSession, spawnDemo, type DemoRun, type LiveSession } from "../server/live/testing";
import { DaemonManager } from "../server/lttng/daemons";
import { loginAsAdmin } from "./helpers";

// Not the ports of server/live/reconnect.test.ts: both may run at once on one machine.
const relay = { host: "127.0.0.1", controlPort: 36442, dataPort: 36443, livePort: 36444 };

/** Events this page has received (the table keeps only the newest rows). */
async function received(page: Page): Promise<number> {
  const text = (await page.getByTestId("live-counters").textContent()) ?? "";
  return Number(/^([\d,]+) events received here/.exec(text)?.[1]?.replace(/,/g, "") ?? NaN);
}

test.describe("live across a relay restart", () => {
  test("the page shows the gap when its relayd restarts, then streams again", async ({ page }) => {
    test.setTimeout(180_000);
    const runDir = mkdtempSync(join(tmpdir(), "td-e2e-relay-run-"));
    const outDir = mkdtempSync(join(tmpdir(), "td-e2e-relay-out-"));
    const daemons = new DaemonManager({ runDir, relaydOutputDir: outDir, relayd: relay });
    let session: LiveSession | undefined;
    let demo: DemoRun | undefined;
    try {
      expect(await daemons.startRelayd()).toMatchObject({ running: true, ownedByTracedeck: true });
      const url = `net://127.0.0.1:${relay.controlPort}:${relay.dataPort}`;
      session = await createLiveSession({ tag: "e2e-fault", url });
      const name = session.name;
      demo = await spawnDemo(["--rate", "300", "--duration", "0"]);
      demo.release();

      await loginAsAdmin(page);
      await page.goto(`/live/${name}?relay=127.0.0.1:${relay.livePort}`);
      await expect(page.getByTestId("live-relay")).toHaveText(`on relay 127.0.0.1:${relay.livePort}`);
      await expect(page.getByTestId("live-state")).toHaveAttribute("data-state", "streaming");
      await expect.poll(() => received(page), { timeout: 30_000 }).toBeGreaterThan(20);
      await expect(page.getByTestId("live-gap")).toHaveCount(0);

      await daemons.stopRelayd();
      await expect(page.getByTestId("live-state")).toHaveAttribute("data-state", "reconnecting", { timeout: 30_000 });
      await expect(page.getByTestId("live-state")).toContainText("lttng-relayd");
      const beforeGap = await received(page);

      expect((await daemons.startRelayd()).running).toBe(true);
      await session.destroy();
      session = await createLiveSession({ tag: "e2e-fault", name, url });

      // The gap, with its duration and cause, then events again below it.
      await expect(page.getByTestId("live-gap")).toHaveCount(1, { timeout: 60_000 });
      await expect(page.getByTestId("live-gap")).toContainText(/Gap of \d+\.\d s after \d+: .*lttng-relayd/);
      await expect(page.getByTestId("live-state")).toHaveAttribute("data-state", "streaming");
      await expect.poll(() => received(page), { timeout: 30_000 }).toBeGreaterThan(beforeGap + 20);
      await page.screenshot({ path: "test-results/live-relay-restart.png", fullPage: true });
    } finally {
      demo?.kill();
      await session?.destroy();
      await daemons.stopRelayd();
      rmSync(runDir, { recursive: true, force: true });
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  test("another relay than the configured one is refused unless it is a loopback address", async ({ page }) => {
    await loginAsAdmin(page);
    await page.goto(`/live/any-session?relay=10.0.0.1:5344`);
    await expect(page.locator("p[role=alert]")).toContainText("loopback relay");
    await expect(page.getByTestId("live-state")).toHaveAttribute("data-state", "error");
  });
});
