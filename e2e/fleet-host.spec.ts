/**
 * A traced host's sessions in real Chromium: the same machine over a real sshd of the test's
 * own (loopback, own host key). The wizard creates a session on that host (it streams to this
 * machine's relayd by default), the Sessions list shows it under the host, and its page
 * (`?host=`) starts it, records a snapshot and destroys it, each over SSH. The Live page creates
 * a live session on that host, whose events stream into the page through this machine's relayd.
 */
import { expect, test, type Page } from "@playwright/test";
import { TestSshd } from "../server/fleet/testing/sshd";
import { loginAsAdmin, removeRelayOutput, trpcCall } from "./helpers";

const sshd = new TestSshd();
const host = `hp-${Date.now().toString(36)}`;
const session = `e2e-host-${process.pid}-${Date.now().toString(36)}`;

test.beforeAll(async () => {
  await sshd.start();
});
test.afterAll(async () => {
  await sshd.dispose();
});

/** Registers this test's sshd as traced host `name`, streaming to this machine's relayd at 127.0.0.1. */
async function addHost(page: Page, name: string): Promise<void> {
  await trpcCall(page, "fleet.addHost", {
    name,
    address: "127.0.0.1",
    port: sshd.port,
    user: "root",
    privateKey: sshd.privateKey.toString(),
    relayHost: "127.0.0.1",
  });
}

// Every step is several `lttng` commands over SSH: on a loaded 2-core machine, minutes in all.
test.setTimeout(600_000);

test("a remote host's session: created with the wizard, opened from the list, started, snapshotted, destroyed", async ({ page }) => {
  await loginAsAdmin(page);
  try {
    await addHost(page, host);

    await page.goto("/sessions/new");
    await page.getByTestId("wizard-host").selectOption(host);
    await page.getByRole("radio", { name: /Snapshot/ }).check();
    await page.getByLabel("Session name").fill(session);
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel(/Type an event name/).fill("tracedeck_demo:*");
    await page.getByRole("button", { name: "Add rule" }).click();
    await page.getByRole("button", { name: /Review/ }).click();
    // No output chosen: the host's snapshots go to this machine's relay daemon.
    await expect(page.getByTestId("equivalent-commands")).toContainText(`lttng create ${session} --snapshot --set-url=net://127.0.0.1:5342:5343`);
    await page.getByRole("button", { name: "Create session" }).click();
    await expect(page.getByTestId("wizard-done")).toContainText(`Session ${session} created`, { timeout: 120_000 });

    // The list of this machine's sessions does not show it; the host's list does.
    await page.goto("/sessions");
    await page.getByTestId("host-select").selectOption(host);
    await expect(page).toHaveURL(new RegExp(`/sessions\\?host=${host}$`));
    const row = page.getByTestId(`session-${session}`);
    await expect(row).toBeVisible({ timeout: 60_000 });
    await row.getByRole("link", { name: session }).click();
    await expect(page).toHaveURL(new RegExp(`/sessions/${session}\\?host=${host}$`));
    await expect(page.getByTestId("session-host")).toHaveText(`@${host}`, { timeout: 60_000 });

    const bar = page.getByRole("toolbar", { name: "Session actions" });
    await expect(bar.getByRole("button", { name: "Save profile" })).toHaveCount(0);
    await bar.getByRole("button", { name: "Start" }).click();
    await expect(page.getByTestId("session-state")).toContainText("recording", { timeout: 60_000 });
    await bar.getByRole("button", { name: "Record snapshot" }).click();
    // Written by this machine's relayd, under its output directory.
    await expect(page.getByTestId("snapshot-path")).toContainText("/relayd/", { timeout: 60_000 });

    await bar.getByRole("button", { name: "Stop" }).click();
    await expect(page.getByTestId("session-state")).toContainText("stopped", { timeout: 60_000 });
    await bar.getByRole("button", { name: "Destroy" }).click();
    await page.getByRole("button", { name: "Confirm destroy" }).click();
    await expect(page).toHaveURL(new RegExp(`/sessions\\?destroyed=${session}&host=${host}$`), { timeout: 60_000 });
    await expect(page.getByTestId("destroyed-outcome")).toContainText(`Session ${session} destroyed.`);
    await expect(page.getByTestId("host-select")).toHaveValue(host);

    // Every action is in the audit log with the host it was for.
    const audit = await trpcCall<Array<{ action: string; host: string | null; ok: boolean }>>(page, "auth.audit", { limit: 100 }, "query");
    const mine = audit.filter((r) => r.host === host && r.ok).map((r) => r.action);
    expect(mine).toEqual(expect.arrayContaining(["sessions.setup", "sessions.start", "sessions.snapshot", "sessions.stop", "sessions.destroy"]));
    await page.goto("/settings");
    await expect(
      page.locator('[data-action="sessions.snapshot"]').filter({ has: page.getByTestId("audit-host").getByText(host, { exact: true }) }),
    ).not.toHaveCount(0);
  } finally {
    await trpcCall(page, "sessions.destroy", { host, name: session }).catch(() => undefined);
    await trpcCall(page, "fleet.removeHost", { name: host }).catch(() => undefined);
  }
});

test("a live session on a traced host, created from the Live page, streams into the page through this machine's relayd", async ({ page }) => {
  await loginAsAdmin(page);
  const liveHost = `${host}-l`;
  const name = `${session}-live`;
  let demo: number | undefined;
  try {
    await addHost(page, liveHost);
    await page.goto("/live");
    await page.getByTestId("live-host").selectOption(liveHost);
    await expect(page.getByRole("heading", { name: `New live session on ${liveHost}` })).toBeVisible();
    await page.getByLabel("Session name").fill(name);
    await page.getByRole("button", { name: "Create and watch" }).click();
    await expect(page).toHaveURL(new RegExp(`/live/${name}$`), { timeout: 120_000 });
    await expect(page.getByTestId("live-state")).toHaveAttribute("data-state", "streaming", { timeout: 60_000 });
    demo = (await trpcCall<{ id: number }>(page, "workload.start", { rate: 400, threads: 2, duration: 0 })).id;
    await expect(page.getByTestId("live-row").first()).toBeVisible({ timeout: 60_000 });

    // Created through the host's transport: its session daemon lists it as a live session.
    const remote = await trpcCall<Array<{ name: string; mode: string }>>(page, "sessions.list", { host: liveHost }, "query");
    expect(remote.find((s) => s.name === name)?.mode).toBe("live");
  } finally {
    if (demo !== undefined) await trpcCall(page, "workload.stop", { id: demo }).catch(() => undefined);
    await trpcCall(page, "sessions.destroy", { host: liveHost, name }).catch(() => undefined);
    await removeRelayOutput(page, [name]).catch(() => undefined);
    await trpcCall(page, "fleet.removeHost", { name: liveHost }).catch(() => undefined);
  }
});
