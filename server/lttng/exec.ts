import { spawn } from "node:child_process";
import { childEnv } from "../child-env";
import { spawnHelper } from "../spawn-helper";

export interface ExecResult {
  /** Exit code; null when killed by a signal (including our timeout). */
  code: number | null;
  /** The signal that killed it, if any. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface ExecOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
  cwd?: string;
  /** Own session and process group (setsid), for a daemon that must outlive whoever started it. */
  detached?: boolean;
}

/**
 * Runs a program with an argument array (never a shell), collecting stdout and stderr, and
 * kills it after `timeoutMs`. Rejects only when the program cannot be started at all (or, in
 * the web server, when its process helper died before answering).
 */
export function execBounded(cmd: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const helper = spawnHelper();
  return helper ? helper.exec(cmd, args, opts) : execHere(cmd, args, opts);
}

/** `execBounded` in this process: what the process helper runs, and what the CLI and tests use. */
export function execHere(cmd: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      // Scrubbed whatever the caller passed: no child sees Tracedeck's secrets.
      env: childEnv(opts.env ?? process.env),
      stdio: ["ignore", "pipe", "pipe"],
      uid: opts.uid,
      gid: opts.gid,
      cwd: opts.cwd,
      detached: opts.detached,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), timedOut });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      // A grandchild may still hold the pipes open (a wrapper script): once ours is dead,
      // answer now rather than when the last holder lets go.
      child.once("exit", (code, signal) => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(code, signal);
      });
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      if (!timedOut) finish(code, signal);
    });
  });
}
