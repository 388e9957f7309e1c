import { expect, test } from "@playwright/test";
import { loginAsAdmin } from "./helpers";

test("the dashboard requires a login and rejects a wrong password", async ({ page }) => {
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("User name").fill("admin");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("form", { name: "Log in" }).getByRole("alert")).toContainText("Wrong user name or password");
  await expect(page).toHaveURL(/\/login/);
});

test("log in, see healthy daemons, start the demo workload, see it as an instrumented app, stop it", async ({ page }) => {
  await loginAsAdmin(page);

  // Health bar: the real root sessiond and relayd started by `npm test`.
  await expect(page.getByTestId("sessiond-health")).toHaveAttribute("data-ok", "true");
  await expect(page.getByTestId("relayd-health")).toHaveAttribute("data-ok", "true");
  await expect(page.getByTestId("lttng-version")).toContainText(/LTTng 2\.\d+/);
  await expect(page.getByTestId("kernel-tracer")).not.toContainText("…");

  // Start the demo from the panel; it runs until stopped.
  const panel = page.getByRole("region", { name: "Demo workload" });
  await panel.getByLabel("Requests/s").fill("500");
  await panel.getByLabel("Duration (s)").fill("0");
  await panel.getByRole("button", { name: "Start demo" }).click();
  const row = panel.getByTestId("demo-processes").locator("tr[data-state=running]").first();
  await expect(row).toBeVisible();
  const pid = (await row.locator("td").first().innerText()).trim();
  expect(pid).toMatch(/^\d+$/);

  // The sessiond sees the registered app and its tracepoints (`lttng list -u`).
  const apps = page.getByRole("region", { name: "Instrumented applications" });
  await expect(apps.getByTestId(`app-${pid}`)).toBeVisible({ timeout: 20_000 });
  await expect(apps.getByTestId(`app-${pid}`)).toContainText("tracedeck_demo:request_end");

  await row.getByRole("button", { name: "Stop" }).click();
  await expect(panel.getByTestId("demo-processes").locator("tr[data-state=running]")).toHaveCount(0);
  await expect(apps.getByTestId(`app-${pid}`)).toHaveCount(0, { timeout: 20_000 });
});
