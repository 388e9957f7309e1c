import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ensureSessiond } from "../testing/record";
import { DaemonManager } from "./daemons";
import { doctor } from "./doctor";
import { LttngRunner } from "./runner";
import { isolatedDaemon } from "./testing";

describe("doctor report", () => {
  it("reports LTTng, the root daemon, the missing kernel tracer and babeltrace2 on this machine", async () => {
    await ensureSessiond();
    const run = await mkdtemp(join(tmpdir(), "td-doctor-"));
    try {
      const daemons = new DaemonManager({
        runDir: run,
        relaydOutputDir: join(run, "relayd"),
        relayd: { host: "127.0.0.1", controlPort: 55342, dataPort: 55343, livePort: 55344 },
      });
      const r = await doctor(new LttngRunner(), daemons);
      expect(r.lttngVersion).toBe("2.13.9");
      expect(r.sessiond).toMatchObject({ running: true, version: "2.13.9", uid: 0 });
      expect(r.kernelTracer).toEqual({ available: false, message: "Kernel tracer not available" });
      expect(r.babeltrace2).toEqual({ present: true, version: "2.0.4" });
      // Nothing listens on the configured relay ports of this report.
      expect(r.relayd.running).toBe(false);
      expect(Object.fromEntries(r.checks.map((c) => [c.name, c.ok]))).toEqual({
        lttng: true,
        sessiond: true,
        relayd: false,
        "kernel tracer": false,
        babeltrace2: true,
      });
    } finally {
      await rm(run, { recursive: true, force: true });
    }
  });

  it("cannot tell about the kernel tracer without a session daemon", async () => {
    const iso = await isolatedDaemon();
    try {
      const r = await doctor(new LttngRunner(iso.target), iso.daemons);
      expect(r.sessiond.running).toBe(false);
      expect(r.kernelTracer).toEqual({ available: null, message: "unknown: the session daemon is not running" });
      expect(r.checks.find((c) => c.name === "sessiond")).toEqual({ name: "sessiond", ok: false, detail: "session daemon not running" });
    } finally {
      await iso.cleanup();
    }
  });
});
