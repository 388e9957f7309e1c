/**
 * Issue 11: what a new user tripped on, walked again in real Chromium against the real server
 * and the shared root session daemon (sessions named per run, destroyed after).
 */
import { expect, test } from "@playwright/test";
import { destroySessions, loginAsAdmin, sessionNames, trpcCall } from "./helpers";

const RUN = `e2e-ux-${Math.random().toString(36).slice(2, 8)}`;

test.beforeEach(async ({ page }) => {
  await loginAsAdmin(page);
});

test("item 1: destroy on the session page returns to the list with the confirmation; a gone session says so once and stops polling", async ({ page }) => {
  const name = `${RUN}-gone`;
  try {
    await trpcCall(page, "sessions.setup", { create: { mode: "local", name }, events: [{ session: name, domain: "userspace", names: ["tracedeck_demo:*"] }] });
    await page.goto(`/sessions/${name}`);
    await page.getByRole("toolbar", { name: "Session actions" }).getByRole("button", { name: "Destroy" }).click();
    await page.getByRole("button", { name: "Confirm destroy" }).click();
    await expect(page).toHaveURL(new RegExp(`/sessions\\?destroyed=${name}$`));
    await expect(page.getByTestId("destroyed-outcome")).toHaveText(`Session ${name} destroyed.`);
    await expect(page.getByText("Session name not found")).toHaveCount(0);
    expect(await sessionNames(page)).not.toContain(name);

    // The page of a session that no longer exists: one sentence, then no more requests for it.
    const asked: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("sessions.get")) asked.push(r.url());
    });
    await page.goto(`/sessions/${name}`);
    await expect(page.getByTestId("session-gone")).toHaveText(`There is no recording session named ${name}: it was destroyed, or never existed.`);
    await expect(page.locator("main").getByRole("alert")).toHaveCount(1);
    const afterFirst = asked.length;
    await page.waitForTimeout(5_000); // more than two polling periods
    expect(asked.length).toBe(afterFirst);
  } finally {
    await destroySessions(page, [name]);
  }
});

test("item 2: enabling a rule with a session's only channel preselected; with several channels and no channel0, a sentence before sending", async ({
  page,
}) => {
  const one = `${RUN}-onech`;
  const two = `${RUN}-twoch`;
  try {
    await trpcCall(page, "sessions.setup", { create: { mode: "local", name: one }, channels: [{ session: one, domain: "userspace", name: "ch0" }] });
    await trpcCall(page, "sessions.setup", {
      create: { mode: "local", name: two },
      channels: [
        { session: two, domain: "userspace", name: "fast" },
        { session: two, domain: "userspace", name: "slow" },
      ],
    });

    await page.goto(`/sessions/${one}`);
    const form = page.getByRole("form", { name: "Add an event rule" });
    await expect(form.getByLabel("Event channel")).toHaveValue("ch0");
    await form.getByLabel("Event names").fill("tracedeck_demo:request_end");
    await form.getByRole("button", { name: "Enable event rule" }).click();
    await expect(page.getByTestId("session-outcome")).toContainText("Event rule tracedeck_demo:request_end enabled.");
    await expect(page.getByTestId("rule-tracedeck_demo:request_end")).toContainText("ch0");

    await page.goto(`/sessions/${two}`);
    const form2 = page.getByRole("form", { name: "Add an event rule" });
    await form2.getByLabel("Event names").fill("tracedeck_demo:request_end");
    await expect(
      form2.getByText("Choose the channel: this session's user space channels are fast, slow, and LTTng has no default channel (channel0) here."),
    ).toBeVisible();
    await expect(form2.getByRole("button", { name: "Enable event rule" })).toBeDisabled();
    await form2.getByLabel("Event channel").selectOption("slow");
    await form2.getByRole("button", { name: "Enable event rule" }).click();
    await expect(page.getByTestId("rule-tracedeck_demo:request_end")).toContainText("slow");
  } finally {
    await destroySessions(page, [one, two]);
  }
});

test("items 3, 4, 5: the wizard offers per domain only the contexts LTTng takes, stops at a step with a problem (one message), and says where a snapshot session writes", async ({
  page,
}) => {
  const name = `${RUN}-wz`;
  try {
    await page.goto("/sessions/new");
    // Item 4: Next with no name stays on the step and says it once.
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByRole("region", { name: "Mode and output" })).toBeVisible();
    await expect(page.getByText("A name is required")).toHaveCount(1);
    await expect(page.getByText(/No '\/' or control characters/)).toHaveCount(0);
    await expect(page.getByTestId("wizard-blocked")).toHaveText("Fix the marked field before going on.");
    // Item 5: the live timer's label and placeholder agree with LTTng's default.
    await page.getByRole("radio", { name: /^Live/ }).check();
    await expect(page.getByLabel(/Live timer/)).toHaveAttribute("placeholder", "1s");
    await expect(page.getByText("Live timer (empty: LTTng's default, 1s)")).toBeVisible();

    await page.getByRole("radio", { name: /^Snapshot/ }).check();
    await page.getByLabel("Session name").fill(name);
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByRole("region", { name: "Channels" })).toBeVisible();
    // A bad size blocks Next on this step too.
    await page.getByLabel("Sub-buffer size").fill("12Q");
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByRole("region", { name: "Channels" })).toBeVisible();
    await page.getByLabel("Sub-buffer size").fill("");
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel(/Type an event name/).fill("tracedeck_demo:*");
    await page.getByRole("button", { name: "Add rule" }).click();
    await page.getByRole("button", { name: "Next" }).click();

    // Item 3: user space offers no kernel-only context; the kernel does; Python is not offered.
    await page.getByRole("button", { name: "Add contexts" }).click();
    const types = page.getByTestId("ctx-0-types");
    for (const t of ["vpid", "vtid", "procname", "pthread_id", "ip"]) await expect(types.getByLabel(t, { exact: true })).toBeVisible();
    for (const t of ["prio", "hostname", "pid", "tid", "nice"]) await expect(types.getByLabel(t, { exact: true })).toHaveCount(0);
    await expect(page.locator("#ctx-0-domain option")).toHaveText(["User space", "Kernel", "JUL", "log4j"]);
    await page.locator("#ctx-0-domain").selectOption("kernel");
    await expect(types.getByLabel("prio", { exact: true })).toBeVisible();
    await expect(types.getByLabel("pthread_id", { exact: true })).toHaveCount(0);
    await page.locator("#ctx-0-domain").selectOption("userspace");
    await types.getByLabel("vpid", { exact: true }).check();

    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByTestId("equivalent-commands")).toContainText(`lttng add-context --session=${name} -u --type=vpid`);
    await page.getByRole("button", { name: "Create session" }).click();
    // Item 5: the creation log says where snapshots go, as the lists do.
    const done = page.getByTestId("wizard-done");
    await expect(done).toContainText(`Session ${name} created (snapshots → /`, { timeout: 30_000 });
    await expect(done).not.toContainText("no output");
    const output = (await done.locator("li").first().innerText()).match(/snapshots → (\S+)\)/)![1]!;
    await page.goto("/sessions");
    await expect(page.getByTestId(`session-${name}`)).toContainText(`snapshots → ${output}`);
    await page.goto("/");
    await expect(page.getByTestId(`overview-${name}`)).toContainText(`snapshots → ${output}`);
    await page.goto(`/sessions/${name}`);
    await expect(page.getByTestId("session-output")).toHaveText(`snapshots → ${output}`);
  } finally {
    await destroySessions(page, [name]);
  }
});

test("items 7, 8: the sample kernel trace is offered and analysed; a path outside the roots says how to go on, and the message goes when the path is cleared", async ({
  page,
}) => {
  await page.goto("/analyze");
  await expect(page.getByLabel("Analysis", { exact: true })).toBeEnabled();
  await page.locator("#trace-path").fill("../lttng-mi");
  const check = page.getByTestId("trace-path-check");
  await expect(check).toContainText("outside the trace directories this server may open: the configured roots are ");
  await expect(check).toContainText("add their directory to TRACEDECK_TRACE_ROOTS (colon-separated) and restart the server.");
  await page.getByLabel("Analysis", { exact: true }).selectOption("cputop");
  await page.getByRole("button", { name: "Run analysis" }).click();
  await expect(page.getByTestId("analysis-error")).toContainText("TRACEDECK_TRACE_ROOTS");
  await page.locator("#trace-path").fill("");
  await expect(page.getByTestId("analysis-error")).toHaveCount(0);
  await expect(check).toBeEmpty();

  const option = page.locator("#trace-select option", { hasText: "sample kernel trace" });
  await expect(option).toHaveCount(1);
  await page.getByRole("button", { name: "Use the sample kernel trace" }).click();
  await expect(page.locator("#trace-path")).toHaveValue(/\/samples\/traces\/sample-kernel-trace$/);
  await page.getByLabel("Analysis", { exact: true }).selectOption("iolatencytop");
  await page.getByRole("button", { name: "Run analysis" }).click();
  await expect(page.getByTestId("result-summary")).toContainText("240,644 events", { timeout: 60_000 });
});

test("item 9: frequency histograms on a log count axis and log duration buckets, counts kept", async ({ page }) => {
  await page.goto("/analyze?trace=tc-many-threads&analysis=iolatencyfreq");
  await expect(page.locator("#trace-select option", { hasText: "tc-many-threads" })).toHaveCount(1);
  await page.getByRole("button", { name: "Run analysis" }).click();
  const section = page
    .getByTestId("result-table")
    .filter({ has: page.getByTestId("freq-chart") })
    .first();
  const chart = section.getByTestId("freq-chart");
  await expect(chart).toHaveAttribute("data-buckets", "20", { timeout: 60_000 });
  const bars = () => chart.locator(".recharts-bar-rectangle path").evaluateAll((ps) => ps.map((p) => (p as SVGGraphicsElement).getBBox().height));
  const linear = await bars();
  await section.getByLabel("Log count axis").check();
  await expect(chart).toHaveAttribute("data-log-y", "true");
  // On a log axis a small bucket is no longer flattened beside the tallest.
  await expect
    .poll(async () => {
      const log = await bars();
      const smallest = (xs: number[]) => Math.min(...xs.filter((h) => h > 0));
      return log.length > 0 && smallest(log) / Math.max(...log) > smallest(linear) / Math.max(...linear);
    })
    .toBe(true);
  await section.getByLabel("Log duration buckets").check();
  await expect(chart).toHaveAttribute("data-log-x", "true");
  const buckets = Number(await chart.getAttribute("data-buckets"));
  expect(buckets).toBeGreaterThan(1);
  expect(buckets).toBeLessThan(20);
  await chart.screenshot({ path: test.info().outputPath("freq-log.png") });
});

test("item 12: operators disable, re-enable, demote and delete users, never the last operator; the audit log shows sentences with the JSON behind a toggle", async ({
  page,
}) => {
  const user = `u-${RUN}`;
  await trpcCall(page, "auth.createUser", { username: user, password: "user-password", role: "viewer" });
  // A refused input: the audit log records it.
  await trpcCall(page, "auth.createUser", { username: "bad name", password: "x", role: "viewer" }).catch(() => undefined);
  await page.goto("/settings");
  const row = page.getByTestId(`user-${user}`);
  await row.getByRole("button", { name: "Make operator" }).click();
  await expect(row).toContainText("operator");
  await row.getByRole("button", { name: "Disable" }).click();
  await expect(row).toContainText("disabled");
  await expect(page.getByTestId("user-outcome")).toHaveText(`${user} is disabled and logged out.`);
  await row.getByRole("button", { name: "Enable" }).click();
  await expect(row).toContainText("enabled");
  await row.getByRole("button", { name: "Make viewer" }).click();
  await expect(row.locator("td").nth(1)).toHaveText("viewer");
  // The last enabled operator stays one.
  await page.getByTestId("user-admin").getByRole("button", { name: "Make viewer" }).click();
  await expect(page.getByTestId("user-outcome")).toHaveText(
    "admin is the only enabled operator and cannot be made a viewer: make another user an operator first.",
  );
  await row.getByRole("button", { name: "Delete" }).click();
  await row.getByRole("button", { name: "Confirm delete" }).click();
  await expect(page.getByTestId(`user-${user}`)).toHaveCount(0);

  const refused = page.getByTestId("audit-log").locator("tr[data-action='auth.createUser']").filter({ hasText: "bad name" }).first();
  const result = refused.getByTestId("audit-result");
  await expect(result).toContainText("Invalid input: username: Letters, digits, '.', '_' and '-' only; password: At least 8 characters.");
  await expect(result.locator("pre")).toBeHidden();
  await result.getByText("Details (JSON)").click();
  await expect(result.locator("pre")).toContainText('"message": "At least 8 characters."');
  await expect(page.getByTestId("audit-log").locator("tr[data-action='auth.setUserRole']").first()).toContainText("admin is the only enabled operator");
});

test("item 13: favicon, long Timeline lines wrap inside their box, the Overview's tracepoints stay in their card", async ({ page, request }) => {
  const ico = await request.get("/favicon.ico");
  expect(ico.status()).toBe(200);
  expect(ico.headers()["content-type"]).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
  await page.goto("/");
  await expect(page.locator("link[rel=icon]").first()).toHaveAttribute("href", /icon/);

  // tc-many-threads' sched_switch lines are longer than the box: they wrap, nothing is cut off.
  await page.goto("/timeline?trace=tc-many-threads");
  const box = page.getByTestId("range-events");
  await expect(box.locator("[data-index]").first()).toBeVisible({ timeout: 60_000 });
  const fits = await box.evaluate((el) => {
    const rows = [...el.querySelectorAll<HTMLElement>("[data-index]")];
    return {
      scrollX: el.scrollWidth - el.clientWidth,
      wrapped: rows.some((r) => r.offsetHeight > 25),
      overflow: rows.filter((r) => r.scrollWidth > r.clientWidth + 1).length,
    };
  });
  expect(fits).toEqual({ scrollX: 0, wrapped: true, overflow: 0 });

  // The demo registers its tracepoints: their list stays inside the card.
  const demo = await trpcCall<{ id: number }>(page, "workload.start", { rate: 50, threads: 1, duration: 60 });
  try {
    await page.goto("/");
    const apps = page.getByRole("region", { name: "Instrumented applications" });
    const list = apps.getByTestId("app-tracepoints").first();
    await expect(list).toContainText("tracedeck_demo:request_end", { timeout: 20_000 });
    const [card, tp] = await Promise.all([apps.boundingBox(), list.boundingBox()]);
    expect(tp!.x + tp!.width).toBeLessThanOrEqual(card!.x + card!.width);
  } finally {
    await trpcCall(page, "workload.stop", { id: demo.id }).catch(() => undefined);
  }
});

test("item 6: triggers are created on the session page with the wizard's checks and command preview, and removed", async ({ page }) => {
  const name = `${RUN}-trg`;
  const snapTrigger = `${name}-trigger`;
  const notifyTrigger = `${name}-notify`;
  try {
    await trpcCall(page, "sessions.setup", {
      create: { mode: "snapshot", name },
      events: [{ session: name, domain: "userspace", names: ["tracedeck_demo:*"] }],
    });
    await page.goto(`/sessions/${name}`);
    const form = page.getByRole("form", { name: "Add a trigger" });
    await expect(form.getByLabel("Trigger name")).toHaveValue(snapTrigger);
    // Guards: what this session cannot do is offered disabled, with the reason.
    await expect(form.locator("#trg-action option[value=rotate-session]")).toBeDisabled();
    await expect(form.locator("#trg-action option[value=rotate-session]")).toContainText("Rotation is not available for snapshot sessions.");
    await expect(form.getByLabel("then")).toHaveValue("snapshot-session");

    await form.getByLabel("matches (name or pattern)").fill("tracedeck_demo:request_end");
    // A bad filter is refused at the field, and nothing can be added.
    await form.getByLabel("Filter (optional)").fill("latency_ns >");
    await expect(form.getByText(/Invalid filter at character \d+/).first()).toBeVisible();
    await expect(form.getByRole("button", { name: "Add trigger" })).toBeDisabled();
    await form.getByLabel("Filter (optional)").fill("latency_ns > 50000000");
    await form.getByLabel("Rate").selectOption("once-after");
    await form.getByLabel("N", { exact: true }).fill("2");
    await expect(form.getByTestId("trigger-command")).toHaveText(
      `$ lttng add-trigger --name=${snapTrigger} --condition=event-rule-matches --type=user --name=tracedeck_demo:request_end --filter='latency_ns > 50000000' --action=snapshot-session ${name} --rate-policy=once-after:2`,
    );
    await form.getByRole("button", { name: "Add trigger" }).click();
    await expect(page.getByTestId("trigger-outcome")).toHaveText(`Trigger ${snapTrigger} added.`);
    const row = page.getByTestId(`trigger-${snapTrigger}`);
    await expect(row).toContainText(`snapshot-session ${name} (once after 2)`);
    await expect(row).toContainText("user tracedeck_demo:request_end if latency_ns > 50000000");
    // The same name again: LTTng's answer, shown.
    await form.getByRole("button", { name: "Add trigger" }).click();
    await expect(form.getByTestId("trigger-error")).toContainText("already");

    // A notify trigger with captures: it acts on no session, and is listed as such.
    await form.getByLabel("Trigger name").fill(notifyTrigger);
    await form.getByLabel("then").selectOption("notify");
    await form.getByLabel(/Capture/).fill("id, latency_ns, $ctx.vpid");
    await expect(form.getByTestId("trigger-command")).toContainText(
      "--capture=id --capture=latency_ns --capture='$ctx.vpid' --action=notify --rate-policy=once-after:2",
    );
    await form.getByRole("button", { name: "Add trigger" }).click();
    await expect(page.getByTestId("notify-triggers").getByTestId(`trigger-${notifyTrigger}`)).toContainText("notify");

    await row.getByRole("button", { name: "Remove" }).click();
    await expect(page.getByTestId("trigger-outcome")).toHaveText(`Trigger ${snapTrigger} removed.`);
    await expect(page.getByTestId(`trigger-${snapTrigger}`)).toHaveCount(0);
    await page.getByTestId(`trigger-${notifyTrigger}`).getByRole("button", { name: "Remove" }).click();
    await expect(page.getByTestId(`trigger-${notifyTrigger}`)).toHaveCount(0);
  } finally {
    for (const t of [snapTrigger, notifyTrigger]) await trpcCall(page, "triggers.remove", { name: t }).catch(() => undefined);
    await destroySessions(page, [name]);
  }
});

test("item 14: with no latency source, the Spikes page says where to define one; once one exists, the rule form offers it", async ({ page }) => {
  // Every test removes the latency sources it defines, and a run starts from a fresh database.
  expect(await trpcCall<unknown[]>(page, "spikeRules.sources", undefined, "query")).toEqual([]);
  await page.goto("/spikes");
  const hint = page.getByTestId("no-latency-source");
  await expect(hint).toHaveText("A rule watches a latency source, and none is defined yet: define one on the Timeline (New source), then choose it here.");
  await hint.getByRole("link", { name: "Timeline" }).click();
  await expect(page).toHaveURL(/\/timeline/);
  await expect(page.getByRole("button", { name: "New source" })).toBeVisible();
  const { id } = await trpcCall<{ id: number }>(page, "spikes.sources.upsert", {
    name: `${RUN}-src`,
    sessionName: null,
    definition: { kind: "field", event: "tracedeck_demo:request_end", field: "latency_ns", unit: "ns" },
  });
  try {
    await page.goto("/spikes");
    const form = page.getByRole("form", { name: "Add a spike rule" });
    await expect(form.getByLabel("Source").locator(`option[value="${id}"]`)).toHaveCount(1);
    await expect(hint).toHaveCount(0);
  } finally {
    await trpcCall(page, "spikes.sources.remove", { id });
  }
});

test("item 15: the rule form offers this host's snapshot sessions and every kind of rule; a rule's session problems show beside it, and it can be edited", async ({
  page,
}) => {
  const snap = `${RUN}-snap`;
  const { id: sourceId } = await trpcCall<{ id: number }>(page, "spikes.sources.upsert", {
    name: `${RUN}-src15`,
    sessionName: null,
    definition: { kind: "field", event: "tracedeck_demo:request_end", field: "latency_ns", unit: "ns" },
  });
  await trpcCall(page, "sessions.create", { mode: "snapshot", name: snap });
  await trpcCall(page, "sessions.enableEvent", { session: snap, domain: "userspace", names: ["tracedeck_demo:*"] });
  const rule = `${RUN}-rule`.slice(0, 48);
  try {
    // The form's "New snapshot session" link opens the wizard with that mode chosen.
    await page.goto("/sessions/new?mode=snapshot");
    await expect(page.locator('input[name="mode"][value="snapshot"]')).toBeChecked();
    await page.goto("/spikes");
    const form = page.getByRole("form", { name: "Add a spike rule" });
    await expect(form.locator(`datalist option[value="${snap}"]`)).toHaveCount(1);
    await form.getByLabel("Name").fill(rule);
    await form.getByLabel("Source").selectOption(String(sourceId));
    // A relative threshold, and a session that does not exist (yet): saved, and said.
    await form.getByLabel("Threshold").selectOption("p99");
    await form.getByLabel("Factor").fill("4");
    await form.getByLabel("p99 of the last (min)").fill("15");
    await form.getByLabel("Snapshot session").fill(`${snap}-x`);
    await form.getByRole("button", { name: "Add rule" }).click();
    const row = page.locator(`tr[data-rule="${rule}"]`);
    await expect(row).toContainText("> 4× p99 (15 min)");
    await expect(row.getByTestId("rule-problem")).toHaveText([
      `⚠ No session ${snap}-x on this host: a spike's snapshot would fail until it is created in snapshot mode.`,
    ]);

    // The trigger path takes a constant threshold and a filter; the form asks only for those.
    await row.getByRole("button", { name: "Edit" }).click();
    const edit = page.getByRole("form", { name: `Edit the spike rule ${rule}` });
    await expect(edit.getByLabel("Factor")).toHaveValue("4");
    await edit.getByLabel("Detection").selectOption("trigger");
    await expect(edit.getByLabel("Factor")).toHaveCount(0);
    await edit.getByLabel("Latency over").fill("80ms");
    await edit.getByLabel("Trigger filter (optional)").fill("status == 503");
    await edit.getByLabel("Snapshot session").fill(snap);
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(edit).toHaveCount(0);
    await expect(row).toContainText("> 80.000 ms");
    await expect(row).toContainText("LTTng trigger");
    await expect(row.getByTestId("rule-problem")).toHaveText([`⚠ ${snap} is not recording: a snapshot would not hold the spike.`]);
    await trpcCall(page, "sessions.start", { name: snap });
    // The list is read again every 5 s.
    await expect(row.getByTestId("rule-problem")).toHaveCount(0, { timeout: 15_000 });
  } finally {
    const rules = await trpcCall<Array<{ id: number; name: string }>>(page, "spikeRules.list", undefined, "query");
    for (const r of rules.filter((x) => x.name === rule)) await trpcCall(page, "spikeRules.remove", { id: r.id });
    await trpcCall(page, "spikes.sources.remove", { id: sourceId });
    await destroySessions(page, [snap]);
  }
});
