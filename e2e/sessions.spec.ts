import { expect, test, type Page } from "@playwright/test";
import { destroySessions, loginAsAdmin, removeRelayOutput, sessionNames, trpcCall } from "./helpers";

// Unique per run: the root sessiond is shared with other tests and a running dashboard.
const RUN = `e2e-${Math.random().toString(36).slice(2, 8)}`;

interface WizardOptions {
  mode: RegExp;
  name: string;
  url?: string;
  rotTimer?: string;
  preset?: string;
  events?: string[];
}

/** Goes through the creation wizard up to the review step (commands shown); does not create. */
async function fillWizard(page: Page, o: WizardOptions): Promise<void> {
  await page.goto("/sessions/new");
  await page.getByRole("radio", { name: o.mode }).check();
  await page.getByLabel("Session name").fill(o.name);
  if (o.url) await page.getByLabel(/Relay URL/).fill(o.url);
  if (o.rotTimer) await page.getByLabel("Rotate every").fill(o.rotTimer);
  await page.getByRole("button", { name: "Next" }).click();
  if (o.preset) await page.getByRole("button", { name: o.preset, exact: true }).click();
  await page.getByRole("button", { name: "Next" }).click();
  for (const ev of o.events ?? []) {
    await page.getByLabel(/Type an event name/).fill(ev);
    await page.getByRole("button", { name: "Add rule" }).click();
  }
  await page.getByRole("button", { name: /Review/ }).click();
}

async function createWithWizard(page: Page, o: WizardOptions): Promise<void> {
  await fillWizard(page, o);
  await expect(page.getByTestId("equivalent-commands")).toContainText(`lttng create ${o.name}`);
  await page.getByRole("button", { name: "Create session" }).click();
  await expect(page.getByTestId("wizard-done")).toContainText(`Session ${o.name} created`, { timeout: 30_000 });
}

function row(page: Page, name: string) {
  return page.getByTestId(`session-${name}`);
}

async function startStop(page: Page, name: string): Promise<void> {
  const r = row(page, name);
  await r.getByRole("button", { name: "Start" }).click();
  await expect(r).toHaveAttribute("data-active", "true");
  await expect(page.getByTestId(`outcome-${name}`)).toContainText(`Session ${name} started.`);
  await r.getByRole("button", { name: "Stop" }).click();
  await expect(r).toHaveAttribute("data-active", "false", { timeout: 30_000 });
  await expect(page.getByTestId(`outcome-${name}`)).toContainText(`Session ${name} stopped.`);
}

async function destroyFromList(page: Page, name: string): Promise<void> {
  const r = row(page, name);
  await r.getByRole("button", { name: "Destroy" }).click();
  await r.getByRole("button", { name: "Confirm destroy" }).click();
  await expect(row(page, name)).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId("destroyed-outcome")).toHaveText(`Session ${name} destroyed.`);
  expect(await sessionNames(page)).not.toContain(name);
}

/** Starts the traced demo web server so that sessions have events to record. */
async function startDemo(page: Page): Promise<number> {
  const p = await trpcCall<{ id: number }>(page, "workload.start", { rate: 300, threads: 1, duration: 120 });
  return p.id;
}

test.describe("sessions", () => {
  test.beforeEach(async ({ page }) => {
    await loginAsAdmin(page);
  });

  test("local session: presets and typed events, server-computed commands, start, stop, rotate shows the archive, guards, save profile, destroy", async ({
    page,
  }) => {
    const name = `${RUN}-local`;
    const demo = await startDemo(page);
    try {
      await fillWizard(page, { mode: /^Local disk/, name, preset: "Bounded disk", events: ["tracedeck_demo:*"] });
      // One more rule picked from the available-events browser, with a filter; and contexts.
      await page.getByRole("button", { name: /Events/ }).click();
      await page.getByRole("button", { name: "Add tracedeck_demo:request_end" }).first().click();
      await page.locator("#ev-1-filter").fill("latency_ns > 50000000");
      await page.getByRole("button", { name: /Contexts/ }).click();
      await page.getByRole("button", { name: "Add contexts" }).click();
      await page.getByRole("button", { name: /Review/ }).click();
      const cmds = page.getByTestId("equivalent-commands");
      await expect(cmds).toContainText(`lttng enable-event --session=${name} -u --channel=ch0 --filter='latency_ns > 50000000' tracedeck_demo:request_end`);
      await expect(cmds).toContainText(`lttng add-context --session=${name} -u --type=vpid --type=vtid --type=procname`);
      await expect(cmds).toContainText(`lttng create ${name} --output=`);
      await expect(cmds).toContainText(
        `lttng enable-channel --session=${name} -u --discard --subbuf-size=1048576 --num-subbuf=4 --tracefile-size=16777216 --tracefile-count=8 ch0`,
      );
      await expect(cmds).toContainText(`lttng enable-event --session=${name} -u --channel=ch0 'tracedeck_demo:*'`);
      await page.screenshot({ path: "test-results/sessions-wizard-review.png", fullPage: true });
      await page.getByRole("button", { name: "Create session" }).click();
      await expect(page.getByTestId("wizard-done")).toContainText(`Session ${name} created`, { timeout: 30_000 });

      // Session page: guards say why before anyone tries.
      await page.getByRole("link", { name: "Open session" }).click();
      await expect(page.getByTestId("channel-ch0")).toContainText("4 × 1 MiB");
      await expect(page.getByTestId("rule-tracedeck_demo:*")).toContainText("enabled");
      const stop = page.getByRole("toolbar", { name: "Session actions" }).getByRole("button", { name: "Stop" });
      await expect(stop).toBeDisabled();
      await expect(page.getByTestId("refused-actions")).toContainText("Stop: The session is not recording.");
      await expect(page.getByTestId("refused-actions")).toContainText("Rotate: Start the session first");
      await page.getByRole("button", { name: "Save profile" }).click();
      await expect(page.getByTestId("profile-path")).toContainText(`${name}.lttng`);
      await page.screenshot({ path: "test-results/sessions-detail.png", fullPage: true });

      // Re-apply the saved profile under another name: LTTng re-creates the session from the XML.
      await page.goto("/sessions");
      const profile = page.getByTestId(`profile-${name}`);
      await profile.getByRole("button", { name }).click();
      await expect(page.getByText(`<name>${name}</name>`).first()).toBeVisible();
      await profile.getByLabel(`Load ${name} as`).fill(`${name}-copy`);
      await profile.getByRole("button", { name: "Load" }).click();
      await expect(row(page, `${name}-copy`)).toBeVisible();
      await expect(row(page, `${name}-copy`).getByTestId("loss-ch0")).toBeVisible(); // its channel came back
      await destroyFromList(page, `${name}-copy`);

      await startStop(page, name);
      const r = row(page, name);
      await r.getByRole("button", { name: "Rotate" }).click();
      await expect(page.getByTestId(`outcome-${name}`).getByTestId("archive-path")).toContainText(`/${name}/archives/`, { timeout: 30_000 });
      await expect(r.getByTestId("loss-ch0")).toContainText("ch0: 0 / 0");
      await page.screenshot({ path: "test-results/sessions-list.png", fullPage: true });
      await destroyFromList(page, name);
    } finally {
      await trpcCall(page, "workload.stop", { id: demo }).catch(() => undefined);
      await destroySessions(page, [name, `${name}-copy`]);
    }
  });

  test("a second Save profile asks before overwriting; Clear asks before deleting recorded data", async ({ page }) => {
    const name = `${RUN}-guard`;
    try {
      await trpcCall(page, "sessions.create", { mode: "local", name });
      await trpcCall(page, "sessions.enableEvent", { session: name, domain: "userspace", names: ["tracedeck_demo:*"] });
      await page.goto(`/sessions/${name}`);
      const bar = page.getByRole("toolbar", { name: "Session actions" });
      await bar.getByRole("button", { name: "Save profile" }).click();
      await expect(page.getByTestId("profile-path")).toContainText(`${name}.lttng`);
      await bar.getByRole("button", { name: "Save profile" }).click();
      const overwrite = page.getByRole("group", { name: "Confirm overwrite" });
      await expect(overwrite).toContainText(`A profile named ${name} already exists`);
      await overwrite.getByRole("button", { name: "Overwrite profile" }).click();
      await expect(overwrite).toHaveCount(0);
      await expect(page.getByTestId("session-outcome")).toHaveAttribute("data-state", "ok");
      await expect(page.getByTestId("profile-path")).toContainText(`${name}.lttng`);

      await bar.getByRole("button", { name: "Clear" }).click();
      const clear = page.getByRole("group", { name: "Confirm clear" });
      await expect(clear).toContainText(`Clear ${name}? This deletes the trace data it recorded so far`);
      await clear.getByRole("button", { name: "Cancel" }).click();
      await expect(clear).toHaveCount(0);
      await bar.getByRole("button", { name: "Clear" }).click();
      await clear.getByRole("button", { name: "Confirm clear" }).click();
      await expect(page.getByTestId("session-outcome")).toContainText("Buffers and trace data cleared.");
    } finally {
      await destroySessions(page, [name]);
    }
  });

  test("local session with a rotation schedule: the badge shows it, rotate, destroy", async ({ page }) => {
    const name = `${RUN}-rot`;
    try {
      await fillWizard(page, { mode: /^Local \+ rotation/, name, rotTimer: "30s", events: ["tracedeck_demo:*"] });
      await expect(page.getByTestId("equivalent-commands")).toContainText(`lttng enable-rotation --session=${name} --timer=30000000`);
      await page.getByRole("button", { name: "Create session" }).click();
      await expect(page.getByTestId("wizard-done")).toBeVisible({ timeout: 30_000 });
      await page.goto("/sessions");
      await expect(row(page, name)).toContainText("rotation · every 30 s");
      await startStop(page, name);
      await row(page, name).getByRole("button", { name: "Rotate" }).click();
      await expect(page.getByTestId(`outcome-${name}`).getByTestId("archive-path")).toContainText("/archives/", { timeout: 30_000 });
      await destroyFromList(page, name);
    } finally {
      await destroySessions(page, [name]);
    }
  });

  test("streaming session to the relay: start, stop, rotate, destroy", async ({ page }) => {
    const name = `${RUN}-stream`;
    try {
      await createWithWizard(page, { mode: /^Streaming/, name, events: ["tracedeck_demo:*"] });
      await page.goto("/sessions");
      await expect(row(page, name)).toContainText("streaming");
      await startStop(page, name);
      await row(page, name).getByRole("button", { name: "Rotate" }).click();
      await expect(page.getByTestId(`outcome-${name}`).getByTestId("archive-path")).toContainText(name, { timeout: 30_000 });
      await destroyFromList(page, name);
    } finally {
      await destroySessions(page, [name]);
      await removeRelayOutput(page, [name]);
    }
  });

  test("live session: rotation disabled with the reason, start, stop, destroy", async ({ page }) => {
    const name = `${RUN}-live`;
    try {
      await createWithWizard(page, { mode: /^Live/, name, events: ["tracedeck_demo:*"] });
      await page.goto("/sessions");
      await expect(row(page, name)).toContainText("live");
      const rotate = row(page, name).getByRole("button", { name: "Rotate" });
      await expect(rotate).toBeDisabled();
      await expect(rotate).toHaveAttribute("title", "Rotation is not available for live sessions.");
      await startStop(page, name);
      await destroyFromList(page, name);
    } finally {
      await destroySessions(page, [name]);
      await removeRelayOutput(page, [name]);
    }
  });

  test("snapshot session: snapshot refused before start with the reason, start, record a snapshot (directory shown), stop, destroy", async ({ page }) => {
    const name = `${RUN}-snap`;
    const demo = await startDemo(page);
    try {
      await createWithWizard(page, { mode: /^Snapshot/, name, events: ["tracedeck_demo:*"] });
      await page.goto("/sessions");
      const r = row(page, name);
      const snap = r.getByRole("button", { name: "Snapshot" });
      await expect(snap).toBeDisabled();
      await expect(snap).toHaveAttribute("title", "Start the session first: its ring buffers are empty.");
      await r.getByRole("button", { name: "Start" }).click();
      await expect(r).toHaveAttribute("data-active", "true");
      await snap.click();
      const path = page.getByTestId(`outcome-${name}`).getByTestId("snapshot-path");
      await expect(path).toContainText(`/${name}/snap-`, { timeout: 30_000 });
      await r.getByRole("button", { name: "Stop" }).click();
      await expect(r).toHaveAttribute("data-active", "false", { timeout: 30_000 });
      await destroyFromList(page, name);
    } finally {
      await trpcCall(page, "workload.stop", { id: demo }).catch(() => undefined);
      await destroySessions(page, [name]);
    }
  });

  test("bad inputs in the wizard each show a clear message and create nothing", async ({ page }) => {
    const names = [`${RUN}-badsize`, `${RUN}-badfilter`, `${RUN}-norelay`, `${RUN}-kernel`];
    try {
      // A name with '/': flagged as typed, listed at review, and nothing can be created.
      await fillWizard(page, { mode: /^Local disk/, name: `${RUN}/slash` });
      await expect(page.getByTestId("wizard-issues")).toContainText("create.name: No '/' or control characters");
      await expect(page.getByRole("button", { name: "Create session" })).toBeDisabled();
      await page.getByRole("button", { name: /Mode/ }).click();
      await expect(page.getByText("No '/' or control characters; must not start with '-', '.' or a space")).toBeVisible();

      // A size of 12Q.
      await fillWizard(page, { mode: /^Local disk/, name: names[0]! });
      await page.getByRole("button", { name: /Channels/ }).click();
      await page.getByLabel("Sub-buffer size").fill("12Q");
      await expect(page.getByText("A size such as 4096, 4k, 1M or 2G")).toBeVisible();
      await page.getByRole("button", { name: /Review/ }).click();
      await expect(page.getByTestId("wizard-issues")).toContainText("channels.0.subbufSize: A size such as 4096, 4k, 1M or 2G");
      await expect(page.getByRole("button", { name: "Create session" })).toBeDisabled();

      // A filter LTTng's grammar refuses: the caret points at the problem.
      await fillWizard(page, { mode: /^Local disk/, name: names[1]!, events: ["tracedeck_demo:request_end"] });
      await page.getByRole("button", { name: /Events/ }).click();
      await page.getByLabel("Filter (optional)").fill("latency_ns > && status == 503");
      await expect(page.getByText(/Invalid filter at character 14/)).toBeVisible();
      await page.getByRole("button", { name: /Review/ }).click();
      await expect(page.getByTestId("wizard-issues")).toContainText("events.0.filter: Invalid filter at character 14");
      await expect(page.getByRole("button", { name: "Create session" })).toBeDisabled();

      // A relay that is down: LTTng is not even asked to create; the message names the endpoint.
      await fillWizard(page, { mode: /^Streaming/, name: names[2]!, url: "net://127.0.0.1:5990:5991", events: ["tracedeck_demo:*"] });
      await expect(page.getByTestId("equivalent-commands")).toContainText("--set-url=net://127.0.0.1:5990:5991");
      await page.getByRole("button", { name: "Create session" }).click();
      await expect(page.getByTestId("wizard-error")).toContainText("No relay daemon answers on 127.0.0.1:5990", { timeout: 30_000 });
      await page.getByRole("button", { name: /Mode/ }).click();
      await expect(page.getByText(/No relay daemon answers on 127\.0\.0\.1:5990/).first()).toBeVisible();

      // A part LTTng refuses after the session was created (no kernel tracer here): the session is destroyed again.
      await fillWizard(page, { mode: /^Local disk/, name: names[3]! });
      await page.getByRole("button", { name: /Channels/ }).click();
      await page.getByLabel("Domain").selectOption("kernel");
      await page.getByRole("button", { name: /Review/ }).click();
      await expect(page.getByTestId("equivalent-commands")).toContainText(`lttng enable-channel --session=${names[3]} -k ch0`);
      await page.getByRole("button", { name: "Create session" }).click();
      await expect(page.getByTestId("wizard-error")).toContainText("Kernel tracer not available", { timeout: 30_000 });
      await expect(page.getByTestId("wizard-error")).toContainText("channels.0");

      const existing = await sessionNames(page);
      for (const n of [...names, `${RUN}/slash`]) expect(existing).not.toContain(n);
    } finally {
      await destroySessions(page, names);
    }
  });

  test("session page editors: event rules (bad filter refused at the field, add, disable), snapshot output, triggers, rotation schedule", async ({ page }) => {
    const snap = `${RUN}-edit-snap`;
    const local = `${RUN}-edit-local`;
    const trigger = `${RUN}-trig`;
    try {
      await trpcCall(page, "sessions.setup", {
        create: { mode: "snapshot", name: snap },
        events: [{ session: snap, domain: "userspace", names: ["tracedeck_demo:*"] }],
      });
      await trpcCall(page, "sessions.setup", {
        create: { mode: "local", name: local },
        events: [{ session: local, domain: "userspace", names: ["tracedeck_demo:*"] }],
      });
      await trpcCall(page, "triggers.add", {
        name: trigger,
        ruleType: "user",
        pattern: "tracedeck_demo:request_end",
        filter: "latency_ns > 50000000",
        actions: [{ type: "snapshot-session", session: snap }],
      });

      await page.goto(`/sessions/${snap}`);
      const form = page.getByRole("form", { name: "Add an event rule" });
      await form.getByLabel("Event names").fill("tracedeck_demo:request_end");
      await form.getByLabel("Filter (optional)").fill("latency_ns >");
      await expect(form.getByText(/Invalid filter at character \d+/).first()).toBeVisible();
      await form.getByLabel("Filter (optional)").fill("latency_ns > 50000000");
      await form.getByRole("button", { name: "Enable event rule" }).click();
      await expect(page.getByTestId("session-outcome")).toContainText("Event rule tracedeck_demo:request_end enabled.");
      await expect(page.getByTestId("rule-tracedeck_demo:request_end")).toContainText("latency_ns > 50000000");
      await page.getByTestId("rule-tracedeck_demo:*").getByRole("button", { name: "Disable" }).click();
      await expect(page.getByTestId("rule-tracedeck_demo:*")).toContainText("disabled");

      // The trigger that snapshots this session is listed with it.
      await expect(page.getByTestId("session-triggers")).toContainText(trigger);
      await expect(page.getByTestId("session-triggers")).toContainText(`snapshot-session ${snap}`);

      // Snapshot output: delete it, and recording a snapshot is refused with the reason; add another.
      await page.getByTestId("snapshot-outputs").getByRole("button", { name: "Delete" }).click();
      await expect(page.getByText("No snapshot output: snapshots cannot be recorded.")).toBeVisible();
      await expect(page.getByTestId("refused-actions")).toContainText("Record snapshot: The session has no snapshot output; add one first.");
      await page.getByLabel("Output directory").fill(`${snap}-out`);
      await page.getByRole("button", { name: "Add output" }).click();
      await expect(page.getByTestId("snapshot-outputs")).toContainText(`/${snap}-out`);
      await page.screenshot({ path: "test-results/sessions-detail-snapshot.png", fullPage: true });

      // Rotation schedule editor on a local session.
      await page.goto(`/sessions/${local}`);
      await page.getByLabel("Rotate every").fill("1m");
      await page.getByRole("button", { name: "Set schedule" }).click();
      await expect(page.getByTestId("rotation-schedule")).toContainText("Rotates every 1 min");
      await page.getByRole("button", { name: "Remove schedule" }).click();
      await expect(page.getByTestId("rotation-schedule")).toContainText("No automatic rotation.");

      // Destroy from the session page, with confirmation.
      await page.getByRole("toolbar", { name: "Session actions" }).getByRole("button", { name: "Destroy" }).click();
      await page.getByRole("button", { name: "Confirm destroy" }).click();
      // Back on the list, which says so (issue 11, item 1).
      await expect(page.getByTestId("destroyed-outcome")).toHaveText(`Session ${local} destroyed.`);
      expect(await sessionNames(page)).not.toContain(local);
    } finally {
      await trpcCall(page, "triggers.remove", { name: trigger }).catch(() => undefined);
      await destroySessions(page, [snap, local]);
    }
  });

  test("a viewer sees sessions and their state but gets no action", async ({ page, browser }) => {
    const name = `${RUN}-viewed`;
    const viewer = `viewer-${RUN}`;
    try {
      await trpcCall(page, "sessions.setup", {
        create: { mode: "local", name },
        events: [{ session: name, domain: "userspace", names: ["tracedeck_demo:*"] }],
      });
      await trpcCall(page, "auth.createUser", { username: viewer, password: "viewer-password", role: "viewer" });
      const ctx = await browser.newContext();
      try {
        const v = await ctx.newPage();
        await v.goto("/login");
        await v.getByLabel("User name").fill(viewer);
        await v.getByLabel("Password").fill("viewer-password");
        await v.getByRole("button", { name: "Log in" }).click();
        await expect(v.getByTestId("current-user")).toContainText(`${viewer} · viewer`);
        await v.goto("/sessions");
        await expect(v.getByTestId(`session-${name}`)).toContainText("local");
        await expect(v.getByTestId(`session-${name}`).getByRole("button")).toHaveCount(0);
        await expect(v.getByRole("link", { name: "New session" })).toHaveCount(0);
        await v.goto(`/sessions/${name}`);
        await expect(v.getByTestId("channel-channel0")).toBeVisible();
        await expect(v.getByRole("toolbar", { name: "Session actions" })).toHaveCount(0);
        await expect(v.getByRole("form", { name: "Add an event rule" })).toHaveCount(0);
        await v.goto("/sessions/new");
        await expect(v).toHaveURL(/\/sessions$/);
      } finally {
        await ctx.close();
      }
    } finally {
      await destroySessions(page, [name]);
    }
  });

  test("available events browser: user-space processes with fields, and LTTng's answer for the kernel", async ({ page }) => {
    const demo = await startDemo(page);
    try {
      await page.goto("/sessions/available");
      const browser = page.getByTestId("available-events");
      await expect(browser).toContainText("tracedeck_demo:request_end", { timeout: 20_000 });
      await expect(browser).toContainText("latency_ns");
      await page.getByRole("tab", { name: "Kernel" }).click();
      await expect(page.getByTestId("available-error")).toContainText("Kernel tracer not available");
    } finally {
      await trpcCall(page, "workload.stop", { id: demo }).catch(() => undefined);
    }
  });
});
