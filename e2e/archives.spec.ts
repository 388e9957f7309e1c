import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { loginAsAdmin } from "./helpers";

test("archives lists the traces under the roots, downloads one as .tar.gz, and refuses paths outside", async ({ page }) => {
  await loginAsAdmin(page);
  await page.goto("/archives");
  const table = page.getByTestId("archives");
  const row = table.locator("tr", { hasText: "bt-tracefile-rotation" });
  await expect(row).toBeVisible();
  await expect(row).toContainText("kernel");

  const [download] = await Promise.all([page.waitForEvent("download"), row.getByRole("link", { name: "Download" }).click()]);
  expect(download.suggestedFilename()).toBe("bt-tracefile-rotation.tar.gz");
  const dir = mkdtempSync(join(tmpdir(), "td-e2e-dl-"));
  try {
    const file = join(dir, "t.tar.gz");
    await download.saveAs(file);
    const r = spawnSync("tar", ["-xzf", file, "-C", dir], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const bt = spawnSync("babeltrace2", [join(dir, "bt-tracefile-rotation")], { encoding: "utf8", maxBuffer: 64 << 20 });
    expect(bt.status, bt.stderr).toBe(0);
    // PROVENANCE.md: 12,305 events.
    expect(bt.stdout.trim().split("\n")).toHaveLength(12_305);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const outside = await page.request.get(`/api/archives/download?path=${encodeURIComponent("/etc")}`);
  expect(outside.status()).toBe(403);
  const escape = await page.request.get(`/api/archives/download?path=${encodeURIComponent("../../../../etc")}`);
  expect([403, 404]).toContain(escape.status());

  await row.getByRole("link", { name: "Analyze" }).click();
  await expect(page).toHaveURL(/\/analyze\?trace=/);
});

test("the download refuses anonymous callers", async ({ request }) => {
  const r = await request.get(`/api/archives/download?path=tc-many-threads`);
  expect(r.status()).toBe(401);
});
