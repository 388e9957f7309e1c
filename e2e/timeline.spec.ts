import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { SHARED_TRACES } from "../playwright.config";
import { loginAsAdmin } from "./helpers";

test("a time range link shows that range's events, as babeltrace2 prints them", async ({ page }) => {
  // Around iolatencytop's slowest open() in tc-many-threads (17:46:22.893946420).
  const begin = "1457113582893900000";
  const end = "1457113582894100000";
  const bt = spawnSync("babeltrace2", [join(SHARED_TRACES, "tc-many-threads"), "--begin=1457113582.893900000", "--end=1457113582.894100000"], {
    encoding: "utf8",
    env: { ...process.env, TZ: "UTC" },
  });
  expect(bt.status, bt.stderr).toBe(0);
  const expected = bt.stdout.trim().split("\n");

  await loginAsAdmin(page);
  await page.goto(`/timeline?trace=tc-many-threads&begin=${begin}&end=${end}`);
  await expect(page.getByTestId("range-summary")).toContainText(`${expected.length} events`);
  const list = page.getByTestId("range-events");
  await expect(list).toContainText(expected[0]!.slice(0, 60));
  await expect(page.getByRole("heading", { name: /17:46:22\.893900000 → 17:46:22\.894100000 UTC/ })).toBeVisible();

  await page.goto(`/timeline?trace=${encodeURIComponent("/etc")}`);
  await expect(page.getByRole("region", { name: /Events/ }).getByRole("alert")).toContainText(/outside|No CTF trace|No such trace/);
});
