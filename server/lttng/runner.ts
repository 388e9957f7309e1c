import { childEnv } from "../child-env";
import { moduleLogger } from "../log";
import { LttngError, classifyFailure, type LttngErrorDetails } from "./errors";
import type { ExecResult } from "./exec";
import { MiParseError, parseMiDocument, type MiDocument } from "./mi/document";
import { localTransport, TransportError, type CommandTransport } from "./transport";

const log = moduleLogger("lttng");

/**
 * Which session daemon a runner talks to. The default is the root daemon (its sockets are in
 * `/var/run/lttng`). A root `lttng` always uses those global sockets whatever `LTTNG_HOME`
 * says (checked on 2.13.9), so a separate daemon needs a non-root `user` as well: that user's
 * `lttng` and `lttng-sessiond` then use `$LTTNG_HOME/.lttng/`.
 */
export interface LttngTarget {
  /** `LTTNG_HOME` of a per-user daemon (its run dir is `$LTTNG_HOME/.lttng`). */
  lttngHome?: string;
  /** Run `lttng` (and the daemons) as this user; required with `lttngHome` when we are root. */
  user?: { uid: number; gid: number };
}

export interface RunnerOptions extends LttngTarget {
  /** Path of the `lttng` binary. */
  lttngPath?: string;
  /** Default time limit of one command. */
  timeoutMs?: number;
  /** Where `lttng` runs: this machine (default) or a traced host over SSH. */
  transport?: CommandTransport;
}

export interface RunOptions {
  timeoutMs?: number;
  /** The input field a failure of this command is about, when the command has one obvious field. */
  field?: string;
}

/** One successful `lttng --mi xml` run. */
export interface MiRun {
  doc: MiDocument;
  exitCode: number;
  /** Warnings LTTng printed even though the command succeeded. */
  stderr: string;
}

/** Environment for a process talking to `target`'s daemon. */
export function targetEnv(target: LttngTarget, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  // C locale: LTTng's messages are matched by the error classifier. No secrets (child-env.ts).
  const env: NodeJS.ProcessEnv = { ...childEnv(base), LC_ALL: "C" };
  if (target.lttngHome) {
    env.LTTNG_HOME = target.lttngHome;
    env.HOME = target.lttngHome;
  } else {
    delete env.LTTNG_HOME;
  }
  return env;
}

/**
 * The single way Tracedeck runs `lttng`: `lttng --no-sessiond --mi xml ARGS…` with an argument
 * array, a time limit, stderr captured, the output parsed by the MI module. `--no-sessiond`
 * keeps a misconfigured user from spawning a private daemon behind our back.
 */
export class LttngRunner {
  readonly target: LttngTarget;
  private readonly lttngPath: string;
  private readonly timeoutMs: number;
  readonly transport: CommandTransport;

  constructor(opts: RunnerOptions = {}) {
    this.target = { lttngHome: opts.lttngHome, user: opts.user };
    this.lttngPath = opts.lttngPath ?? "lttng";
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.transport = opts.transport ?? localTransport;
  }

  /**
   * Runs one command. Resolves with the parsed document when LTTng reports success (exit code
   * 0 and no `<success>false</success>`: both are needed, `load` over an existing session
   * exits 0 with success false). Otherwise throws an `LttngError` carrying LTTng's stderr
   * message and, when known, the input field it is about.
   */
  async run(args: readonly string[], opts: RunOptions = {}): Promise<MiRun> {
    const command = args[0] ?? "";
    const details: LttngErrorDetails = { command, args: [...args], field: opts.field };
    let res;
    for (let attempt = 1; ; attempt++) {
      res = await this.exec(["--mi", "xml", ...args], details, opts);
      // Where `env --ignore-signal` is missing, the refused command is safe to run again.
      if (res.signal === "SIGPIPE" && res.stderr.trim() === "" && attempt < 3) {
        log.debug({ args, attempt }, "lttng died of SIGPIPE; retrying");
        continue;
      }
      break;
    }
    if (res.signal === "SIGPIPE" && res.stderr.trim() === "") {
      throw new LttngError("COMMAND_FAILED", `lttng ${command} was cut off by the session daemon (it closed the connection)`, { ...details, exitCode: null });
    }
    const exitCode = res.code ?? -1;
    if (res.signal) details.signal = res.signal;
    let doc: MiDocument | undefined;
    let parseError: MiParseError | undefined;
    try {
      doc = parseMiDocument(res.stdout);
    } catch (e) {
      if (!(e instanceof MiParseError)) throw e;
      parseError = e;
    }
    const failed = exitCode !== 0 || doc?.success === false;
    if (failed) {
      const err = classifyFailure(res.stderr, { ...details, exitCode, stderr: res.stderr });
      log.debug({ args, exitCode, stderr: res.stderr, code: err.code }, "lttng command failed");
      throw err;
    }
    if (!doc) {
      throw new LttngError(
        "TOOL_FAILURE",
        `lttng ${command} printed no valid MI document`,
        { ...details, exitCode, stderr: res.stderr },
        { cause: parseError },
      );
    }
    return { doc, exitCode, stderr: res.stderr };
  }

  /**
   * Runs `lttng --no-sessiond ARGS` WITHOUT the MI and returns its stdout. Only for the few
   * places where LTTng's MI is broken (trigger listing and removal abort when a rotate-session
   * trigger exists); everything else goes through `run`.
   */
  async runText(args: readonly string[], opts: RunOptions = {}): Promise<string> {
    const details: LttngErrorDetails = { command: args[0] ?? "", args: [...args], field: opts.field };
    const res = await this.exec(args, details, opts);
    if (res.code !== 0) throw classifyFailure(res.stderr, { ...details, exitCode: res.code, signal: res.signal, stderr: res.stderr });
    return res.stdout;
  }

  /** Spawns `lttng --no-sessiond ARGS` as the target's user; throws when it cannot start or runs out of time. */
  private async exec(args: readonly string[], details: LttngErrorDetails, opts: RunOptions): Promise<ExecResult> {
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    let res: ExecResult;
    try {
      // When the session daemon refuses a command and closes the connection early (kernel
      // commands without a kernel tracer do this), lttng's next write raises SIGPIPE, which
      // Node children do not ignore: lttng would die before printing LTTng's message. GNU
      // env starts it with SIGPIPE ignored (an exec, not a shell), so it prints the error.
      // LC_ALL=C in the argv as well: an SSH server does not forward the environment.
      res = await this.transport.exec("env", ["--ignore-signal=PIPE", "LC_ALL=C", this.lttngPath, "--no-sessiond", ...args], {
        timeoutMs,
        env: targetEnv(this.target),
        uid: this.target.user?.uid,
        gid: this.target.user?.gid,
      });
    } catch (cause) {
      if (cause instanceof TransportError) throw new LttngError("HOST_UNREACHABLE", cause.message, details, { cause });
      throw new LttngError("TOOL_FAILURE", `Cannot run ${this.lttngPath}: ${(cause as Error).message}`, details, { cause });
    }
    if (res.timedOut) {
      throw new LttngError("TIMEOUT", `lttng ${details.command ?? ""} did not finish within ${timeoutMs} ms`, { ...details, stderr: res.stderr });
    }
    // env's own failure (127: not found, 126: not executable), not one of lttng's refusals.
    if ((res.code === 127 || res.code === 126) && res.stderr.startsWith("env: ")) {
      throw new LttngError("TOOL_FAILURE", `Cannot run ${this.lttngPath}: ${res.stderr.slice("env: ".length).trim()}`, {
        ...details,
        exitCode: res.code,
        stderr: res.stderr,
      });
    }
    return res;
  }
}
