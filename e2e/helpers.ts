import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { expect, type Page } from "@playwright/test";
import { E2E_ADMIN_PASSWORD } from "../playwright.config";

/** Logs in as the operator created from TRACEDECK_ADMIN_PASSWORD (see playwright.config.ts). */
export async function loginAsAdmin(page: Page): Promise<void> {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  // Fill only once React owns the inputs: text typed into the server-rendered form is lost.
  await expect(page.locator("form[data-hydrated=true]")).toBeVisible();
  await page.getByLabel("User name").fill("admin");
  await page.getByLabel("Password").fill(E2E_ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByTestId("current-user")).toContainText("admin · operator");
}

/** Calls a tRPC procedure over HTTP with the page's cookies (superjson-encoded, unbatched). */
export async function trpcCall<T = unknown>(page: Page, path: string, input?: unknown, kind: "query" | "mutation" = "mutation"): Promise<T> {
  const url = `/api/trpc/${path}`;
  const res =
    kind === "query"
      ? await page.request.get(input === undefined ? url : `${url}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`)
      : await page.request.post(url, { data: { json: input ?? null } });
  const body = (await res.json()) as { result?: { data?: { json?: T } }; error?: { json?: { message?: string } } };
  if (!res.ok() || body.error) throw new Error(`${path}: ${body.error?.json?.message ?? res.status()}`);
  return body.result?.data?.json as T;
}

/** Names of the recording sessions LTTng lists now. */
export async function sessionNames(page: Page): Promise<string[]> {
  return (await trpcCall<Array<{ name: string }>>(page, "sessions.list", undefined, "query")).map((s) => s.name);
}

/**
 * Destroys the given sessions if they exist (test clean-up, also after a failure). Each name is
 * tried even if listing fails; a failure other than "not found" is retried once, then reported.
 */
export async function destroySessions(page: Page, names: string[]): Promise<void> {
  const failures: string[] = [];
  for (const name of names) {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await trpcCall(page, "sessions.destroy", { name });
        break;
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        if (/not found|No session|does not exist/i.test(msg)) break;
        if (attempt === 1) failures.push(`${name}: ${msg}`);
      }
    }
  }
  if (failures.length) throw new Error(`Clean-up failed: ${failures.join("; ")}`);
}

/**
 * Removes what the shared relay daemon wrote for these sessions (`<relayd -o>/<host>/<name>-YYYYMMDD-HHMMSS`),
 * so streaming and live tests leave no trace behind. Only exact session directories are removed.
 */
export async function removeRelayOutput(page: Page, names: string[]): Promise<void> {
  const health = await trpcCall<{ relayd: { outputDir: string | null } }>(page, "daemons.health", undefined, "query");
  const base = health.relayd.outputDir;
  if (!base) return;
  for (const host of readdirSync(base, { withFileTypes: true })) {
    if (!host.isDirectory()) continue;
    for (const e of readdirSync(join(base, host.name), { withFileTypes: true })) {
      if (e.isDirectory() && names.some((n) => e.name.startsWith(`${n}-`) && /^\d{8}-\d{6}$/.test(e.name.slice(n.length + 1)))) {
        rmSync(join(base, host.name, e.name), { recursive: true, force: true });
      }
    }
  }
}
