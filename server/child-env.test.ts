/**
 * Issue #9 finding 7: children inherited TRACEDECK_ADMIN_PASSWORD and DATABASE_URL, and
 * concurrent demo-workload starts all passed the running-count check. Real processes here.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { execBounded } from "./lttng/exec";
import { targetEnv } from "./lttng/runner";
import { DemoWorkloadManager } from "./workload/manager";

const workDir = mkdtempSync(join(tmpdir(), "td-child-env-"));
const manager = new DemoWorkloadManager({ workDir, maxRunning: 2 });
afterAll(async () => {
  await manager.stopAll();
  rmSync(workDir, { recursive: true, force: true });
});

process.env.TRACEDECK_ADMIN_PASSWORD = "leaked-admin-password";
process.env.DATABASE_URL = "postgres://tracedeck:leaked-db-password@127.0.0.1/tracedeck";

describe("child processes", () => {
  it("do not receive Tracedeck's secrets: lttng and daemons (execBounded, targetEnv) and the demo workload", async () => {
    const r = await execBounded("env", []);
    expect(r.stdout).toContain("PATH=");
    expect(r.stdout).not.toMatch(/leaked-(admin|db)-password/);
    // Even when a caller builds the environment from process.env itself.
    const r2 = await execBounded("env", [], { env: { ...process.env, EXTRA: "1" } });
    expect(r2.stdout).toContain("EXTRA=1");
    expect(r2.stdout).not.toMatch(/leaked-(admin|db)-password/);
    expect(JSON.stringify(targetEnv({}))).not.toMatch(/leaked-(admin|db)-password/);
    const started = await manager.start({ rate: 10, duration: 0 });
    const environ = readFileSync(`/proc/${started.pid}/environ`, "utf8");
    expect(environ).toContain("TRACEDECK_PARENT_PID=");
    expect(environ).not.toMatch(/leaked-(admin|db)-password/);
    await manager.stop(started.id);
  });

  it("start at most maxRunning demo workloads, even when the starts arrive together", async () => {
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => manager.start({ rate: 10, duration: 0 })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused.map((r) => (r.reason as Error).message)).toEqual(Array(3).fill("Cannot start another demo workload: 2 are already running"));
    expect(manager.runningCount()).toBe(2);
  });
});
