import { describe, expect, it } from "vitest";
import { checkSessionSetup } from "@/server/shared/validators";
import {
  REVIEW_STEP,
  fieldIssue,
  initialWizardState,
  modeParam,
  stepHasIssue,
  stepIssues,
  toSetupDraft,
  wizardReducer,
  type WizardAction,
  type WizardState,
} from "./wizard-state";

const run = (...actions: WizardAction[]): WizardState => actions.reduce(wizardReducer, initialWizardState());
const named = (name: string): WizardAction => ({ type: "setText", field: "name", value: name });
const noServer = { field: null, message: null };

describe("steps", () => {
  it("refuses Next on a step with a problem and marks the step, then lets it go once fixed", () => {
    const blocked = run({ type: "next" });
    // An empty session name is a problem of the first step.
    expect(blocked.step).toBe(0);
    expect(blocked.blocked).toEqual([0]);
    const issues = checkSessionSetup(toSetupDraft(blocked));
    expect(stepIssues(issues, 0).map((i) => i.path)).toContain("create.name");
    expect(stepHasIssue(blocked, issues, null, 0)).toBe(true);
    // Refused twice: still one mark.
    expect(wizardReducer(blocked, { type: "next" }).blocked).toEqual([0]);
    const moved = wizardReducer(wizardReducer(blocked, named("s1")), { type: "next" });
    expect(moved.step).toBe(1);
  });

  it("counts the review as reached once shown, whichever way it was reached", () => {
    expect(run({ type: "go", step: 2 }).reviewed).toBe(false);
    const s = run({ type: "go", step: REVIEW_STEP }, { type: "go", step: 1 });
    expect(s.step).toBe(1);
    expect(s.reviewed).toBe(true);
  });

  it("shows a schema problem once the field is typed in, its step refused, or the review reached", () => {
    const s = run(named("a/b"));
    const issues = checkSessionSetup(toSetupDraft(s));
    expect(fieldIssue(s, issues, noServer, "create.name", "a/b")).toMatch(/No '\/'/);
    // Not typed yet (e.g. the output directory): silent until the step is refused.
    const empty = run();
    const emptyIssues = checkSessionSetup(toSetupDraft(empty));
    expect(fieldIssue(empty, emptyIssues, noServer, "create.name", "")).toBeNull();
    expect(fieldIssue(run({ type: "next" }), emptyIssues, noServer, "create.name", "")).not.toBeNull();
    expect(fieldIssue(run({ type: "go", step: REVIEW_STEP }), emptyIssues, noServer, "create.name", "")).not.toBeNull();
  });

  it("puts LTTng's refusal on the field it is about, before any schema message", () => {
    const s = run(named("s1"));
    const server = { field: "channels.0", message: "Kernel tracer not available" };
    expect(fieldIssue(s, [], server, "channels.0")).toBe("Kernel tracer not available");
    expect(stepHasIssue(s, [], server.field, 1)).toBe(true);
    expect(stepHasIssue(s, [], server.field, 0)).toBe(false);
  });
});

describe("mode and channels", () => {
  it("takes a mode from the page's ?mode= only when it names one", () => {
    expect(modeParam("snapshot")).toBe("snapshot");
    expect(modeParam("rotation")).toBe("rotation");
    for (const v of ["Snapshot", "kernel", "", undefined, ["snapshot"]]) expect(modeParam(v)).toBeUndefined();
  });

  it("makes channels overwrite in snapshot mode and drops that again when leaving it", () => {
    const snap = run({ type: "setMode", mode: "snapshot" }, { type: "addChannel" });
    expect(snap.channels.map((c) => [c.name, c.mode])).toEqual([
      ["ch0", "overwrite"],
      ["ch1", "overwrite"],
    ]);
    const back = wizardReducer(wizardReducer(snap, { type: "patchChannel", index: 1, patch: { mode: "discard" } }), { type: "setMode", mode: "local" });
    expect(back.channels.map((c) => c.mode)).toEqual(["", "discard"]);
  });

  it("applies a preset to one channel, keeping its name and domain", () => {
    const s = run({ type: "patchChannel", index: 0, patch: { domain: "kernel", switchTimer: "1s" } }, { type: "applyPreset", index: 0, presetId: "bounded" });
    expect(s.channels[0]).toMatchObject({
      domain: "kernel",
      name: "ch0",
      mode: "discard",
      subbufSize: "1M",
      tracefileSize: "16M",
      tracefileCount: "8",
      switchTimer: "",
    });
  });

  it("sends typed numbers as numbers and anything else as typed, for the schema to judge", () => {
    const s = run(named(" s1 "), { type: "patchChannel", index: 0, patch: { numSubbuf: "8", tracefileCount: "many", subbufSize: " 64k " } });
    expect(toSetupDraft(s).channels?.[0]).toMatchObject({ session: "s1", numSubbuf: 8, tracefileCount: "many", subbufSize: "64k", mode: undefined });
  });

  it("asks for a rotation schedule only in the rotation mode", () => {
    expect(toSetupDraft(run(named("s1"))).rotation).toBeUndefined();
    const s = run(named("s1"), { type: "setMode", mode: "rotation" }, { type: "setText", field: "rotTimer", value: "30s" });
    expect(toSetupDraft(s)).toMatchObject({ create: { mode: "local", name: "s1" }, rotation: { session: "s1", timerUs: "30s", size: undefined } });
  });

  it("writes a snapshot session to the relay when a URL is given, else to the directory", () => {
    const local = run(named("s1"), { type: "setMode", mode: "snapshot" }, { type: "setText", field: "outputDir", value: "snaps" });
    expect(toSetupDraft(local).create).toEqual({ mode: "snapshot", name: "s1", outputDir: "snaps" });
    const relay = wizardReducer(local, { type: "setText", field: "url", value: "net://127.0.0.1" });
    expect(toSetupDraft(relay).create).toEqual({ mode: "snapshot", name: "s1", url: "net://127.0.0.1" });
  });
});

describe("events and contexts", () => {
  it("puts a picked event in the first channel of its domain, and a typed one in the browser's domain", () => {
    const s = run(
      { type: "addChannel" },
      { type: "patchChannel", index: 1, patch: { domain: "kernel", name: "k" } },
      { type: "addEvent", domain: "kernel", names: "sched_switch" },
      { type: "pickDomain", domain: "python" },
      { type: "setText", field: "typed", value: "  my.logger " },
      { type: "addTypedEvent" },
      { type: "addTypedEvent" },
    );
    expect(s.events.map((e) => [e.domain, e.names, e.channel])).toEqual([
      ["kernel", "sched_switch", "k"],
      ["python", "my.logger", ""],
    ]);
    expect(s.typed).toBe("");
  });

  it("moves a rule to the new domain's first channel, and sends no channel of another domain", () => {
    const s = run({ type: "addEvent", domain: "userspace", names: "a:*, b:c" }, { type: "setEventDomain", index: 0, domain: "kernel" });
    expect(s.events[0]).toMatchObject({ domain: "kernel", channel: "" });
    const stale = wizardReducer(run({ type: "addEvent", domain: "userspace", names: "a:*, b:c" }), {
      type: "patchChannel",
      index: 0,
      patch: { domain: "kernel" },
    });
    expect(toSetupDraft(stale).events?.[0]).toMatchObject({ domain: "userspace", channel: undefined, names: ["a:*", "b:c"] });
  });

  it("drops the context types a new domain does not take, and adds the typed ones", () => {
    const s = run({ type: "addContexts" }, { type: "patchContexts", index: 0, patch: { extra: "perf:thread:cycles, $app.p:t" } });
    expect(toSetupDraft(s).contexts?.[0]).toMatchObject({ types: ["vpid", "vtid", "procname", "perf:thread:cycles", "$app.p:t"] });
    expect(s.contexts[0]!.types).toEqual(["vpid", "vtid", "procname"]);
    // ip and pthread_id are user-space contexts only; Python takes no context at all.
    const ust = wizardReducer(s, { type: "patchContexts", index: 0, patch: { types: ["vpid", "ip", "pthread_id"], channel: "ch0" } });
    expect(wizardReducer(ust, { type: "setContextsDomain", index: 0, domain: "kernel" }).contexts[0]).toMatchObject({ types: ["vpid"], channel: "" });
    const python = wizardReducer(ust, { type: "setContextsDomain", index: 0, domain: "python" });
    expect(python.contexts[0]!.types).toEqual([]);
    expect(wizardReducer(python, { type: "removeContexts", index: 0 }).contexts).toEqual([]);
  });
});
