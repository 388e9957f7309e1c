/**
 * The web server's processes are started by a small helper process, not by the server itself.
 *
 * Why: Node's spawn forks the calling process and then waits, on the event loop's thread, until
 * the child has exec'd. From a web server of ~1 GB that is 25–30 ms per `lttng` command with
 * every request stalled meanwhile (the load bench's profile: 7.7 s of 108 in `ChildProcess.spawn`),
 * and on a busy machine the wait for the child's exec grows with the load. The helper is forked
 * once, while the server is small, and does the forking from its own ~50 MB; the server only
 * sends it a request and reads an answer over the IPC channel.
 *
 * The helper runs `execHere` (server/lttng/exec.ts) with the options it is given, so a command
 * behaves the same either way. If the helper dies, the commands it was running get an error
 * (whether they ran is not known: an `lttng create` may have), and the next command starts a
 * new helper. The helper leaves with the server (IPC disconnect); the processes it started
 * do not: a daemon started through it has its own session.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { childEnv } from "./child-env";
import type { ExecOptions, ExecResult } from "./lttng/exec";
import { moduleLogger } from "./log";

const log = moduleLogger("spawn-helper");

/** What the server sends: one command, its options resolved (the environment already scrubbed). */
export interface HelperRequest {
  id: number;
  cmd: string;
  args: readonly string[];
  opts: ExecOptions;
}

/** A spawn failure as it crossed the channel: the fields callers read from Node's error. */
export interface HelperError {
  message: string;
  code?: string;
  errno?: number;
  syscall?: string;
  path?: string;
}

export type HelperReply = { id: number; ok: true; result: ExecResult } | { id: number; ok: false; error: HelperError };

// The helper's own time limit is the command's; this one only catches a helper that stopped answering.
const BACKSTOP_MS = 15_000;

interface Pending {
  resolve: (r: ExecResult) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  what: string;
}

export class SpawnHelper {
  private child: ChildProcess | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private starts = 0;

  constructor(private readonly file: string) {}

  /** How many helper processes this client has started (a new one after each death). */
  get started(): number {
    return this.starts;
  }

  /** The running helper's pid, if one runs. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Starts the helper now (the server calls it at start-up, while the fork is cheap). */
  start(): void {
    if (this.child) return;
    this.starts += 1;
    const child = spawn(process.execPath, [this.file], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: childEnv(process.env),
      serialization: "json",
    });
    this.child = child;
    child.on("message", (m: HelperReply) => this.onMessage(m));
    child.on("error", (err) => this.onGone(child, `cannot start: ${err.message}`));
    child.on("exit", (code, signal) => this.onGone(child, signal ? `killed by ${signal}` : `exited with code ${code}`));
    this.idle();
  }

  exec(cmd: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    this.start();
    const child = this.child!;
    const id = this.nextId++;
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const req: HelperRequest = { id, cmd, args, opts: { ...opts, timeoutMs, env: childEnv(opts.env ?? process.env) } };
    return new Promise<ExecResult>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(id, `the process helper did not answer within ${timeoutMs + BACKSTOP_MS} ms`), timeoutMs + BACKSTOP_MS);
      this.pending.set(id, { resolve, reject, timer, what: cmd });
      this.busy();
      child.send(req, (err) => {
        if (err) this.fail(id, `cannot reach the process helper: ${err.message}`);
      });
    });
  }

  /** Ends the helper (tests); commands it runs go on, their answers are lost. */
  stop(): void {
    const child = this.child;
    if (!child) return;
    this.onGone(child, "stopped");
    child.disconnect();
  }

  private onMessage(m: HelperReply): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.settle(m.id, p);
    if (m.ok) p.resolve(m.result);
    else p.reject(Object.assign(new Error(m.error.message), m.error));
  }

  private fail(id: number, message: string): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.settle(id, p);
    p.reject(new Error(`${message}; whether ${p.what} ran is unknown`));
  }

  private settle(id: number, p: Pending): void {
    clearTimeout(p.timer);
    this.pending.delete(id);
    if (this.pending.size === 0) this.idle();
  }

  private onGone(child: ChildProcess, why: string): void {
    if (this.child !== child) return;
    this.child = null;
    if (this.pending.size > 0) log.error({ why, pending: this.pending.size }, "the process helper is gone with commands under way");
    for (const id of [...this.pending.keys()]) this.fail(id, `the process helper ${why}`);
  }

  // An idle helper must not keep a process alive (the CLI, a test): referenced only while a command waits.
  private busy(): void {
    this.child?.ref();
    this.child?.channel?.ref();
  }

  private idle(): void {
    this.child?.unref();
    this.child?.channel?.unref();
  }
}

// On globalThis: Next loads this module once per bundle (instrumentation, each route), and
// every one of them must find the helper the start-up installed.
const g = globalThis as unknown as { tracedeckSpawnHelper?: SpawnHelper };

/**
 * From now on `execBounded` starts processes through a helper running `file`; the helper starts
 * now. Without the file (a checkout never built) the server forks them itself, slower but working.
 */
export function installSpawnHelper(file: string): SpawnHelper | null {
  if (!g.tracedeckSpawnHelper && !existsSync(file)) {
    log.warn({ file }, "no process helper built (npm run build): the server forks its commands itself");
    return null;
  }
  g.tracedeckSpawnHelper ??= new SpawnHelper(file);
  g.tracedeckSpawnHelper.start();
  return g.tracedeckSpawnHelper;
}

/** The helper `execBounded` goes through, if the server installed one. */
export function spawnHelper(): SpawnHelper | null {
  return g.tracedeckSpawnHelper ?? null;
}
