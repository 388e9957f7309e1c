/**
 * Lifecycle of the two LTTng daemons Tracedeck depends on: find them (pid, version, ports),
 * start them when absent, notice when one dies, and stop only those Tracedeck started
 * (recorded in `<runDir>/{sessiond,relayd}.pid` as `PID STARTTIME`, so a recycled pid is
 * never mistaken for ours).
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { moduleLogger } from "../log";
import { LttngError } from "./errors";
import { execBounded } from "./exec";
import {
  fdUsage,
  findByComm,
  isAlive,
  listeningPortsOfProcess,
  readCmdline,
  readCwd,
  readEnvVar,
  readStat,
  readUid,
  type FdUsage,
  type ListeningSocket,
  type ProcStat,
} from "./proc";
import { targetEnv, type LttngTarget } from "./runner";
import { SYSTEM_BIN_DIRS, checkDaemonProcess, installedVersion, trustedBinary, type ProcessTrust, type TrustedBinary } from "./trust";

const log = moduleLogger("lttng");

export interface DaemonStatus {
  running: boolean;
  pid: number | null;
  /** `2.13.9`; null when not running or unknown. */
  version: string | null;
  /** Tracedeck started this process (and so may stop it). */
  ownedByTracedeck: boolean;
  /** Owner uid of the process. */
  uid: number | null;
  /** TCP ports the daemon listens on. */
  listening: ListeningSocket[];
  /**
   * Its file descriptors against its limit (null when not running). lttng-relayd 2.13.9 keeps
   * 3 per `snapshot record` sent to it (2 connections from the consumer daemon and the
   * session's directory) until it exits, destroyed sessions included (lttng-facts.md): a
   * relay that takes a snapshot per spike runs out after some thousands.
   */
  fds: FdUsage | null;
  /** One line for the UI: "session daemon not running", "running (pid 42)". */
  message: string;
  /**
   * A process that looks like this daemon (its name; for relayd, the control port) but is not
   * trusted (server/lttng/trust.ts): reported, never used, never run. `running` is false then.
   */
  untrusted: { pid: number; uid: number | null; exe: string | null; reason: string } | null;
}

export interface SessiondStatus extends DaemonStatus {
  /** Directory of the daemon's sockets and pid file. */
  rundir: string;
  /** TCP port of the agent (JUL/log4j/Python) listener. */
  agentPort: number | null;
}

export interface RelaydStatus extends DaemonStatus {
  /** The ports Tracedeck expects (from the configuration). */
  expected: { host: string; controlPort: number; dataPort: number; livePort: number };
  /** Where this relayd writes (`-o`, else LTTng's default `$LTTNG_HOME/lttng-traces`); null when not running. */
  outputDir: string | null;
}

export interface HealthStatus {
  /** Both daemons run. The UI shows red on every page otherwise. */
  ok: boolean;
  sessiond: SessiondStatus;
  relayd: RelaydStatus;
  checkedAt: Date;
}

export interface DaemonManagerOptions {
  target?: LttngTarget;
  /** Where the pid files of daemons we started go (`config().runDir`). */
  runDir: string;
  /** `lttng-relayd -o`. */
  relaydOutputDir: string;
  relayd: { host: string; controlPort: number; dataPort: number; livePort: number };
  sessiondPath?: string;
  relaydPath?: string;
}

interface OwnedRecord {
  pid: number;
  startTime: number;
}

const GLOBAL_RUNDIR = "/var/run/lttng";
/** How long a daemon's listening sockets are taken as known (proc.ts listeningPortsOfProcess). */
const LISTENING_MAX_AGE_MS = 5_000;

export class DaemonManager {
  readonly target: LttngTarget;
  private readonly opts: DaemonManagerOptions;

  constructor(opts: DaemonManagerOptions) {
    this.opts = opts;
    this.target = opts.target ?? {};
  }

  /** The session daemon's run directory for this target. */
  get rundir(): string {
    return this.target.lttngHome ? join(this.target.lttngHome, ".lttng") : GLOBAL_RUNDIR;
  }

  private pidFile(which: "sessiond" | "relayd"): string {
    return join(this.opts.runDir, `${which}.pid`);
  }

  private async readOwned(which: "sessiond" | "relayd"): Promise<OwnedRecord | null> {
    try {
      const [pid, startTime] = (await readFile(this.pidFile(which), "utf8")).trim().split(/\s+/).map(Number);
      if (!pid || startTime === undefined || Number.isNaN(startTime)) return null;
      return { pid, startTime };
    } catch {
      return null;
    }
  }

  private async writeOwned(which: "sessiond" | "relayd", pid: number): Promise<void> {
    const st = await readStat(pid);
    if (!st) return;
    await mkdir(this.opts.runDir, { recursive: true });
    await writeFile(this.pidFile(which), `${pid} ${st.startTime}\n`);
  }

  private async isOwned(which: "sessiond" | "relayd", pid: number): Promise<boolean> {
    const rec = await this.readOwned(which);
    if (!rec || rec.pid !== pid) return false;
    const st = await readStat(pid);
    return st !== null && st.startTime === rec.startTime;
  }

  /** The installed binary of a daemon (see trust.ts); looked up on each check, as packages may change. */
  private binary(which: "sessiond" | "relayd"): Promise<TrustedBinary | null> {
    return trustedBinary(which === "sessiond" ? (this.opts.sessiondPath ?? "lttng-sessiond") : (this.opts.relaydPath ?? "lttng-relayd"));
  }

  /** Root, and the configured daemon user. */
  private get allowedUids(): number[] {
    const u = this.target.user?.uid;
    return u === undefined || u === 0 ? [0] : [0, u];
  }

  private async trustOf(which: "sessiond" | "relayd", pid: number): Promise<{ trust: ProcessTrust; binary: TrustedBinary | null }> {
    const binary = await this.binary(which);
    return { trust: await checkDaemonProcess(pid, binary, this.allowedUids), binary };
  }

  /** The main sessiond process of this target, trusted or not (callers check), if running. */
  private async findSessiondPid(): Promise<number | null> {
    try {
      const pid = Number((await readFile(join(this.rundir, "lttng-sessiond.pid"), "utf8")).trim());
      const st = pid > 0 ? await readStat(pid) : null;
      if (st?.comm === "lttng-sessiond") return pid;
    } catch {
      /* no pid file: look for the process */
    }
    const wantUid = this.target.user?.uid ?? 0;
    for (const st of await findByComm("lttng-sessiond")) {
      const parent = await readStat(st.ppid);
      if (parent?.comm === "lttng-sessiond") continue;
      if ((await readUid(st.pid)) !== wantUid) continue;
      if (this.target.lttngHome && (await readEnvVar(st.pid, "LTTNG_HOME")) !== this.target.lttngHome) continue;
      return st.pid;
    }
    return null;
  }

  /** The running session daemon's version only (cheaper than `sessiondStatus`); null when none runs. */
  async sessiondVersion(): Promise<string | null> {
    const pid = await this.findSessiondPid();
    if (pid === null) return null;
    const { trust, binary } = await this.trustOf("sessiond", pid);
    return trust.trusted && binary ? installedVersion(binary) : null;
  }

  async sessiondStatus(): Promise<SessiondStatus> {
    const pid = await this.findSessiondPid();
    const rundir = this.rundir;
    const absent = { running: false, pid: null, version: null, ownedByTracedeck: false, uid: null, listening: [], fds: null, rundir, agentPort: null };
    if (pid === null) return { ...absent, message: "session daemon not running", untrusted: null };
    const { trust, binary } = await this.trustOf("sessiond", pid);
    if (!trust.trusted) {
      const reason = trust.reason ?? "not trusted";
      log.warn({ pid, uid: trust.uid, exe: trust.exe, reason }, "ignoring an untrusted lttng-sessiond");
      return {
        ...absent,
        message: `session daemon not running (pid ${pid} is named lttng-sessiond but is not trusted: ${reason})`,
        untrusted: { pid, uid: trust.uid, exe: trust.exe, reason },
      };
    }
    let agentPort: number | null = null;
    try {
      agentPort = Number((await readFile(join(rundir, "agent.port"), "utf8")).trim()) || null;
    } catch {
      /* agent port is optional */
    }
    const [version, owned, uid, listening] = await Promise.all([
      binary ? installedVersion(binary) : null,
      this.isOwned("sessiond", pid),
      readUid(pid),
      readStat(pid).then((st) => (st === null ? [] : listeningPortsOfProcess(st, LISTENING_MAX_AGE_MS))),
    ]);
    return {
      running: true,
      pid,
      version,
      ownedByTracedeck: owned,
      uid,
      listening,
      fds: fdUsage(pid),
      message: `session daemon running (pid ${pid})`,
      rundir,
      agentPort,
      untrusted: null,
    };
  }

  /**
   * The process named lttng-relayd that listens on the configured control port (any
   * address), with its trust: it is ours to use only if trusted and bound to the configured
   * address itself.
   */
  private async findRelayd(): Promise<{ pid: number; listening: ListeningSocket[]; trust: ProcessTrust; binary: TrustedBinary | null } | null> {
    const last = this.lastRelayd;
    if (last !== undefined) {
      // The relay found last, if it is the same process (pid and start time) and still ours on
      // the control port: a status poll then reads a few files instead of every process's.
      const st = await readStat(last.pid);
      const found = st !== null && st.startTime === last.startTime && st.comm === "lttng-relayd" ? await this.relaydIfListening(st) : null;
      if (found?.trust.trusted === true) return found;
      this.lastRelayd = undefined;
    }
    const found = await this.walkForRelayd();
    if (found?.trust.trusted === true) {
      const st = await readStat(found.pid);
      if (st !== null) this.lastRelayd = { pid: st.pid, startTime: st.startTime };
    }
    return found;
  }

  /** The relay found by the last status that trusted it (see findRelayd). */
  private lastRelayd: { pid: number; startTime: number } | undefined;

  private async walkForRelayd(): Promise<{ pid: number; listening: ListeningSocket[]; trust: ProcessTrust; binary: TrustedBinary | null } | null> {
    for (const st of await findByComm("lttng-relayd")) {
      const found = await this.relaydIfListening(st);
      if (found !== null) return found;
    }
    return null;
  }

  /** `st` as the relay if it is a main relayd process listening on the control port (any address), with its trust. */
  private async relaydIfListening(
    st: ProcStat,
  ): Promise<{ pid: number; listening: ListeningSocket[]; trust: ProcessTrust; binary: TrustedBinary | null } | null> {
    const { host, controlPort } = this.opts.relayd;
    const parent = await readStat(st.ppid);
    if (parent?.comm === "lttng-relayd") return null;
    const listening = await listeningPortsOfProcess(st, LISTENING_MAX_AGE_MS);
    if (!listening.some((l) => l.port === controlPort)) return null;
    const { trust, binary } = await this.trustOf("relayd", st.pid);
    if (trust.trusted && !listening.some((l) => l.port === controlPort && l.address === host)) {
      const at = listening
        .filter((l) => l.port === controlPort)
        .map((l) => l.address)
        .join(", ");
      return { pid: st.pid, listening, binary, trust: { ...trust, trusted: false, reason: `it listens on ${at}:${controlPort}, not on ${host}` } };
    }
    return { pid: st.pid, listening, trust, binary };
  }

  async relaydStatus(): Promise<RelaydStatus> {
    const expected = { ...this.opts.relayd };
    const found = await this.findRelayd();
    const absent = { running: false, pid: null, version: null, ownedByTracedeck: false, uid: null, listening: [], fds: null, expected, outputDir: null };
    if (!found) return { ...absent, message: `relay daemon not running on ${expected.host}:${expected.controlPort}`, untrusted: null };
    const { pid, trust } = found;
    if (!trust.trusted) {
      const reason = trust.reason ?? "not trusted";
      log.warn({ pid, uid: trust.uid, exe: trust.exe, reason }, "ignoring an untrusted lttng-relayd");
      return {
        ...absent,
        message: `relay daemon not running on ${expected.host}:${expected.controlPort}: pid ${pid} is named lttng-relayd and holds port ${expected.controlPort} but is not trusted (${reason})`,
        untrusted: { pid, uid: trust.uid, exe: trust.exe, reason },
      };
    }
    const [version, owned, outputDir] = await Promise.all([
      found.binary ? installedVersion(found.binary) : null,
      this.isOwned("relayd", pid),
      relaydOutputDirOf(pid),
    ]);
    const fds = fdUsage(pid);
    return {
      running: true,
      pid,
      version,
      ownedByTracedeck: owned,
      uid: trust.uid,
      listening: found.listening,
      fds,
      message: fds?.nearLimit
        ? `relay daemon running (pid ${pid}), holding ${fds.open} of its ${fds.limit} file descriptors: lttng-relayd 2.13 keeps 3 per snapshot recorded to it until it exits; restart it when no session streams to it`
        : `relay daemon running (pid ${pid})`,
      expected,
      outputDir,
      untrusted: null,
    };
  }

  async health(): Promise<HealthStatus> {
    const [sessiond, relayd] = await Promise.all([this.sessiondStatus(), this.relaydStatus()]);
    return { ok: sessiond.running && relayd.running, sessiond, relayd, checkedAt: new Date() };
  }

  private recentHealth: { at: number; value: Promise<HealthStatus> } | undefined;

  private sharedHealth(maxAgeMs: number): Promise<HealthStatus> {
    if (this.recentHealth === undefined || Date.now() - this.recentHealth.at >= maxAgeMs) {
      this.recentHealth = { at: Date.now(), value: this.health() };
    }
    return this.recentHealth.value;
  }

  /** The trusted installed binary's path, or a clear error; never a PATH lookup. */
  private async requireBinary(which: "sessiond" | "relayd"): Promise<string> {
    const b = await this.binary(which);
    if (b === null) throw new LttngError("COMMAND_FAILED", `Cannot start lttng-${which}: no root-owned lttng-${which} in ${SYSTEM_BIN_DIRS.join(", ")}.`);
    return b.path;
  }

  private spawnOpts() {
    // `-d` daemonizes (fork + setsid) by itself; `detached` makes the launcher its own session
    // too, so that a Ctrl-C, a SIGKILL of our process group or a server crash can never reach
    // a daemon half-way through starting. Daemons outlive the server: only `stop*` ends them.
    return { env: targetEnv(this.target), uid: this.target.user?.uid, gid: this.target.user?.gid, timeoutMs: 30_000, detached: true };
  }

  /** Starts `lttng-sessiond -d` unless one runs; records it as ours. Returns the new status. */
  async startSessiond(): Promise<SessiondStatus> {
    const before = await this.sessiondStatus();
    if (before.running) return before;
    const bin = await this.requireBinary("sessiond");
    const r = await execBounded(bin, ["-d"], this.spawnOpts());
    if (r.code !== 0) {
      throw new LttngError("COMMAND_FAILED", `Cannot start the session daemon: ${r.stderr.trim() || `exit code ${r.code}`}`, {
        stderr: r.stderr,
        exitCode: r.code,
      });
    }
    // `-d` returns once the daemon is ready, but its pid file may land a moment later.
    const pid = await pollFor(() => this.findSessiondPid(), 10_000);
    if (pid === null) throw new LttngError("COMMAND_FAILED", "The session daemon was started but is not running", { stderr: r.stderr });
    await this.writeOwned("sessiond", pid);
    log.info({ pid, lttngHome: this.target.lttngHome }, "started lttng-sessiond");
    return this.sessiondStatus();
  }

  /** Starts relayd bound to loopback on the configured ports unless one listens there. */
  async startRelayd(): Promise<RelaydStatus> {
    const before = await this.relaydStatus();
    if (before.running) return before;
    if (before.untrusted) throw new LttngError("NOT_ALLOWED", `Cannot start the relay daemon: ${before.message}.`);
    const { host, controlPort, dataPort, livePort } = this.opts.relayd;
    const bin = await this.requireBinary("relayd");
    await mkdir(this.opts.relaydOutputDir, { recursive: true });
    const args = [
      "-d",
      "-C",
      `tcp://${host}:${controlPort}`,
      "-D",
      `tcp://${host}:${dataPort}`,
      "-L",
      `tcp://${host}:${livePort}`,
      "-o",
      this.opts.relaydOutputDir,
    ];
    const r = await execBounded(bin, args, this.spawnOpts());
    if (r.code !== 0) {
      throw new LttngError("COMMAND_FAILED", `Cannot start the relay daemon: ${r.stderr.trim() || `exit code ${r.code}`}`, {
        stderr: r.stderr,
        exitCode: r.code,
      });
    }
    const found = await pollFor(async () => {
      const f = await this.findRelayd();
      return f?.trust.trusted === true ? f : null;
    }, 10_000);
    if (!found) throw new LttngError("COMMAND_FAILED", `The relay daemon was started but does not listen on ${host}:${controlPort}`, { stderr: r.stderr });
    await this.writeOwned("relayd", found.pid);
    log.info({ pid: found.pid, controlPort, dataPort, livePort }, "started lttng-relayd");
    return this.relaydStatus();
  }

  /** Stops the session daemon if and only if Tracedeck started it. */
  async stopSessiond(): Promise<SessiondStatus> {
    await this.stopOwned("sessiond", "session daemon", await this.sessiondStatus());
    return this.sessiondStatus();
  }

  /** Stops the relay daemon if and only if Tracedeck started it. */
  async stopRelayd(): Promise<RelaydStatus> {
    await this.stopOwned("relayd", "relay daemon", await this.relaydStatus());
    return this.relaydStatus();
  }

  private async stopOwned(which: "sessiond" | "relayd", label: string, st: DaemonStatus): Promise<void> {
    if (!st.running || st.pid === null) return;
    if (!st.ownedByTracedeck) {
      throw new LttngError("NOT_ALLOWED", `The ${label} (pid ${st.pid}) was not started by Tracedeck; it will not stop it.`);
    }
    await terminate(st.pid);
    await rm(this.pidFile(which), { force: true });
  }

  /**
   * Polls `health()` every `intervalMs` and yields the first status and then each change of a
   * daemon's running state or pid. Ends when `signal` aborts. Watchers share their polls: a
   * status younger than half the interval is reused, so every open browser tab does not walk
   * /proc on its own.
   */
  async *watch(intervalMs: number, signal?: AbortSignal): AsyncGenerator<HealthStatus> {
    let last = "";
    while (!signal?.aborted) {
      const h = await this.sharedHealth(intervalMs / 2);
      // A daemon nearing its descriptor limit is news too (the status bar warns).
      const key = `${h.sessiond.running}:${h.sessiond.pid}:${h.relayd.running}:${h.relayd.pid}:${h.sessiond.fds?.nearLimit}:${h.relayd.fds?.nearLimit}`;
      if (key !== last) {
        if (last !== "") {
          if (!h.sessiond.running) log.warn("session daemon is not running");
          if (!h.relayd.running) log.warn("relay daemon is not running");
        }
        last = key;
        yield h;
      }
      await sleep(intervalMs, signal);
    }
  }
}

/** `-o DIR`, `-oDIR`, `--output DIR` or `--output=DIR` of a running relayd, resolved against its cwd. */
async function relaydOutputDirOf(pid: number): Promise<string | null> {
  const argv = await readCmdline(pid);
  if (!argv) return null;
  let out: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-o" || a === "--output") out = argv[i + 1];
    else if (a.startsWith("--output=")) out = a.slice("--output=".length);
    else if (a.startsWith("-o") && a.length > 2) out = a.slice(2);
  }
  if (out === undefined) {
    const home = (await readEnvVar(pid, "LTTNG_HOME")) ?? (await readEnvVar(pid, "HOME"));
    return home ? join(home, "lttng-traces") : null;
  }
  // A daemonized relayd chdirs to /, so a relative -o was resolved against the directory it was started in, which we cannot know: fall back to its cwd.
  return resolve((await readCwd(pid)) ?? "/", out);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

async function pollFor<T>(fn: () => Promise<T | null>, timeoutMs: number): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null) return v;
    if (Date.now() > deadline) return null;
    await sleep(100);
  }
}

/** SIGTERM, then SIGKILL after 10 s. Resolves when the process is gone. */
async function terminate(pid: number): Promise<void> {
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const gone = await pollFor(async () => (isAlive(pid) && (await readStat(pid)) !== null ? null : true), 10_000);
  if (!gone) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* exited meanwhile */
    }
    await pollFor(async () => ((await readStat(pid)) === null ? true : null), 5_000);
  }
}
