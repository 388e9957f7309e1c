/**
 * Test helper: records a real LTTng trace of the demo workload (or of the Python demo).
 *
 * It drives the root session daemon through the product's runner (`lttng --no-sessiond
 * --mi xml`, server/lttng/runner.ts) but with raw command lines: a fixture should not depend
 * on the session layer it helps to test. Every session it creates has a unique name with a
 * per-process prefix and is destroyed, also when a step fails.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { execBounded } from "../lttng/exec";
import { findByComm } from "../lttng/proc";
import { LttngRunner, type MiRun } from "../lttng/runner";
import { demoWorkloadPaths, ensureWorkloadBuilt } from "../workload/build";

/** The interpreter that has the LTTng Python agent (Debian's python3-lttngust). */
export const SYSTEM_PYTHON = "/usr/bin/python3";

const LTTNG_TIMEOUT_MS = 60_000;

export interface ChannelOptions {
  name?: string;
  /** Bytes, or an lttng size string ("512k", "1M"). */
  subbufSize?: number | string;
  numSubbuf?: number;
  tracefileSize?: number | string;
  tracefileCount?: number;
  overwrite?: boolean;
}

export interface RecordOptions {
  /** Part of the session name, for humans reading `lttng list`. */
  name?: string;
  /** Event rules: tracepoint names/wildcards (UST) or logger names (Python; "*" = all). */
  events: string[];
  domain?: "ust" | "python";
  /** Context types for `add-context -t` (vpid, vtid, procname, ...). */
  contexts?: string[];
  /** UST only: a channel with these attributes instead of the default one. */
  channel?: ChannelOptions;
  /** Arguments of workload/build/tracedeck-demo, or "python" for workload/python_demo.py. */
  workload: string[] | "python";
  /** Arguments of python_demo.py when `workload` is "python". */
  pythonArgs?: string[];
  /** Parent directory: the trace is written to `<outDir>/<sessionName>`. */
  outDir: string;
  /** Kill the workload (and fail) after this long. Default 90 s. */
  timeoutMs?: number;
}

export interface WorkloadRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The workload's last JSON stdout line (`{"type":"summary",...}`), if it printed one. */
  summary: Record<string, unknown> | undefined;
}

export interface RecordResult {
  /** The trace directory (give it to babeltrace2 or the CTF reader). */
  path: string;
  sessionName: string;
  workload: WorkloadRun;
}

/** Unique per test process, so concurrent test files never share a session name. */
export const SESSION_PREFIX = `tdt-${process.pid}-${randomBytes(3).toString("hex")}`;
let sessionCounter = 0;

export function uniqueSessionName(name = "rec"): string {
  sessionCounter += 1;
  return `${SESSION_PREFIX}-${name.replace(/[^A-Za-z0-9_-]/g, "_")}-${sessionCounter}`;
}

const runner = new LttngRunner({ timeoutMs: LTTNG_TIMEOUT_MS });

/** Runs `lttng --no-sessiond --mi xml ARGS` on the root daemon; throws an LttngError with lttng's message. */
export function lttng(args: string[]): Promise<MiRun> {
  return runner.run(args);
}

async function sessiondRunning(): Promise<boolean> {
  return (await findByComm("lttng-sessiond")).length > 0;
}

/**
 * Makes sure the root session daemon runs: starts `lttng-sessiond -d` if none does. It is
 * shared with other tests and a running dashboard, so it is never stopped here.
 */
export async function ensureSessiond(): Promise<void> {
  if (await sessiondRunning()) return;
  // Two test files may race here; the loser's daemon exits and the check below still passes.
  await execBounded("lttng-sessiond", ["-d"], { timeoutMs: LTTNG_TIMEOUT_MS });
  for (let i = 0; i < 50; i++) {
    if ((await execBounded("lttng", ["--no-sessiond", "list"], { timeoutMs: LTTNG_TIMEOUT_MS })).code === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("lttng-sessiond did not come up within 5 s");
}

interface RunningWorkload {
  pid: number;
  /** Lets the workload start serving (it waits with --start-on-stdin). */
  release(): void;
  kill(): void;
  done: Promise<WorkloadRun>;
}

async function spawnWorkload(file: string, args: string[], cwd: string, timeoutMs: number): Promise<RunningWorkload> {
  const child = spawn(file, args, { cwd, stdio: ["pipe", "pipe", "pipe"] });
  await new Promise<void>((ok, fail) => {
    child.once("spawn", ok);
    child.once("error", fail);
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  // A workload that already exited makes writes to its stdin fail with EPIPE: not our error.
  child.stdin!.on("error", () => undefined);
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const done = new Promise<WorkloadRun>((resolveRun) => {
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      resolveRun({ exitCode, signal, stdout, stderr, summary: lastJsonLine(stdout) });
    });
  });
  return {
    pid: child.pid!,
    release: () => child.stdin!.end("go\n"),
    kill: () => child.kill("SIGKILL"),
    done,
  };
}

function lastJsonLine(text: string): Record<string, unknown> | undefined {
  const lines = text.trim().split("\n").reverse();
  for (const line of lines) {
    if (!line.startsWith("{")) continue;
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function channelArgs(c: ChannelOptions): string[] {
  const a: string[] = [];
  if (c.subbufSize !== undefined) a.push(`--subbuf-size=${c.subbufSize}`);
  if (c.numSubbuf !== undefined) a.push(`--num-subbuf=${c.numSubbuf}`);
  if (c.tracefileSize !== undefined) a.push(`--tracefile-size=${c.tracefileSize}`);
  if (c.tracefileCount !== undefined) a.push(`--tracefile-count=${c.tracefileCount}`);
  if (c.overwrite) a.push("--overwrite");
  return a;
}

/**
 * Records one trace: create → track no process → (channel) → events → contexts → start →
 * spawn the workload (waiting, `--start-on-stdin`) → track its vpid → let it run to
 * completion → stop → destroy. Only that process's events are recorded, even if other tests
 * run the same program meanwhile. Returns the trace directory. Throws if any step fails or
 * the workload exits non-zero; the session is destroyed in every case.
 */
export async function recordTrace(opts: RecordOptions): Promise<RecordResult> {
  const domain = opts.domain ?? (opts.workload === "python" ? "python" : "ust");
  const sessionName = uniqueSessionName(opts.name);
  const outDir = resolve(opts.outDir);
  const path = resolve(outDir, sessionName);
  mkdirSync(outDir, { recursive: true });

  let file: string;
  let args: string[];
  if (opts.workload === "python") {
    file = SYSTEM_PYTHON;
    args = [demoWorkloadPaths().pythonDemo, ...(opts.pythonArgs ?? [])];
  } else {
    file = await ensureWorkloadBuilt();
    args = opts.workload;
  }
  await ensureSessiond();

  await lttng(["create", sessionName, "-o", path]);
  let running: RunningWorkload | undefined;
  try {
    // Other tests may run the same programs at the same time, and event rules match every
    // app: record only our workload's process (tracked below, before it starts serving).
    await lttng(["untrack", "-u", "-s", sessionName, "--vpid", "--all"]);
    let channel: string | undefined;
    if (domain === "ust" && opts.channel) {
      channel = opts.channel.name ?? "chan";
      await lttng(["enable-channel", "-u", "-s", sessionName, ...channelArgs(opts.channel), channel]);
    }
    if (domain === "python") {
      const all = opts.events.length === 0 || opts.events.includes("*");
      await lttng(["enable-event", "-p", "-s", sessionName, ...(all ? ["-a"] : [opts.events.join(",")])]);
      // The agent's events go through this fixed UST channel, created by enable-event -p.
      channel = "lttng_python_channel";
    } else {
      await lttng(["enable-event", "-u", "-s", sessionName, ...(channel ? ["-c", channel] : []), opts.events.join(",")]);
    }
    if (opts.contexts && opts.contexts.length > 0) {
      const types = opts.contexts.flatMap((t) => ["-t", t]);
      await lttng(["add-context", "-u", "-s", sessionName, ...(channel ? ["-c", channel] : []), ...types]);
    }
    await lttng(["start", sessionName]);
    running = await spawnWorkload(file, [...args, "--start-on-stdin"], outDir, opts.timeoutMs ?? 90_000);
    await lttng(["track", "-u", "-s", sessionName, "--vpid", String(running.pid)]);
    running.release();
    const workload = await running.done;
    running = undefined;
    // `stop` waits until the buffers are flushed to disk, so the trace is complete after it.
    await lttng(["stop", sessionName]);
    if (workload.exitCode !== 0) {
      throw new Error(`Workload ${file} ${args.join(" ")} failed (exit ${workload.exitCode}, signal ${workload.signal}): ${workload.stderr.trim()}`);
    }
    return { path, sessionName, workload };
  } finally {
    running?.kill();
    await running?.done;
    await lttng(["destroy", sessionName]).catch(() => undefined);
  }
}
