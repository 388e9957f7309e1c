import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseMiDocument } from "./document";
import { MiTriggerList } from "./outputs";
import { parseTriggersText } from "./triggers-text";

const fixture = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");

describe("trigger listing quirks (recorded on an isolated 2.13.9 daemon)", () => {
  it("MI prints a stop-session action as start-session (quirk); the text listing tells them apart", () => {
    const mi = MiTriggerList.parse(parseMiDocument(fixture("list-triggers-start-stop.xml")).output);
    const startStop = mi.find((t) => t.name === "t-startstop")!;
    expect(startStop.actions.map((a) => a.type)).toEqual(["start-session", "start-session"]);
    const text = parseTriggersText(fixture("list-triggers-start-stop.txt")).find((t) => t.name === "t-startstop")!;
    expect(text.actions.map((a) => [a.type, a.sessionName, a.ratePolicy])).toEqual([
      ["stop-session", "s1", { kind: "every", count: 1 }],
      ["start-session", "s1", { kind: "once-after", count: 3 }],
    ]);
  });

  it("MI list-triggers aborts on an assertion once a rotate-session trigger exists (quirk)", () => {
    expect(fixture("list-triggers-rotate.rc").trim()).toBe("134");
    expect(fixture("list-triggers-rotate.stderr")).toContain("lttng_action_rotate_session_mi_serialize: Assertion");
    const t = parseTriggersText(fixture("list-triggers-rotate.txt"));
    expect(t.map((x) => x.name)).toEqual(["t-notify", "t-rotate", "t-startstop"]);
    expect(t[1]).toMatchObject({
      condition: { eventRule: { type: "user", namePattern: "x:*", filter: null } },
      actions: [{ type: "rotate-session", sessionName: "s1" }],
    });
  });

  it("reads rules with filters containing commas, log levels, captures and snapshot outputs from the text", () => {
    const [n] = parseTriggersText(fixture("list-triggers-start-stop.txt"));
    expect(n).toMatchObject({
      name: "t-notify",
      ownerUid: 65534,
      condition: {
        eventRule: {
          type: "user",
          namePattern: "x:y",
          filter: 'a > 1 && b == "x, y"',
          logLevel: { kind: "at-least", level: null, name: "INFO" },
          exclusions: [],
        },
        captures: ["id", "$ctx.vpid"],
      },
    });
    expect(n!.actions).toEqual([
      { type: "notify", sessionName: null, ratePolicy: { kind: "every", count: 2 }, snapshotOutput: null, errors: [] },
      {
        type: "snapshot-session",
        sessionName: "s1",
        ratePolicy: { kind: "every", count: 1 },
        errors: [],
        snapshotOutput: { id: null, name: "zz", ctrlUrl: "/tmp/td-fix-home/s1", dataUrl: null, sessionName: null, maxSizeBytes: 1048576 },
      },
    ]);
    const py = parseTriggersText(fixture("list-triggers-start-stop.txt"))[1]!;
    expect(py.condition.eventRule).toMatchObject({ type: "python", namePattern: "my.logger", logLevel: { kind: "exactly", name: "WARNING" } });
  });

  it("agrees with the MI on everything but the action types", () => {
    const mi = MiTriggerList.parse(parseMiDocument(fixture("list-triggers-start-stop.xml")).output).find((t) => t.name === "t-notify")!;
    const text = parseTriggersText(fixture("list-triggers-start-stop.txt")).find((t) => t.name === "t-notify")!;
    expect(text.condition.captures).toEqual(mi.condition.captures);
    expect(text.condition.eventRule.filter).toBe(mi.condition.eventRule.filter);
    expect(text.actions.map((a) => [a.type, a.ratePolicy])).toEqual(mi.actions.map((a) => [a.type, a.ratePolicy]));
  });
});
