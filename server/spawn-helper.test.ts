/** The process helper: commands run by it answer as they do here, and its death loses nothing silently. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { execHere } from "./lttng/exec";
import { installSpawnHelper, SpawnHelper, spawnHelper } from "./spawn-helper";

// Built by the tests' global set-up with the CLI (scripts/build.mjs bundles every *.worker.ts).
const FILE = resolve("dist/workers/spawn-helper.mjs");
const node = process.execPath;
const helpers: SpawnHelper[] = [];
function helper(): SpawnHelper {
  const h = new SpawnHelper(FILE);
  helpers.push(h);
  return h;
}
afterEach(() => {
  for (const h of helpers.splice(0)) h.stop();
});

describe("process helper", () => {
  it("answers a command exactly as running it here does: output, exit code, signal", async () => {
    const h = helper();
    const script = "process.stdout.write('out é\\n'.repeat(20000)); process.stderr.write('err'); process.exitCode = 3";
    const there = await h.exec(node, ["-e", script], { timeoutMs: 20_000 });
    expect(there).toEqual(await execHere(node, ["-e", script], { timeoutMs: 20_000 }));
    expect(there).toMatchObject({ code: 3, signal: null, stderr: "err", timedOut: false });
    expect(there.stdout).toHaveLength(6 * 20000);
    const killed = await h.exec(node, ["-e", "process.kill(process.pid, 'SIGTERM')"]);
    expect(killed).toMatchObject({ code: null, signal: "SIGTERM", timedOut: false });
  });

  it("forks from the helper, not from this process, and keeps the time limit", async () => {
    const h = helper();
    const r = await h.exec(node, ["-e", "console.log(process.ppid)"]);
    expect(Number(r.stdout)).toBe(h.pid);
    expect(Number(r.stdout)).not.toBe(process.pid);
    const slow = await h.exec("sleep", ["30"], { timeoutMs: 300 });
    expect(slow).toMatchObject({ timedOut: true, signal: "SIGKILL" });
  });

  it("rejects a program that cannot start with Node's own error code, as here", async () => {
    const h = helper();
    const here = await execHere("/nonexistent/tool", []).catch((e: NodeJS.ErrnoException) => e);
    const there = await h.exec("/nonexistent/tool", []).catch((e: NodeJS.ErrnoException) => e);
    expect(there).toBeInstanceOf(Error);
    expect(there).toMatchObject({ code: "ENOENT", syscall: (here as NodeJS.ErrnoException).syscall, message: (here as Error).message });
  });

  it("passes the environment scrubbed of Tracedeck's secrets, and holds none itself", async () => {
    const h = helper();
    const env = { ...process.env, TRACEDECK_ADMIN_PASSWORD: "hunter2", KEEP_ME: "yes" };
    const r = await h.exec(node, ["-e", "console.log(JSON.stringify([process.env.KEEP_ME, process.env.TRACEDECK_ADMIN_PASSWORD ?? null]))"], { env });
    expect(JSON.parse(r.stdout)).toEqual(["yes", null]);
    process.env.TRACEDECK_ADMIN_PASSWORD = "hunter3";
    try {
      const other = helper();
      await other.exec("true", []);
      expect(readFileSync(`/proc/${other.pid}/environ`, "latin1")).not.toContain("hunter3");
    } finally {
      delete process.env.TRACEDECK_ADMIN_PASSWORD;
    }
  });

  it("fails the commands under way when the helper dies, then starts a new one for the next", async () => {
    const h = helper();
    await h.exec("true", []);
    const first = h.pid!;
    const waiting = h.exec("sleep", ["30"], { timeoutMs: 60_000 });
    // The sleep is running (a child of the helper) before the helper is killed.
    await expect.poll(() => readFileSync(`/proc/${first}/task/${first}/children`, "utf8").trim(), { timeout: 10_000 }).not.toBe("");
    process.kill(first, "SIGKILL");
    await expect(waiting).rejects.toThrow(/the process helper killed by SIGKILL; whether sleep ran is unknown/);
    const r = await h.exec(node, ["-e", "console.log(process.ppid)"]);
    expect(Number(r.stdout)).toBe(h.pid);
    expect(h.pid).not.toBe(first);
    expect(h.started).toBe(2);
  });

  it("is not installed when its file was never built: commands are then forked here", async () => {
    expect(installSpawnHelper("/nonexistent/spawn-helper.mjs")).toBeNull();
    expect(spawnHelper()).toBeNull();
  });
});
