/** Reading processes from /proc: the listening sockets of a process, and their memo. */
import { execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { fdUsage, listeningPortsOf, listeningPortsOfProcess, readStat } from "./proc";

const servers: Server[] = [];
async function listen(): Promise<number> {
  const s = createServer();
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const a = s.address();
  if (typeof a !== "object" || a === null) throw new Error("no port");
  return a.port;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe("listening sockets of a process", () => {
  it("finds this process's own listening port, with its address", async () => {
    const port = await listen();
    expect(await listeningPortsOf(process.pid)).toContainEqual(expect.objectContaining({ address: "127.0.0.1", port }));
  });

  it("remembers them per process (pid and start time) for the age given, and reads again for another start time", async () => {
    const st = (await readStat(process.pid))!;
    const first = await listen();
    expect((await listeningPortsOfProcess(st, 60_000)).map((s) => s.port)).toContain(first);
    const second = await listen();
    // The same process within the age: the memo, which has not seen the second port.
    expect((await listeningPortsOfProcess(st, 60_000)).map((s) => s.port)).not.toContain(second);
    // A process on the same pid with another start time (pid reuse) is read afresh.
    expect((await listeningPortsOfProcess({ ...st, startTime: st.startTime + 1 }, 60_000)).map((s) => s.port)).toContain(second);
    // So is the same process once the age has passed.
    expect((await listeningPortsOfProcess(st, 0)).map((s) => s.port)).toContain(second);
  });
});

describe("file descriptors of a process", () => {
  it("counts them against the soft limit, and says when they reach 80 % of it", async () => {
    const child = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      await new Promise((r) => child.once("spawn", r));
      const pid = child.pid!;
      // "spawn" comes at exec: the dynamic loader may still hold a library open. Count once sleep sleeps.
      await expect.poll(() => readFileSync(`/proc/${pid}/wchan`, "utf8"), { timeout: 10_000, interval: 5 }).toContain("nanosleep");
      const open = readdirSync(`/proc/${pid}/fd`).length;
      expect(fdUsage(pid)).toMatchObject({ open, nearLimit: false });
      // Soft limits only: raising a hard one again needs CAP_SYS_RESOURCE, which this machine's root lacks.
      // The largest limit of which `open` is 80 %, then one more: either side of the line, whatever
      // `open` is (3 with stdio alone; more when the runner leaks a descriptor into children).
      const atLine = Math.floor(open / 0.8);
      execFileSync("prlimit", [`--pid=${pid}`, `--nofile=${atLine}:`]);
      expect(fdUsage(pid)).toEqual({ open, limit: atLine, nearLimit: true });
      execFileSync("prlimit", [`--pid=${pid}`, `--nofile=${atLine + 1}:`]);
      expect(fdUsage(pid)).toEqual({ open, limit: atLine + 1, nearLimit: false });
    } finally {
      child.kill();
    }
    expect(fdUsage(2 ** 22 + 1)).toBeNull();
  });
});
