/**
 * The fleet view in real Chromium: this machine and the same machine over a real sshd of the
 * test's own (loopback, own host key), added from Settings with its key pasted; then a snapshot
 * recorded on both hosts at once, with a result per host.
 */
import { expect, test } from "@playwright/test";
import { TestSshd } from "../server/fleet/testing/sshd";
import { destroySessions, loginAsAdmin, trpcCall } from "./helpers";

const sshd = new TestSshd();
const session = `e2e-fleet-${process.pid}-${Date.now().toString(36)}`;

test.beforeAll(async () => {
  await sshd.start();
});
test.afterAll(async () => {
  await sshd.dispose();
});

test("two hosts in the fleet view, a snapshot on both at once", async ({ page }) => {
  await loginAsAdmin(page);
  try {
    await page.goto("/settings");
    const form = page.getByRole("form", { name: "Add a host" });
    await form.getByLabel("Host name").fill("loopback");
    await form.getByLabel("Address").fill("127.0.0.1");
    await form.getByLabel("Port").fill(String(sshd.port));
    await form.getByLabel("User").fill("root");
    await form.getByLabel("Private key").fill(sshd.privateKey.toString());
    await form.getByRole("button", { name: "Add host" }).click();
    // Trust on first use: the pinned fingerprint is the one ssh-keygen prints for the host key.
    await expect(page.getByTestId("host-added")).toContainText(sshd.hostFingerprint, { timeout: 30_000 });
    await expect(page.getByTestId("host-loopback")).toContainText(sshd.hostFingerprint);
    await expect(page.getByTestId("hosts")).not.toContainText("PRIVATE KEY");

    // A snapshot session streaming to this machine's relay, recording the demo's events.
    await trpcCall(page, "sessions.create", { mode: "snapshot", name: session, url: "net://127.0.0.1:5342:5343" });
    await trpcCall(page, "sessions.enableEvent", { session, domain: "userspace", names: ["tracedeck_demo:*"] });
    await trpcCall(page, "sessions.start", { name: session });

    await page.goto("/fleet");
    const local = page.getByTestId("fleet-local");
    const remote = page.getByTestId("fleet-loopback");
    await expect(local).toHaveAttribute("data-state", "up", { timeout: 30_000 });
    await expect(remote).toHaveAttribute("data-state", "up", { timeout: 30_000 });
    await expect(remote).toContainText(session);
    await expect(remote).toContainText("2.13");

    await page.getByLabel("Select local").check();
    await page.getByLabel("Select loopback").check();
    await page.getByLabel("Snapshot session").fill(session);
    await page.getByRole("button", { name: "Snapshot 2 hosts" }).click();
    await expect(page.getByTestId("bulk-local")).toHaveAttribute("data-ok", "true", { timeout: 60_000 });
    await expect(page.getByTestId("bulk-loopback")).toHaveAttribute("data-ok", "true");
    await expect(page.getByTestId("bulk-loopback")).toContainText("recorded fleet-");
  } finally {
    await destroySessions(page, [session]);
    await trpcCall(page, "fleet.removeHost", { name: "loopback" }).catch(() => undefined);
  }
});
