/**
 * Test helpers for the live viewer: live sessions on a real relay daemon (unique names,
 * destroyed by the caller, also on failure) and the demo workload run as a separate app.
 * Imported only by tests and the live bench.
 */
import { spawn } from "node:child_process";
import { readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LttngRunner } from "../lttng/runner";
import { ensureSessiond, uniqueSessionName } from "../testing/record";
import { ensureWorkloadBuilt } from "../workload/build";
import { DaemonManager } from "../lttng/daemons";
import { config } from "../config";

const runner = new LttngRunner({ timeoutMs: 60_000 });

export const lttng = (args: string[]) => runner.run(args);

export interface LiveSessionOptions {
  tag: string;
  /** An exact name (to re-create a session); default a unique one from `tag`. */
  name?: string;
  /** Relay control/data URL (default the shared relay, net://127.0.0.1). */
  url?: string;
  liveTimerUs?: number;
  /** false: a streaming session without --live (to test the refusal). */
  live?: boolean;
  buffers?: "uid" | "pid";
  events?: string[];
  /** Record only processes tracked later with `trackPid` (others' demos run meanwhile). */
  trackNothing?: boolean;
}

export interface LiveSession {
  name: string;
  /** `lttng stop`: returns once the relay holds every packet recorded so far. */
  stop(): Promise<void>;
  trackPid(pid: number): Promise<void>;
  destroy(): Promise<void>;
}

export async function createLiveSession(o: LiveSessionOptions): Promise<LiveSession> {
  await ensureSessiond();
  const name = o.name ?? uniqueSessionName(o.tag);
  const url = o.url ?? "net://127.0.0.1";
  await lttng(["create", name, ...(o.live === false ? [] : [`--live=${o.liveTimerUs ?? 100_000}`]), "-U", url]);
  const session: LiveSession = {
    name,
    stop: async () => {
      await lttng(["stop", name]);
    },
    trackPid: async (pid) => {
      await lttng(["track", "-u", "-s", name, "--vpid", String(pid)]);
    },
    // `stop` first: it waits until the relay holds every packet (data pending). A bare
    // destroy closes the control connection while the last packets may still be on the
    // data connection, and relayd 2.13.9 then answers HUP to viewers without them.
    destroy: async () => {
      await lttng(["stop", name]).catch(() => undefined);
      await lttng(["destroy", name]).catch(() => undefined);
    },
  };
  try {
    if (o.trackNothing) await lttng(["untrack", "-u", "-s", name, "--vpid", "--all"]);
    if (o.buffers === "pid") await lttng(["enable-channel", "-u", "-s", name, "--buffers-pid", "chan"]);
    await lttng(["enable-event", "-u", "-s", name, ...(o.buffers === "pid" ? ["-c", "chan"] : []), (o.events ?? ["tracedeck_demo:*"]).join(",")]);
    await lttng(["start", name]);
  } catch (e) {
    await session.destroy();
    throw e;
  }
  return session;
}

export interface DemoRun {
  pid: number;
  /** Lets it serve (it waits with --start-on-stdin). */
  release(): void;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** SIGTERM: the demo finishes its requests and exits 0. */
  terminate(): void;
  kill(): void;
}

/** Spawns the demo waiting on stdin, so that the caller can track its vpid first. */
export async function spawnDemo(args: string[]): Promise<DemoRun> {
  const file = await ensureWorkloadBuilt();
  // lttng-ust gives up registering after 3 s on a loaded machine (server/lttng/README.md).
  // Its temp files go to the OS temp dir, not the checkout (a killed demo leaves them).
  const child = spawn(file, [...args, "--dir", tmpdir(), "--start-on-stdin"], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, LTTNG_UST_REGISTER_TIMEOUT: "-1" },
  });
  await new Promise<void>((ok, fail) => {
    child.once("spawn", ok);
    child.once("error", fail);
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  child.stdin!.on("error", () => undefined);
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
  return { pid: child.pid!, release: () => child.stdin!.end("go\n"), done, terminate: () => child.kill("SIGTERM"), kill: () => child.kill("SIGKILL") };
}

/** Where the shared relay writes (from its command line), for comparing with babeltrace2. */
export async function relayOutputDir(): Promise<string> {
  const c = config();
  const st = await new DaemonManager({ runDir: c.runDir, relaydOutputDir: c.relaydOutputDir, relayd: c.relayd }).relaydStatus();
  if (!st.running || !st.outputDir) throw new Error("lttng-relayd is not running (or its output directory is unknown)");
  return st.outputDir;
}

/**
 * Removes what the shared relay wrote for a session (`<relay out>/<host>/<name>-YYYYMMDD-HHMMSS`
 * only), so that live tests leave no trace behind.
 */
export async function removeRelayOutput(name: string): Promise<void> {
  const base = await relayOutputDir().catch(() => null);
  if (!base) return;
  for (const host of await readdir(base, { withFileTypes: true }).catch(() => [])) {
    if (!host.isDirectory()) continue;
    for (const e of await readdir(join(base, host.name), { withFileTypes: true }))
      if (e.isDirectory() && e.name.startsWith(`${name}-`) && /^\d{8}-\d{6}$/.test(e.name.slice(name.length + 1)))
        await rm(join(base, host.name, e.name), { recursive: true, force: true });
  }
}

/** Polls `fn` until it returns a value (bounded). */
export async function until<T>(fn: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
