/**
 * Issue 11: editing a session as a new user does. Item 3: the context types offered per
 * domain are the ones LTTng 2.13 accepts there (the user-space list checked against the real
 * root session daemon; the schema refuses the rest before LTTng is asked). Item 2: a rule
 * without a channel in a session without channel0 gets a sentence naming the channels.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureSessiond } from "../testing/record";
import { LttngController } from "./controller";
import { LttngRunner } from "./runner";
import { LttngError } from "./errors";
import { CONTEXT_TYPES, CONTEXT_TYPES_BY_DOMAIN, ZAddContext, readableIssues } from "./schemas";
import { uniqueName } from "./testing";

describe("context types per domain (schema)", () => {
  it("refuses, for user space, the kernel-only types LTTng rejects after the session exists", () => {
    for (const t of ["prio", "hostname", "pid", "tid", "nice", "callstack-user", "uid"]) {
      const r = ZAddContext.safeParse({ session: "s", domain: "userspace", types: [t] });
      expect(r.success, t).toBe(false);
      expect(readableIssues(r.error!)[0]).toEqual({ path: "types.0", message: `${t} is not a user-space context in LTTng 2.13` });
    }
    expect(ZAddContext.safeParse({ session: "s", domain: "userspace", types: ["vpid", "procname", "perf:thread:cycles", "$app.p:t"] }).success).toBe(true);
  });

  it("accepts every fixed type for the kernel except lttng-ust's own, and none for Python", () => {
    expect(CONTEXT_TYPES_BY_DOMAIN.kernel).toEqual(CONTEXT_TYPES.filter((t) => t !== "ip" && t !== "pthread_id"));
    expect(ZAddContext.safeParse({ session: "s", domain: "kernel", types: ["prio", "hostname"] }).success).toBe(true);
    expect(ZAddContext.safeParse({ session: "s", domain: "kernel", types: ["pthread_id"] }).success).toBe(false);
    expect(ZAddContext.safeParse({ session: "s", domain: "python", types: ["vpid"] }).success).toBe(false);
  });
});

describe("context types per domain (real session daemon)", () => {
  const name = uniqueName("ctx");
  let dir: string;
  let ctl: LttngController;
  beforeAll(async () => {
    await ensureSessiond();
    dir = await mkdtemp(join(tmpdir(), "td-ctx-"));
    ctl = new LttngController(new LttngRunner(), {
      tracesDir: dir,
      relaydOutputDir: join(dir, "relayd"),
      relayd: { host: "127.0.0.1", controlPort: 5342, dataPort: 5343, livePort: 5344 },
    });
    await ctl.createSession({ mode: "local", name });
    await ctl.enableChannel({ session: name, domain: "userspace", name: "ch0" });
  });
  afterAll(async () => {
    await ctl.destroy(name).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it("LTTng adds every user-space type offered, each to a user-space channel", async () => {
    const added = await ctl.addContext({ session: name, domain: "userspace", channel: "ch0", types: [...CONTEXT_TYPES_BY_DOMAIN.userspace] });
    expect(added.map((c) => [c.symbol, c.success])).toEqual(CONTEXT_TYPES_BY_DOMAIN.userspace.map((t) => [t, true]));
  });

  it("a rule without a channel, in a session whose only channel is not channel0, is refused naming the channels", async () => {
    const err = await ctl.enableEvent({ session: name, domain: "userspace", names: ["tracedeck_demo:*"] }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LttngError);
    expect((err as LttngError).message).toBe(`Session ${name} has no default channel (channel0) to put this rule in: choose one of ch0.`);
    expect((err as LttngError).field).toBe("channel");
  });

  it("the overview gives every session's state and output in one call, as the session's own state does (items 5, 14)", async () => {
    const snap = `${name}-snap`;
    await ctl.createSession({ mode: "snapshot", name: snap });
    try {
      const rows = await ctl.sessionsOverview();
      const mine = rows.find((r) => r.summary.name === name)!;
      expect(mine.error).toBeNull();
      expect(mine.state!.output).toBe(join(dir, name));
      expect(mine.state!.session.domains.flatMap((d) => d.channels.map((c) => c.name))).toEqual(["ch0"]);
      const s = rows.find((r) => r.summary.name === snap)!;
      expect(s.summary.path).toBe("");
      expect(s.state!.output).toBe(`snapshots → ${join(dir, snap)}`);
      expect(s.state!.triggerActions["snapshot-session"]).toEqual({ allowed: true, reason: null });
      expect(mine.state!.triggerActions["snapshot-session"]).toEqual({ allowed: false, reason: "Snapshots need a session created in snapshot mode." });
      const one = await ctl.sessionState(snap);
      expect({ output: one.output, actions: one.actions, triggerActions: one.triggerActions }).toEqual({
        output: s.state!.output,
        actions: s.state!.actions,
        triggerActions: s.state!.triggerActions,
      });
      await expect(ctl.sessionState(`${name}-nosuch`)).rejects.toMatchObject({ code: "NOT_FOUND" });
    } finally {
      await ctl.destroy(snap).catch(() => undefined);
    }
  });

  it("a trigger is planned with the command it would run, and refused before LTTng when the session cannot do its action (item 6)", async () => {
    const plan = await ctl.planTrigger({
      name: `${name}-t`,
      ruleType: "user",
      pattern: "tracedeck_demo:request_end",
      filter: "latency_ns > 50000000",
      actions: [{ type: "stop-session", session: name, ratePolicy: { kind: "once-after", count: 3 } }],
    });
    expect(plan).toEqual({
      command: `lttng add-trigger --name=${name}-t --condition=event-rule-matches --type=user --name=tracedeck_demo:request_end --filter='latency_ns > 50000000' --action=stop-session ${name} --rate-policy=once-after:3`,
      issues: [],
    });
    expect(await ctl.planTrigger({ name: `${name}-t`, ruleType: "user", pattern: "x:y", actions: [{ type: "snapshot-session", session: name }] })).toEqual({
      command: null,
      issues: [{ path: "actions.0.type", message: "Snapshots need a session created in snapshot mode." }],
    });
    expect((await ctl.planTrigger({ name: `${name}-t`, ruleType: "user", pattern: "x:y", filter: "a >", actions: [{ type: "notify" }] })).issues[0]!.path).toBe(
      "filter",
    );
    await expect(
      ctl.addTrigger({ name: `${name}-t`, ruleType: "user", pattern: "x:y", actions: [{ type: "snapshot-session", session: name }] }),
    ).rejects.toMatchObject({ code: "NOT_ALLOWED" });
    expect((await ctl.listTriggers()).map((t) => t.name)).not.toContain(`${name}-t`);
  });
});
