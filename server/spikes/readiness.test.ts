import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseMiDocument } from "../lttng/mi/document";
import { MiSessionList } from "../lttng/mi/outputs";
import { ruleSessionProblems } from "./readiness";

// `lttng --mi xml list` from LTTng 2.13.9 with one session of each kind: snapshot (started and
// never started), live, local (started), network (not started).
const sessions = MiSessionList.parse(parseMiDocument(readFileSync(new URL("../lttng/mi/testdata/list-modes.xml", import.meta.url), "utf8")).output);
const rule = (snapshotSession: string, other: { action: "none" | "rotate" | "stop"; session?: string } = { action: "none" }, hostGroup?: string) => ({
  snapshotSession,
  other,
  ...(hostGroup === undefined ? {} : { hostGroup }),
});

describe("a spike rule's sessions, against this host's session list", () => {
  it("finds nothing wrong with a recording snapshot session", () => {
    expect(sessions.map((s) => [s.name, s.mode, s.active])).toContainEqual(["rd-snap-on", "snapshot", true]);
    expect(ruleSessionProblems(rule("rd-snap-on"), sessions)).toEqual([]);
    expect(ruleSessionProblems(rule("rd-snap-on", { action: "rotate", session: "rd-local" }), sessions)).toEqual([]);
    expect(ruleSessionProblems(rule("rd-snap-on", { action: "stop", session: "rd-live" }), sessions)).toEqual([]);
  });

  it("says when the snapshot session is missing, of another mode, or not recording", () => {
    expect(ruleSessionProblems(rule("web-snap"), sessions)).toEqual([
      "No session web-snap on this host: a spike's snapshot would fail until it is created in snapshot mode.",
    ]);
    expect(ruleSessionProblems(rule("rd-live"), sessions)).toEqual(["rd-live is a live session, not a snapshot one: LTTng refuses `snapshot record` on it."]);
    expect(ruleSessionProblems(rule("rd-local"), sessions)).toEqual([
      "rd-local is a local session, not a snapshot one: LTTng refuses `snapshot record` on it.",
    ]);
    expect(ruleSessionProblems(rule("rd-snap-off"), sessions)).toEqual(["rd-snap-off is not recording: a snapshot would not hold the spike."]);
  });

  it("says when the session to rotate or stop is missing, cannot rotate, or is stopped already", () => {
    expect(ruleSessionProblems(rule("rd-snap-on", { action: "rotate", session: "gone" }), sessions)).toEqual(["No session gone on this host to rotate."]);
    expect(ruleSessionProblems(rule("rd-snap-on", { action: "rotate", session: "rd-live" }), sessions)).toEqual([
      "rd-live is a live session: LTTng refuses to rotate it.",
    ]);
    expect(ruleSessionProblems(rule("rd-snap-on", { action: "rotate", session: "rd-snap-off" }), sessions)).toEqual([
      "rd-snap-off is a snapshot session: LTTng refuses to rotate it.",
    ]);
    expect(ruleSessionProblems(rule("rd-snap-on", { action: "stop", session: "rd-net" }), sessions)).toEqual(["rd-net is already stopped."]);
    expect(ruleSessionProblems(rule("gone", { action: "stop", session: "also-gone" }), sessions)).toHaveLength(2);
  });

  it("checks a host group's snapshot session on each host as the fleet view last saw it, and the other session here", () => {
    const web1 = { host: "web-1", state: "up" as const, sessions: sessions.filter((x) => x.name === "rd-snap-on") };
    const web2 = { host: "web-2", state: "up" as const, sessions: [{ name: "rd-snap-on", mode: "snapshot", active: false }] };
    const web3 = { host: "web-3", state: "up" as const, sessions: [] };
    const down = { host: "web-4", state: "down" as const, sessions: [] };
    const asked = { host: "web-5", state: "unknown" as const, sessions: [] };
    const g = rule("rd-snap-on", { action: "stop", session: "rd-local" }, "web");
    expect(ruleSessionProblems(g, sessions, [web1, asked])).toEqual([]);
    expect(ruleSessionProblems(g, sessions, [web1, web2, web3, down])).toEqual([
      "rd-snap-on is not recording on host web-2: a snapshot would not hold the spike.",
      "No session rd-snap-on on host web-3: a spike's snapshot would fail until it is created in snapshot mode.",
      "Host web-4 of group web is down: its snapshot would fail.",
    ]);
    expect(ruleSessionProblems(g, sessions, [])).toEqual(["Host group web has no host: a spike would snapshot nothing."]);
    // The group not known yet: nothing said of it; the session to stop is this host's all the same.
    expect(ruleSessionProblems(rule("web-snap", { action: "stop", session: "gone" }, "web"), sessions)).toEqual(["No session gone on this host to stop."]);
  });
});
