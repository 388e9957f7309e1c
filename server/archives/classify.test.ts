import { describe, expect, it } from "vitest";
import { classifyArchive } from "./classify";

// Names as LTTng 2.13.9 wrote them on this machine (lttng-facts.md §5).
describe("classifyArchive", () => {
  it("recognises snapshots, default and named, with their counter", () => {
    expect(classifyArchive("snapshot-1-20261126-071003-0", "s-snap")).toEqual({
      kind: "snapshot",
      snapshotName: "snapshot-1",
      index: 0,
      begin: Date.UTC(2026, 10, 26, 7, 10, 3),
    });
    expect(classifyArchive("mysnap-20261126-071004-2", "s-snap")).toMatchObject({ kind: "snapshot", snapshotName: "mysnap", index: 2 });
    expect(classifyArchive("relaysnap-20261126-071007-4", "s-snap-20261126-070958")).toMatchObject({ kind: "snapshot", snapshotName: "relaysnap", index: 4 });
  });

  it("recognises rotation archives with their time range, and the chunk being written", () => {
    const a = classifyArchive("20261126T071231+0000-20261126T071233+0000-0", "archives");
    expect(a).toEqual({ kind: "rotation-archive", begin: Date.UTC(2026, 10, 26, 7, 12, 31), end: Date.UTC(2026, 10, 26, 7, 12, 33), index: 0 });
    // A non-UTC offset: 09:12:31+0200 is 07:12:31 UTC.
    expect(classifyArchive("20261126T091231+0200-20261126T091233+0200-3", "archives")).toMatchObject({ begin: Date.UTC(2026, 10, 26, 7, 12, 31), index: 3 });
    expect(classifyArchive("20261126T071235+0000-2", "s-rot")).toEqual({ kind: "rotation-chunk", begin: Date.UTC(2026, 10, 26, 7, 12, 35), index: 2 });
  });

  it("treats anything else, including a session's default directory, as a session", () => {
    expect(classifyArchive("s-big-20261126-071003", "vm")).toEqual({ kind: "session" });
    expect(classifyArchive("tc-many-threads", "traces")).toEqual({ kind: "session" });
    // An archive-shaped name outside an `archives/` directory is not a rotation archive.
    expect(classifyArchive("20261126T071231+0000-20261126T071233+0000-0", "elsewhere").kind).toBe("session");
  });
});
