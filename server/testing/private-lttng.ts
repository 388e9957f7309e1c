/**
 * A private root LTTng for fault tests: a mount + PID namespace with its own `/run/lttng` and
 * `/dev/shm` (tmpfs), so a root `lttng-sessiond` started inside is a second, independent root
 * daemon that a test may kill without touching the shared one. The `lttng` client, the demo
 * workload and the Tracedeck server under test run inside the same namespace (through
 * `nsenter`); the network namespace is shared, so the test reaches the server and a private
 * relayd on their own loopback ports.
 *
 * Teardown is the kernel's: the namespace's init is a `cat` reading a pipe from this process.
 * Closing the pipe (dispose) — or this process dying, on any failure — ends `cat`, and the end
 * of a PID namespace's init SIGKILLs everything in it; its tmpfs mounts go with the mount
 * namespace. Measured here: namespace ≈ 80 ms, a sessiond inside ≈ 0.6 s, teardown < 1.5 s.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, readFile, readdir, readlink, realpath } from "node:fs/promises";
import { execBounded, type ExecOptions, type ExecResult } from "../lttng/exec";

export interface PrivateLttng {
  /** Host pid of the namespace's init (the `nsenter` target). */
  readonly initPid: number;
  /** Runs a program inside the namespace and waits for it (argument array, bounded). */
  exec(cmd: string, args: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Starts a long-running program inside the namespace, in its own process group (kill -pgid ends all of it). */
  spawn(cmd: string, args: readonly string[], opts?: { env?: NodeJS.ProcessEnv; cwd?: string; log?: (line: string) => void }): ChildProcess;
  /** Where a path inside the namespace (a private tmpfs included) is seen from the host. */
  hostPath(path: string): string;
  /** Mounts a tmpfs of `sizeBytes` at `dir` inside the namespace only (dir is created on the host if absent). */
  mountTmpfs(dir: string, sizeBytes: number, uid?: number): Promise<void>;
  /** Grows or shrinks a tmpfs mounted by `mountTmpfs`. */
  resizeTmpfs(dir: string, sizeBytes: number): Promise<void>;
  /** Host pids of the namespace's processes named `comm` (first 15 characters, as /proc shows). */
  pidsOf(comm: string): Promise<number[]>;
  /** Ends every process of the namespace and its mounts. Idempotent. */
  dispose(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function mustExec(cmd: string, args: readonly string[], run: (c: string, a: readonly string[], o?: ExecOptions) => Promise<ExecResult>): Promise<void> {
  const r = await run(cmd, args, { timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.code ?? r.signal}): ${r.stderr.trim()}`);
}

export async function privateLttng(): Promise<PrivateLttng> {
  const holder = spawn("unshare", ["--mount", "--propagation", "private", "--pid", "--fork", "--mount-proc", "--kill-child", "--", "cat"], {
    stdio: ["pipe", "ignore", "inherit"],
  });
  const exited = new Promise<void>((r) => holder.once("exit", () => r()));
  let initPid = 0;
  for (let i = 0; i < 250 && initPid === 0; i++) {
    try {
      initPid = Number((await readFile(`/proc/${holder.pid}/task/${holder.pid}/children`, "utf8")).trim().split(/\s+/)[0]) || 0;
    } catch {
      /* not forked yet */
    }
    if (initPid === 0) await sleep(20);
  }
  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    holder.stdin?.end();
    const done = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
    if (!done) holder.kill("SIGKILL");
    await exited;
  };
  if (initPid === 0) {
    await dispose();
    throw new Error("unshare did not start the namespace (needs root, mount and PID namespaces)");
  }
  const enter = (cmd: string, args: readonly string[]) => ["-t", String(initPid), "-m", "-p", "--", cmd, ...args];
  const exec = (cmd: string, args: readonly string[], opts: ExecOptions = {}) => execBounded("nsenter", enter(cmd, args), opts);
  const myPidNs = await readlink(`/proc/${initPid}/ns/pid`);

  const ns: PrivateLttng = {
    initPid,
    exec,
    spawn(cmd, args, opts = {}) {
      const child = spawn("nsenter", enter(cmd, args), { env: opts.env ?? process.env, cwd: opts.cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
      const log = opts.log ?? (() => {});
      child.stdout?.setEncoding("utf8").on("data", (s: string) => log(s));
      child.stderr?.setEncoding("utf8").on("data", (s: string) => log(s));
      return child;
    },
    hostPath: (path) => `/proc/${initPid}/root${path}`,
    async mountTmpfs(dir, sizeBytes, uid = 0) {
      await mkdir(dir, { recursive: true });
      await mustExec("mount", ["-t", "tmpfs", "-o", `size=${sizeBytes},mode=0755,uid=${uid}`, "tmpfs", dir], exec);
    },
    async resizeTmpfs(dir, sizeBytes) {
      await mustExec("mount", ["-o", `remount,size=${sizeBytes}`, dir], exec);
    },
    async pidsOf(comm) {
      const out: number[] = [];
      for (const e of await readdir("/proc")) {
        if (!/^\d+$/.test(e)) continue;
        try {
          if ((await readlink(`/proc/${e}/ns/pid`)) !== myPidNs) continue;
          const stat = await readFile(`/proc/${e}/stat`, "utf8");
          const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
          const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
          if (name === comm.slice(0, 15) && state !== "Z") out.push(Number(e));
        } catch {
          /* exited meanwhile */
        }
      }
      return out;
    },
    dispose,
  };
  try {
    // /var/run is a link to /run on Debian: mount on the real directory.
    const rundir = await realpath("/var/run").then((r) => `${r}/lttng`);
    await mkdir(rundir, { recursive: true });
    await mustExec("mount", ["-t", "tmpfs", "-o", "mode=0755", "tmpfs", rundir], exec);
    await mustExec("mount", ["-t", "tmpfs", "-o", "mode=1777", "tmpfs", "/dev/shm"], exec);
  } catch (e) {
    await dispose();
    throw e;
  }
  return ns;
}
