/**
 * Every page hydrates what the server rendered, even when the browser's clock is not the
 * server's (a laptop a minute and a half off): text computed from "now" on both sides differs,
 * and React then throws the server's HTML away with an error (minified #418 in production).
 */
import { expect, test } from "@playwright/test";
import { loginAsAdmin } from "./helpers";

const PAGES = [
  "/",
  "/sessions",
  "/sessions/new",
  "/live",
  "/timeline",
  "/timeline?from=now-1h&to=now",
  "/spikes",
  "/archives",
  "/analyze",
  "/fleet",
  "/settings",
];

test("every page hydrates without error with the browser's clock 90 s ahead of the server's", async ({ page }) => {
  await page.clock.install({ time: new Date(Date.now() + 90_000) });
  await loginAsAdmin(page);
  for (const path of PAGES) {
    const errors: string[] = [];
    const onError = (e: Error) => errors.push(e.message);
    page.on("pageerror", onError);
    await page.goto(path);
    // Hydration is done once the page's first client effects ran; the nav is a client component.
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await page.waitForLoadState("networkidle");
    page.off("pageerror", onError);
    expect(errors, path).toEqual([]);
  }
});
