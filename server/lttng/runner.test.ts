import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LttngRunner } from "./runner";

// Stand-ins for an `lttng` that misbehaves the ways a real one does when its session daemon
// hangs or dies mid-command. They are scripts run by path with an argument array.
let dir: string;
async function fakeLttng(name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "td-runner-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("LttngRunner when lttng misbehaves", () => {
  it("gives up on a hung lttng at the time limit, even when a child of it holds the output open", { timeout: 15_000 }, async () => {
    // `sleep` is a child of the script: it keeps stdout open after the script is killed. Were
    // the runner to wait for it, this test would run into its own 15 s limit.
    const pidFile = join(dir, "sleep.pid");
    const r = new LttngRunner({ lttngPath: await fakeLttng("hang", `sleep 60 & echo $! > ${pidFile}; wait`), timeoutMs: 300 });
    try {
      await expect(r.run(["list"])).rejects.toMatchObject({ code: "TIMEOUT", message: "lttng list did not finish within 300 ms" });
    } finally {
      const pid = Number(await readFile(pidFile, "utf8").catch(() => "0"));
      if (pid > 0) process.kill(pid, "SIGKILL");
    }
  });

  it("reports LTTng's own message when the command fails half-way", async () => {
    const lttng = await fakeLttng(
      "cut",
      `printf '<?xml version="1.0"?><command><name>list</name>'; echo 'Error: Session daemon closed the connection' >&2; exit 1`,
    );
    await expect(new LttngRunner({ lttngPath: lttng }).run(["list"])).rejects.toMatchObject({
      code: "COMMAND_FAILED",
      message: "Session daemon closed the connection",
      details: { exitCode: 1 },
    });
  });

  it("says which signal killed a silent lttng instead of an empty message", async () => {
    const lttng = await fakeLttng("crash", "kill -SEGV $$");
    await expect(new LttngRunner({ lttngPath: lttng }).run(["list"])).rejects.toMatchObject({ message: "lttng list was killed by SIGSEGV" });
    await expect(new LttngRunner({ lttngPath: lttng }).runText(["list-triggers"])).rejects.toMatchObject({
      message: "lttng list-triggers was killed by SIGSEGV",
    });
  });

  it("reports a missing lttng binary as a tool failure", async () => {
    await expect(new LttngRunner({ lttngPath: join(dir, "no-such-lttng") }).run(["list"])).rejects.toMatchObject({
      code: "TOOL_FAILURE",
      message: expect.stringMatching(/^Cannot run .*no-such-lttng.*No such file/),
    });
  });
});
