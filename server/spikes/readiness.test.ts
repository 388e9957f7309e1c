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

  it("leaves a host group's sessions to its hosts", () => {
    expect(ruleSessionProblems(rule("web-snap", { action: "none" }, "web"), sessions)).toEqual([]);
  });
});
