import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { SHARED_TRACES } from "../playwright.config";
import { destroySessions, loginAsAdmin, trpcCall } from "./helpers";

const RUN = `e2e-arch-${Math.random().toString(36).slice(2, 8)}`;

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

test("record a snapshot from the session page, see it in Archives with its report, open it, download it", async ({ page }) => {
  // Many steps, each waiting on the real daemons and the report worker: more than the default.
  test.setTimeout(240_000);
  await loginAsAdmin(page);
  const name = `${RUN}-snap`;
  const demo = await trpcCall<{ id: number }>(page, "workload.start", { rate: 300, threads: 1, duration: 120 });
  const tmp = mkdtempSync(join(tmpdir(), "td-e2e-arch-"));
  try {
    await trpcCall(page, "sessions.setup", {
      create: { mode: "snapshot", name },
      events: [{ session: name, domain: "userspace", names: ["tracedeck_demo:*"] }],
    });
    await trpcCall(page, "sessions.start", { name });
    // Let the demo fill the ring buffers a little.
    await page.waitForTimeout(1500);
    await page.goto(`/sessions/${encodeURIComponent(name)}`);
    await page.getByRole("button", { name: "Record snapshot" }).click();
    const written = page.getByTestId("snapshot-path");
    await expect(written).toContainText(`/${name}/snap-`, { timeout: 30_000 });
    const snapPath = (await written.textContent())!.trim();

    // Archives: grouped by session, with the report once built (the page refreshes itself).
    await page.goto("/archives");
    const group = page.locator(`[data-testid=archive-group][data-session="${name}"]`);
    await expect(group).toBeVisible({ timeout: 30_000 });
    const row = group.locator("tr[data-kind=snapshot]");
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute("title", snapPath);
    await expect(row).toContainText("manual");
    await expect(row).toHaveAttribute("data-report", "done", { timeout: 60_000 });
    await expect(page.getByTestId("report-queue")).toBeVisible();

    // The archive page: report tables and the chart, file list, links.
    await row.getByRole("link", { name: "Open" }).click();
    await expect(page).toHaveURL(/\/archives\/\d+$/);
    const id = Number(/\/archives\/(\d+)$/.exec(page.url())![1]);
    const detail = page.getByTestId("archive-detail");
    await expect(detail).toHaveAttribute("data-report", "done");
    await expect(page.getByTestId("events-per-name")).toContainText("tracedeck_demo:request_begin");
    await expect(page.getByTestId("events-per-name").locator("figure svg")).toBeVisible();
    await expect(page.locator("[data-testid=report-section][data-analysis=periodstats]").first()).toContainText("latency_ns");
    await expect(page.getByTestId("archive-files")).toContainText("metadata");
    await expect(detail.getByRole("link", { name: "Analyze", exact: true })).toHaveAttribute("href", `/analyze?trace=${encodeURIComponent(snapPath)}`);
    await expect(detail.getByRole("link", { name: "Timeline", exact: true })).toHaveAttribute("href", /\/timeline\?trace=.*&begin=\d+&end=\d+/);
    await page.screenshot({ path: "test-results/archive-detail.png", fullPage: true });

    // The whole archive: a .tar.gz that unpacks byte-identical, and babeltrace2 reads it.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download .tar.gz" }).click()]);
    const base = snapPath.split("/").at(-1)!;
    expect(download.suggestedFilename()).toBe(`${base}.tar.gz`);
    const file = join(tmp, "a.tar.gz");
    await download.saveAs(file);
    const r = spawnSync("tar", ["-xzf", file, "-C", tmp], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const files = listFiles(snapPath);
    expect(listFiles(join(tmp, base))).toEqual(files);
    for (const f of files) expect(readFileSync(join(tmp, base, f)).equals(readFileSync(join(snapPath, f))), f).toBe(true);
    const bt = spawnSync("babeltrace2", [join(tmp, base)], { encoding: "utf8", maxBuffer: 256 << 20 });
    expect(bt.status, bt.stderr).toBe(0);
    const events = (await trpcCall<{ archive: { events: string | number } }>(page, "archives.get", { id }, "query")).archive.events;
    expect(bt.stdout.trim().split("\n")).toHaveLength(Number(events));

    // One file of it.
    const metadata = files.find((f) => f.endsWith("/metadata"))!;
    const one = await page.request.get(`/api/archives/download?id=${id}&file=${encodeURIComponent(metadata)}`);
    expect(one.status()).toBe(200);
    expect(Buffer.from(await one.body()).equals(readFileSync(join(snapPath, metadata)))).toBe(true);
    expect(statSync(join(snapPath, metadata)).size).toBeGreaterThan(0);

    // Path safety: '..', absolute paths, unknown ids get a 4xx with a sentence.
    const dotdot = await page.request.get(`/api/archives/download?id=${id}&file=${encodeURIComponent("../../../../etc/passwd")}`);
    expect(dotdot.status()).toBe(400);
    expect(await dotdot.text()).toContain("without '..'");
    const abs = await page.request.get(`/api/archives/download?id=${id}&file=${encodeURIComponent("/etc/passwd")}`);
    expect(abs.status()).toBe(400);
    const unknown = await page.request.get(`/api/archives/download?id=999999999`);
    expect(unknown.status()).toBe(404);
    expect(await unknown.text()).toContain("No archive with id 999999999.");
    const outside = await page.request.get(`/api/archives/download?path=${encodeURIComponent("/etc")}`);
    expect(outside.status()).toBe(403);
    const notId = await page.request.get(`/api/archives/download?id=..%2F1`);
    expect(notId.status()).toBe(400);
    await page.goto("/archives/999999999");
    await expect(page.getByText("No archive with id 999999999.")).toHaveAttribute("role", "alert");

    // The session page shows the retention panel with what its archives hold.
    await page.goto(`/sessions/${encodeURIComponent(name)}`);
    await expect(page.getByTestId("retention-panel")).toContainText("1 archives");

    // Delete, after a confirmation: the directory goes, the row goes, the action is audited.
    await page.goto(`/archives/${id}`);
    page.once("dialog", (d) => void d.accept());
    await page.getByTestId("archive-detail").getByRole("button", { name: "Delete" }).click();
    await expect(page).toHaveURL(/\/archives$/);
    expect(existsSync(snapPath)).toBe(false);
    await expect(page.locator(`[data-testid=archive-group][data-session="${name}"]`)).toHaveCount(0);
    const audit = await trpcCall<Array<{ action: string; ok: boolean; input: string }>>(page, "auth.audit", { limit: 20 }, "query");
    expect(audit.find((e) => e.action === "archives.delete")).toMatchObject({ ok: true, input: expect.stringContaining(`"id":${id}`) as unknown as string });
  } finally {
    await trpcCall(page, "workload.stop", { id: demo.id }).catch(() => undefined);
    await destroySessions(page, [name]);
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("archives of the shared traces are indexed at start-up and never list LTTng's temporary directories", async ({ page }) => {
  // A rotating session's layout mid-rotation: one archive, and LTTng's `.tmp_old_chunk` beside it.
  const session = `${RUN}-rot`;
  const dir = join(process.env.TD_E2E_DATA!, "traces", session);
  const archive = join(dir, "archives", "20261206T100000+0000-20261206T100002+0000-0");
  cpSync(join(SHARED_TRACES, "bt-tracefile-rotation"), archive, { recursive: true });
  cpSync(join(SHARED_TRACES, "bt-tracefile-rotation"), join(dir, ".tmp_old_chunk"), { recursive: true });
  try {
    await loginAsAdmin(page);
    await page.goto("/archives");
    const shared = page.locator(`[data-testid=archive-group][data-session="bt-tracefile-rotation"]`);
    await expect(shared).toBeVisible({ timeout: 30_000 });
    await expect(shared.locator("tr[data-kind=session]")).toContainText("complete");
    const rot = page.locator(`[data-testid=archive-group][data-session="${session}"]`);
    await expect(rot.locator("tr[data-kind=rotation]")).toHaveAttribute("title", archive, { timeout: 30_000 });
    await expect(rot.locator("tbody tr")).toHaveCount(1);
    await expect(page.locator("tr[title*='.tmp_']")).toHaveCount(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the download refuses anonymous callers", async ({ request }) => {
  const r = await request.get(`/api/archives/download?id=1`);
  expect(r.status()).toBe(401);
});
