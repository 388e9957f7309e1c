import { expect, test } from "@playwright/test";
import { loginAsAdmin, trpcCall } from "./helpers";

test("the dashboard requires a login and rejects a wrong password", async ({ page }) => {
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.locator("form[data-hydrated=true]")).toBeVisible();
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

test("a form on another origin of the same site cannot post a mutation with the login cookie", async ({ page, baseURL }) => {
  await loginAsAdmin(page);
  // Another port on 127.0.0.1 is the same site, so the SameSite=Lax cookie goes along with
  // a POST from it; served here by Playwright, as any local web page could be.
  const evil = "http://127.0.0.1:9/";
  await page.route(evil, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<form method="post" enctype="multipart/form-data" action="${baseURL}/api/trpc/workload.stopAll"><input name="x" value="1"><button>go</button></form>`,
    }),
  );
  await page.goto(evil);
  const posted = page.waitForRequest((r) => r.url().endsWith("/api/trpc/workload.stopAll") && r.method() === "POST");
  await page.getByRole("button", { name: "go" }).click();
  // The browser did send the cookie: only the server's check stands in the way.
  expect((await (await posted).allHeaders()).cookie ?? "").toContain("td_session=");
  await expect(page.locator("body")).toContainText("must be application/json");
  await page.goto("/");
  const audit = await trpcCall<Array<{ action: string }>>(page, "auth.audit", { limit: 500 }, "query");
  expect(audit.filter((a) => a.action === "workload.stopAll")).toHaveLength(0);
});
