/**
 * A traced host's files read through a real sshd of the test's own (loopback): the answers
 * must be those the same files give when read here (server/lttng/host-files.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localFiles } from "../lttng/host-files";
import { lttng } from "../lttng/instance";
import { LttngRunner } from "../lttng/runner";
import { saveArgs } from "../lttng/command-args";
import { uniqueName } from "../lttng/testing";
import { remoteFiles } from "./remote-files";
import { SshTransport } from "./ssh";
import { TestSshd } from "./testing/sshd";

const sshd = new TestSshd();
let t: SshTransport;
const dir = mkdtempSync(join(tmpdir(), "td-remote-files-"));
const sessions: string[] = [];

beforeAll(async () => {
  await sshd.start();
  t = new SshTransport({ host: "127.0.0.1", port: sshd.port, user: "root", privateKey: sshd.privateKey }, { pinnedFingerprint: sshd.hostFingerprint });
});
afterAll(async () => {
  for (const s of sessions)
    await lttng()
      .controller.destroy(s)
      .catch(() => undefined);
  t.close();
  await sshd.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe("remote files", () => {
  it("names the host as lttng-sessiond does", async () => {
    expect(await remoteFiles(t).hostname()).toBe(hostname());
  });

  it("finds a snapshot directory as the local search does, never inside trace data", async () => {
    const out = join(dir, "snaps");
    mkdirSync(join(out, "sess", "ust", "fleet-abc-20261206-120000-0"), { recursive: true });
    mkdirSync(join(out, "sess", "fleet-abc-20261206-120001-3", "ust"), { recursive: true });
    mkdirSync(join(out, "fleet-abcd-20261206-120002-1"), { recursive: true });
    const remote = remoteFiles(t);
    const local = localFiles({});
    expect(await remote.findSnapshotDir(out, "fleet-abc")).toBe(join(out, "sess", "fleet-abc-20261206-120001-3"));
    expect(await remote.findSnapshotDir(out, "fleet-abc")).toBe(await local.findSnapshotDir(out, "fleet-abc"));
    expect(await remote.findSnapshotDir(out, "missing")).toBeNull();
    expect(await remote.findSnapshotDir(join(dir, "no such dir"), "fleet-abc")).toBeNull();
  });

  it("tells whether a session directory holds trace data, as the local check does", async () => {
    const cases = { empty: [], ust: ["ust"], chunk: ["20261126T071235+0000-2"], other: ["notes"] } as const;
    for (const [name, subs] of Object.entries(cases)) {
      for (const s of subs) mkdirSync(join(dir, "tdata", name, s), { recursive: true });
      mkdirSync(join(dir, "tdata", name), { recursive: true });
      const p = join(dir, "tdata", name);
      expect([name, await remoteFiles(t).holdsTraceData(p)]).toEqual([name, await localFiles({}).holdsTraceData(p)]);
    }
    expect(await remoteFiles(t).holdsTraceData(join(dir, "tdata", "ust"))).toBe(true);
    expect(await remoteFiles(t).holdsTraceData(join(dir, "absent"))).toBe(false);
  });

  it("reads the configurations `lttng save` writes on the host, and removes its scratch directory", async () => {
    const name = uniqueName("rfiles");
    sessions.push(name);
    await lttng().controller.createSession({ mode: "snapshot", name, noOutput: true });
    const runner = new LttngRunner({ transport: t });
    let scratch = "";
    const saved = await remoteFiles(t).savedExclusions(async (d) => {
      scratch = d;
      // A configuration with an exclusion, beside the real one (the shared daemon must never hold one).
      writeFileSync(join(d, "with-exclusion.lttng"), "<session><exclusions><exclusion>x:y</exclusion></exclusions></session>");
      await runner.run(saveArgs(name, d, true));
    });
    expect(saved.get(name)).toBe(false);
    expect(saved.get("with-exclusion")).toBe(true);
    expect(scratch).toMatch(/^\/tmp\/td-lttng-save-/);
    const left = await t.exec("test", ["-e", scratch]);
    expect(left.code).toBe(1);
  });
});
