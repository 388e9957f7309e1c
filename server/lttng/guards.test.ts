import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseMiDocument } from "./mi/document";
import { MiSessionDetail, type SessionDetail } from "./mi/outputs";
import { allowedActions, assertExcludeSupported, compareVersions, relayEndpoint } from "./guards";
import { LTTNG_MI } from "../testing/shared";

function session(step: string): SessionDetail {
  return MiSessionDetail.parse(parseMiDocument(readFileSync(`${LTTNG_MI}/${step}.xml`, "utf8")).output)!;
}

describe("allowed actions", () => {
  it("freezes channels and contexts of a local session once it has been started", () => {
    const s = session("01-status"); // stopped, never started in our records
    expect(allowedActions(s, { startedOnce: false, snapshotOutputs: null }).enableChannel).toEqual({ allowed: true, reason: null });
    const after = allowedActions(s, { startedOnce: true, snapshotOutputs: null });
    expect(after.enableChannel.allowed).toBe(false);
    expect(after.addContext.reason).toMatch(/first start/);
    expect(after.enableEvent.allowed).toBe(true);
  });

  it("refuses rotation on snapshot and live sessions, with the reason", () => {
    expect(allowedActions(session("11-list-snap"), { startedOnce: true, snapshotOutputs: 1 }).rotate).toEqual({
      allowed: false,
      reason: "Rotation is not available for snapshot sessions.",
    });
    expect(allowedActions(session("04-list-live"), { startedOnce: true, snapshotOutputs: null }).enableRotation).toEqual({
      allowed: false,
      reason: "Rotation is not available for live sessions.",
    });
    expect(allowedActions(session("03-list-session"), { startedOnce: true, snapshotOutputs: null }).rotate.allowed).toBe(true);
  });

  it("allows one snapshot output per session", () => {
    const s = session("11-list-snap");
    expect(allowedActions(s, { startedOnce: true, snapshotOutputs: 1 }).snapshotAddOutput.allowed).toBe(false);
    expect(allowedActions(s, { startedOnce: true, snapshotOutputs: 0 }).snapshotAddOutput.allowed).toBe(true);
    expect(allowedActions(s, { startedOnce: true, snapshotOutputs: 0 }).snapshotRecord.reason).toMatch(/no snapshot output/);
    expect(allowedActions(session("01-status"), { startedOnce: true, snapshotOutputs: null }).snapshotRecord.allowed).toBe(false);
  });

  it("allows disabling a rotation schedule only when one is set", () => {
    const rot = session("07-list-rot");
    expect(allowedActions(rot, { startedOnce: true, snapshotOutputs: null }).disableRotation.allowed).toBe(true);
    expect(allowedActions(session("03-list-session"), { startedOnce: true, snapshotOutputs: null }).disableRotation.allowed).toBe(false);
  });

  it("start/stop follow the session's activity", () => {
    const active = session("07-list-rot"); // enabled=true
    const st = allowedActions(active, { startedOnce: true, snapshotOutputs: null });
    expect([st.start.allowed, st.stop.allowed, st.regenerateStatedump.allowed]).toEqual([false, true, true]);
  });
});

describe("other guards", () => {
  it("refuses --exclude below sessiond 2.13.10 and accepts it from there", () => {
    expect(() => assertExcludeSupported("2.13.9")).toThrow(/crashes session daemons older than 2\.13\.10/);
    expect(() => assertExcludeSupported(null)).toThrow();
    expect(() => assertExcludeSupported("2.13.10")).not.toThrow();
    expect(() => assertExcludeSupported("2.14.0")).not.toThrow();
    expect(compareVersions("2.13.9", "2.13.10")).toBe(-1);
  });

  it("reads host and ports of relay URLs", () => {
    expect(relayEndpoint("net://127.0.0.1")).toEqual({ host: "127.0.0.1", controlPort: 5342, dataPort: 5343 });
    expect(relayEndpoint("net://relay.example:6000:6001/dir")).toEqual({ host: "relay.example", controlPort: 6000, dataPort: 6001 });
    expect(relayEndpoint("net6://[::1]:7000")).toEqual({ host: "::1", controlPort: 7000, dataPort: 5343 });
    expect(relayEndpoint("tcp://10.0.0.1:5342/x")).toEqual({ host: "10.0.0.1", controlPort: 5342, dataPort: null });
  });
});
