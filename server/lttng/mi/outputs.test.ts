import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseMiDocument, MiParseError } from "./document";
import {
  MiAvailable,
  MiChannels,
  MiContexts,
  MiDisableEvent,
  MiEvents,
  MiLoad,
  MiOneTrigger,
  MiRegenerate,
  MiRotation,
  MiRotationSchedules,
  MiSave,
  MiSessionDetail,
  MiSessionList,
  MiSnapshotAction,
  MiStartStop,
  MiTrackResult,
  MiTriggerList,
  MiVersion,
} from "./outputs";
import { LTTNG_MI } from "../../testing/shared";

const SHARED = LTTNG_MI;
function rec(step: string) {
  return parseMiDocument(readFileSync(`${SHARED}/${step}.xml`, "utf8"));
}
function local(name: string) {
  return parseMiDocument(readFileSync(new URL(`./testdata/${name}.xml`, import.meta.url), "utf8"));
}

describe("MI envelope", () => {
  it("reads the command name, schema version and success of a create document", () => {
    const d = rec("01-create");
    expect(d).toMatchObject({ command: "create", schemaVersion: "4.1", success: true });
  });

  it("reports success as undefined for list, status and list-triggers, which print no <success>", () => {
    expect(rec("10-err-list-nosuch").success).toBeUndefined();
    expect(rec("01-status").success).toBeUndefined();
    expect(rec("06-list-triggers").success).toBeUndefined();
  });

  it("names status documents 'list' and list-triggers documents 'list-trigger' (quirk)", () => {
    expect(rec("01-status").command).toBe("list");
    expect(rec("06-list-triggers").command).toBe("list-trigger");
  });

  it("rejects a document outside the LTTng MI namespace", () => {
    const xml = `<?xml version="1.0"?><command xmlns="urn:other" schemaVersion="4.1"><name>list</name><output/></command>`;
    expect(() => parseMiDocument(xml)).toThrow(MiParseError);
  });

  it("rejects text that is not an MI document", () => {
    expect(() => parseMiDocument("Error: No session daemon is available\n")).toThrow(MiParseError);
  });

  it("finds the document after a warning line printed on stdout", () => {
    const xml = readFileSync(`${SHARED}/01-start.xml`, "utf8");
    expect(parseMiDocument(`Warning: something\n${xml}`).command).toBe("start");
  });
});

describe("MI outputs", () => {
  it("reads a local session from create", () => {
    expect(MiSessionList.parse(rec("01-create").output)).toEqual([
      { name: "s-local", path: "/srv/probe/traces/s-local", active: false, mode: "local", liveTimerUs: null },
    ]);
  });

  it("reads network, live and snapshot modes (snapshot create has an empty path)", () => {
    expect(MiSessionList.parse(rec("03-create-net").output)[0]).toMatchObject({ mode: "network", path: "tcp4://127.0.0.1:5342/ [data: 5343]" });
    expect(MiSessionList.parse(rec("04-create-live").output)[0]).toMatchObject({ mode: "live", liveTimerUs: 200000 });
    expect(MiSessionList.parse(rec("05-create-snap").output)[0]).toMatchObject({ mode: "snapshot", path: "" });
  });

  it("reads the sessions of destroy and clear", () => {
    expect(MiSessionList.parse(rec("03-destroy").output)[0]?.name).toBe("s-net");
    expect(MiSessionList.parse(rec("09-clear-live").output)[0]).toMatchObject({ name: "s-live2", active: true, mode: "live", liveTimerUs: 1000000 });
  });

  it("reads an empty <sessions/> as no session (list nosuch, destroy nosuch)", () => {
    expect(MiSessionDetail.parse(rec("10-err-list-nosuch").output)).toBeNull();
    expect(MiSessionList.parse(rec("10-err-destroy-nosuch").output)).toEqual([]);
  });

  it("reads a whole session from status: channels, attributes, events, filters, log levels", () => {
    const s = MiSessionDetail.parse(rec("01-status").output);
    expect(s).not.toBeNull();
    const ust = s!.domains[0]!;
    expect(ust).toMatchObject({ type: "UST", bufferType: "PER_UID", trackers: [] });
    const ch1 = ust.channels.find((c) => c.name === "ch1")!;
    expect(ch1.attributes).toEqual({
      overwrite: true,
      subbufSizeBytes: 65536,
      subbufCount: 8,
      switchTimerUs: 500000,
      readTimerUs: 0,
      monitorTimerUs: 1000000,
      blockingTimeoutUs: 0,
      output: "mmap",
      tracefileSizeBytes: 0,
      tracefileCount: 0,
      discardedEvents: 0,
      lostPackets: 0,
    });
    expect(ch1.events[0]).toMatchObject({
      name: "webapp:*",
      filter: "status >= 500 || $ctx.vtid > 0 && latency_ns > 1000000",
      loglevel: "TRACE_INFO",
      loglevelType: "SINGLE",
    });
    expect(ch1.events[1]).toMatchObject({ name: "lttng_ust_tracelog:*", filter: null, loglevel: "TRACE_WARNING", loglevelType: "RANGE" });
    const ch0 = ust.channels.find((c) => c.name === "ch0")!;
    expect(ch0.attributes).toMatchObject({ overwrite: false, tracefileSizeBytes: 8388608, tracefileCount: 4 });
    expect(ch0.events.map((e) => e.name)).toEqual(["webapp:request_begin", "webapp:request_end", "webapp:i*", "lttng_ust_tracef:*"]);
    expect(ch0.events[3]!.filter).toBe('msg != "x"');
  });

  it("reads the live timer from the session element, not the channel (which says 0)", () => {
    const s = MiSessionDetail.parse(rec("04-list-live").output)!;
    expect(s.liveTimerUs).toBe(200000);
    expect(s.mode).toBe("live");
  });

  it("reads rotation schedules of a session", () => {
    expect(MiSessionDetail.parse(rec("07-list-rot").output)!.rotation).toEqual({ periodicUs: 2000000, sizeBytes: null });
  });

  it("reads process attribute trackers", () => {
    const s = MiSessionDetail.parse(rec("08-list-tracked").output)!;
    expect(s.domains[0]!.trackers).toEqual([
      {
        kind: "vpid",
        values: [
          { id: 22718, name: null, all: false, success: undefined },
          { id: 12345, name: null, all: false, success: undefined },
        ],
      },
    ]);
  });

  it("reads available user-space events per process, with fields in reverse declaration order as LTTng lists them", () => {
    const a = MiAvailable.parse(rec("09-list-u-fields").output);
    expect(a.domain).toBe("UST");
    const p = a.processes[0]!;
    expect(p.pid).toBe(30876);
    const end = p.events.find((e) => e.name === "webapp:request_end")!;
    expect(end.fields.map((f) => f.name)).toEqual(["latency_ns", "status", "id"]);
    expect(end.fields[0]).toEqual({ name: "latency_ns", type: "INTEGER", nowrite: false });
  });

  it("reads Python loggers from list -p", () => {
    const a = MiAvailable.parse(rec("02-list-p").output);
    expect(a.domain).toBe("PYTHON");
    expect(a.processes[0]!.events.map((e) => e.name)).toEqual(["webapp.py", "webapp"]);
  });

  it("reads channels of enable-channel (the 4294967295 live timer is ignored)", () => {
    const [c] = MiChannels.parse(rec("01-enable-channel").output);
    expect(c).toMatchObject({ name: "ch0", enabled: true, success: true });
    expect(c!.attributes).toMatchObject({ subbufSizeBytes: 1048576, subbufCount: 4, tracefileSizeBytes: 8388608 });
  });

  it("reads disable-channel", () => {
    expect(MiChannels.parse(rec("09-disable-channel").output)).toEqual([{ name: "channel0", enabled: false, attributes: null, events: [], success: true }]);
  });

  it("merges the duplicated <exclusions/> + <exclusions> of enable-event --exclude (quirk)", () => {
    const [e] = MiEvents.parse(rec("01-enable-event-exclusion").output);
    expect(e!.exclusions).toEqual(["webapp:io"]);
  });

  it("reads enable-event with log level, and the failed event of a bad filter", () => {
    expect(MiEvents.parse(rec("02-py-enable-event").output)[0]).toMatchObject({
      name: "webapp.py",
      loglevel: "PYTHON_INFO",
      loglevelType: "RANGE",
      success: true,
    });
    expect(MiEvents.parse(rec("10-err-enable-event-badfilter").output)[0]).toMatchObject({ enabled: false, success: false });
  });

  it("reads disable-event", () => {
    expect(MiDisableEvent.parse(rec("09-disable-event").output)).toMatchObject({ channel: "channel0", events: [{ name: "*", enabled: false, success: true }] });
  });

  it("reads per-context success of add-context (not allowed by the XSD; quirk)", () => {
    expect(MiContexts.parse(rec("01-add-context").output)).toEqual([
      { type: "VPID", symbol: "vpid", success: true },
      { type: "VTID", symbol: "vtid", success: true },
      { type: "PROCNAME", symbol: "procname", success: true },
    ]);
    expect(MiContexts.parse(rec("12-add-context-after-start").output)).toEqual([{ type: "VPID", symbol: "vpid", success: false }]);
  });

  it("reads start and stop", () => {
    expect(MiStartStop.parse(rec("01-start").output)).toEqual([{ name: "s-local", active: true }]);
    expect(MiStartStop.parse(rec("03-stop").output)).toEqual([{ name: "s-net", active: false }]);
  });

  it("reads snapshot list-output (max size 0 = unlimited) and add-output (u64 max = unlimited)", () => {
    expect(MiSnapshotAction.parse(rec("05-list-output").output)).toEqual({
      action: "list-output",
      outputs: [{ id: 1, name: "snapshot-1", ctrlUrl: "/srv/probe/traces/s-snap", dataUrl: null, sessionName: null, maxSizeBytes: null }],
    });
    expect(MiSnapshotAction.parse(rec("05-add-output").output).outputs[0]).toMatchObject({
      id: 2,
      name: "relaysnap",
      ctrlUrl: "net://127.0.0.1",
      sessionName: "s-snap",
      maxSizeBytes: null,
    });
    expect(MiSnapshotAction.parse(rec("05-list-output2").output).outputs[0]).toMatchObject({
      ctrlUrl: "tcp4://127.0.0.1:5342/",
      dataUrl: "tcp4://127.0.0.1:5343/",
    });
  });

  it("reads snapshot record, named 'record' although the XSD says 'record-output' (quirk)", () => {
    expect(MiSnapshotAction.parse(rec("05-record-1").output)).toEqual({
      action: "record",
      outputs: [{ id: null, name: null, ctrlUrl: null, dataUrl: null, sessionName: null, maxSizeBytes: null }],
    });
    expect(MiSnapshotAction.parse(rec("05-record-path").output).outputs[0]!.ctrlUrl).toBe("/srv/probe/traces/snap-adhoc");
  });

  it("reads snapshot del-output", () => {
    expect(MiSnapshotAction.parse(rec("05-del-output").output)).toMatchObject({ action: "del-output", outputs: [{ id: 1, sessionName: "s-snap" }] });
  });

  it("reads a local rotation's archive path, an ongoing rotation, and a relay rotation", () => {
    expect(MiRotation.parse(rec("07-rotate").output)).toEqual({
      sessionName: "s-rot",
      state: "COMPLETED",
      location: { kind: "local", path: "/srv/probe/traces/s-rot/archives/20261126T071231+0000-20261126T071233+0000-0" },
    });
    expect(MiRotation.parse(rec("07-rotate-nowait").output)).toEqual({ sessionName: "s-rot", state: "ONGOING", location: null });
    expect(MiRotation.parse(rec("07-rotate-relayd").output).location).toEqual({
      kind: "relay",
      host: "127.0.0.1",
      controlPort: 5342,
      dataPort: 5343,
      protocol: "TCP",
      relativePath: "vm/s-rotnet-20261126-071256",
    });
  });

  it("reads rotation schedule results", () => {
    expect(MiRotationSchedules.parse(rec("07-enable-rotation-timer").output)).toEqual({
      sessionName: "s-rot",
      results: [{ periodicUs: 2000000, sizeBytes: null, success: true }],
    });
    expect(MiRotationSchedules.parse(rec("07-disable-rotation-size").output).results[0]).toMatchObject({ sizeBytes: 1048576, success: true });
    expect(MiRotationSchedules.parse(rec("07-disable-rotation-none").output).results[0]).toMatchObject({ periodicUs: null, success: false });
  });

  it("reads regenerate, save and load", () => {
    expect(MiRegenerate.parse(rec("08-regen-statedump").output)).toEqual({ what: "statedump" });
    expect(MiSave.parse(rec("08-save").output)).toEqual({ session: "s-misc", path: "/srv/probe/sessions" });
    expect(MiLoad.parse(rec("08-load-override").output)).toEqual({
      session: "s-misc",
      path: "/srv/probe/sessions/s-misc.lttng",
      overrides: { name: "s-misc2", url: "file:///srv/probe/traces/s-misc2" },
    });
  });

  it("reads track and untrack results by id, name and all", () => {
    expect(MiTrackResult.parse(rec("08-track-vpid").output)[0]!.values.map((v) => v.id)).toEqual([22718, 12345]);
    expect(MiTrackResult.parse(rec("08-track-vuid").output)[0]).toMatchObject({ kind: "vuid", values: [{ name: "root", success: true }] });
    expect(MiTrackResult.parse(rec("08-untrack-all").output)[0]!.values[0]).toMatchObject({ all: true });
  });

  it("reads a notify trigger with captures of payload and context fields", () => {
    const t = MiOneTrigger.parse(rec("06-add-trigger-notify").output);
    expect(t.name).toBe("slowreq-notify");
    expect(t.condition.eventRule).toMatchObject({ type: "user", namePattern: "webapp:request_end", filter: "latency_ns > 50000000" });
    expect(t.condition.captures).toEqual(["id", "status", "latency_ns", "$ctx.vpid"]);
    expect(t.actions).toEqual([{ type: "notify", sessionName: null, ratePolicy: { kind: "every", count: 1 }, snapshotOutput: null, errors: [] }]);
  });

  it("reads a trigger with several actions and rate policies", () => {
    const t = MiOneTrigger.parse(rec("06-add-trigger-multi").output);
    expect(t.actions.map((a) => [a.type, a.sessionName, a.ratePolicy])).toEqual([
      ["notify", null, { kind: "every", count: 3 }],
      ["snapshot-session", "s-snap", { kind: "once-after", count: 2 }],
    ]);
  });

  it("reads list-triggers with error counters, and an empty list", () => {
    const [t] = MiTriggerList.parse(rec("06-list-triggers").output);
    expect(t!.condition.errors).toEqual([
      { name: "discarded tracer messages", description: expect.stringContaining("discarded") as unknown as string, value: 0 },
    ]);
    expect(t!.actions[0]!.errors[0]).toMatchObject({ name: "total execution failures", value: 0 });
    expect(MiTriggerList.parse(rec("06-list-triggers-empty").output)).toEqual([]);
  });

  it("reads the version document (recorded here, no <success>)", () => {
    const d = local("version");
    expect(d.success).toBeUndefined();
    expect(MiVersion.parse(d.output)).toMatchObject({ string: "2.13.9", major: 2, minor: 13, patchLevel: 9 });
  });

  it("reads list -k of a machine without the kernel tracer as an empty output", () => {
    const d = local("list-k-unavailable");
    expect(MiAvailable.parse(d.output)).toEqual({ domain: null, processes: [], events: [] });
  });

  it("reads list -j with no registered Java process", () => {
    expect(MiAvailable.parse(local("list-j-empty").output)).toEqual({ domain: "JUL", processes: [], events: [] });
  });
});
