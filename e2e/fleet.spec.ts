/**
 * The fleet view in real Chromium: this machine and the same machine over a real sshd of the
 * test's own (loopback, own host key), added from Settings with its key pasted; then a snapshot
 * recorded on both hosts at once, with a result per host; then both put in a group from
 * Settings, the view filtered by it, and the session stopped on every host of the group.
 */
import { expect, test } from "@playwright/test";
import { TestSshd } from "../server/fleet/testing/sshd";
import { destroySessions, loginAsAdmin, trpcCall } from "./helpers";

const sshd = new TestSshd();
const session = `e2e-fleet-${process.pid}-${Date.now().toString(36)}`;
const group = `e2e-${process.pid}`;

test.beforeAll(async () => {
  await sshd.start();
});
test.afterAll(async () => {
  await sshd.dispose();
});

test("two hosts in the fleet view, a snapshot on both at once", async ({ page }) => {
  // Two bulk actions and a refresh over SSH, each SSH command starting the login shell.
  test.setTimeout(240_000);
  await loginAsAdmin(page);
  let sourceId: number | undefined;
  try {
    await page.goto("/settings");
    const form = page.getByRole("form", { name: "Add a host" });
    await form.getByLabel("Host name").fill("loopback");
    await form.getByLabel("Address", { exact: true }).fill("127.0.0.1");
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
    await page.getByLabel("Session", { exact: true }).fill(session);
    await page.getByRole("button", { name: "Record a snapshot on 2 hosts" }).click();
    await expect(page.getByTestId("bulk-local")).toHaveAttribute("data-ok", "true", { timeout: 60_000 });
    await expect(page.getByTestId("bulk-loopback")).toHaveAttribute("data-ok", "true");
    await expect(page.getByTestId("bulk-loopback")).toContainText("recorded fleet-");

    // Groups edited in Settings: only the SSH host joins `group`, so the filter has something to hide.
    await page.goto("/settings");
    await page.getByLabel("Groups of loopback", { exact: true }).fill(`${group}, other`);
    await page.getByRole("button", { name: "Save groups of loopback" }).click();
    await expect(page.getByLabel("Groups of loopback", { exact: true })).toHaveValue(`${group}, other`);
    await expect
      .poll(
        async () => (await trpcCall<{ name: string; groups: string[] }[]>(page, "fleet.hosts", undefined, "query")).find((h) => h.name === "loopback")?.groups,
      )
      .toEqual([group, "other"]);

    await page.goto("/fleet");
    await page.getByLabel("Group filter").selectOption(group);
    await expect(page.getByTestId("fleet-loopback")).toBeVisible();
    await expect(page.getByTestId("fleet-local")).toHaveCount(0);
    await page.getByRole("combobox", { name: "Bulk action" }).selectOption("stop");
    await page.getByLabel("Session", { exact: true }).fill(session);
    await page.getByLabel("Every host of the group").check();
    await page.getByRole("button", { name: `Stop on group ${group}` }).click();
    await expect(page.getByTestId("bulk-loopback")).toHaveAttribute("data-ok", "true", { timeout: 60_000 });
    await expect(page.getByTestId("bulk-loopback")).toContainText(`stopped ${session}`);
    await expect(page.getByTestId("bulk-local")).toHaveCount(0);
    // Stopped on the one session daemon both hosts reach: the local view says so too.
    await expect
      .poll(
        async () => (await trpcCall<{ name: string; active: boolean }[]>(page, "sessions.list", undefined, "query")).find((x) => x.name === session)?.active,
        { timeout: 15_000 },
      )
      .toBe(false);

    // A spike rule snapshotting every host of the group: the form offers the group, and the rule
    // says, from the fleet view's answers, that the session is stopped on its host.
    const { id } = await trpcCall<{ id: number }>(page, "spikes.sources.upsert", {
      name: `${group}-src`,
      sessionName: null,
      definition: { kind: "field", event: "tracedeck_demo:request_end", field: "latency_ns", unit: "ns" },
    });
    sourceId = id;
    await page.goto("/spikes");
    const rules = page.getByRole("form", { name: "Add a spike rule" });
    await expect(rules.locator(`datalist option[value="${group}"]`)).toHaveCount(1);
    await rules.getByLabel("Name").fill(`${group}-rule`);
    await rules.getByLabel("Source").selectOption(String(sourceId));
    await rules.getByLabel("Snapshot session").fill(session);
    await rules.getByLabel("On host group (optional)").fill(group);
    await rules.getByRole("button", { name: "Add rule" }).click();
    // The fleet view asks the hosts again once its last answers are 15 s old.
    await expect(page.locator(`tr[data-rule="${group}-rule"]`).getByTestId("rule-problem")).toHaveText(
      [`⚠ ${session} is not recording on host loopback: a snapshot would not hold the spike.`],
      { timeout: 60_000 },
    );
  } finally {
    const rules = await trpcCall<Array<{ id: number; name: string }>>(page, "spikeRules.list", undefined, "query").catch(() => []);
    for (const r of rules.filter((x) => x.name === `${group}-rule`)) await trpcCall(page, "spikeRules.remove", { id: r.id }).catch(() => undefined);
    if (sourceId !== undefined) await trpcCall(page, "spikes.sources.remove", { id: sourceId }).catch(() => undefined);
    await destroySessions(page, [session]);
    await trpcCall(page, "fleet.removeHost", { name: "loopback" }).catch(() => undefined);
  }
});
