/**
 * Starts, lists and stops demo workload processes (workload/build/tracedeck-demo and
 * workload/python_demo.py) for the server's "Demo workload" panel and the CLI.
 *
 * Bounded on purpose: at most `maxRunning` processes at once, option ranges checked by zod,
 * and only the last `maxHistory` exited processes are remembered. Children are told to stop
 * when this process exits, and are started with --exit-with-parent so the kernel stops them
 * even when the server is killed with SIGKILL and runs no exit handler.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Logger } from "pino";
import { z } from "zod";
import { childEnv } from "../child-env";
import { config } from "../config";
import { moduleLogger } from "../log";
import { workloadNeedsBuild } from "../../workload/build.mjs";
import { demoWorkloadPaths, ensureWorkloadBuilt, findWorkloadDir } from "./build";
import { brandDomainError } from "../shared/domain-error";

const defaultLog = moduleLogger("workload");

/** The interpreter with the LTTng Python agent (Debian's python3-lttngust). */
export const SYSTEM_PYTHON = "/usr/bin/python3";

/** Bounds of the start options (the panel shows them; zod enforces them). */
export const DEMO_LIMITS = {
  rate: { min: 1, max: 500_000, default: 1000 },
  threads: { min: 1, max: 16, default: 2 },
  duration: { min: 0, max: 24 * 3600, default: 60 },
  slowEvery: { min: 0, max: 1_000_000_000, default: 1000 },
  slowMs: { min: 0, max: 10_000, default: 50 },
  tracefEvery: { min: 0, max: 1_000_000_000, default: 0 },
} as const;

const L = DEMO_LIMITS;
export const ZDemoStartOptions = z.object({
  /** `native`: the C program and its tracedeck_demo:* tracepoints; `python`: logging via the agent. */
  kind: z.enum(["native", "python"]).default("native"),
  /** Requests per second over all threads. */
  rate: z.number().int().min(L.rate.min).max(L.rate.max).default(L.rate.default),
  /** Worker threads (native only). */
  threads: z.number().int().min(L.threads.min).max(L.threads.max).default(L.threads.default),
  /** Seconds; 0 = until stopped. */
  duration: z.number().min(L.duration.min).max(L.duration.max).default(L.duration.default),
  /** Every Nth request is slow; 0 = never. */
  slowEvery: z.number().int().min(L.slowEvery.min).max(L.slowEvery.max).default(L.slowEvery.default),
  /** A slow request lasts at least this long (a real fsync, then a sleep). */
  slowMs: z.number().int().min(L.slowMs.min).max(L.slowMs.max).default(L.slowMs.default),
  /** Also emit an `lttng_ust_tracef:event` every N requests; 0 = never (native only). */
  tracefEvery: z.number().int().min(L.tracefEvery.min).max(L.tracefEvery.max).default(L.tracefEvery.default),
});
export type DemoStartOptions = z.infer<typeof ZDemoStartOptions>;
export type DemoStartInput = z.input<typeof ZDemoStartOptions>;

export type DemoState = "running" | "stopping" | "exited";

/** What the panel shows for one demo process. Counters come from its JSON progress lines. */
export interface DemoProcessInfo {
  /** Manager-local id (stable while the server runs). */
  id: number;
  kind: DemoStartOptions["kind"];
  pid: number | null;
  /** The program and its arguments, as run. */
  command: string;
  args: string[];
  options: DemoStartOptions;
  startedAt: Date;
  endedAt: Date | null;
  state: DemoState;
  /** The program said it handles stop signals (its `{"type":"ready"}` line). */
  ready: boolean;
  exitCode: number | null;
  signal: string | null;
  /** Requests served so far (updated every second, exact at exit). */
  requests: number;
  slowRequests: number;
  /** Tracepoint calls (native) or logging records (python) so far; the tracer may drop some. */
  eventsEmitted: number;
  /** The end of the process's stderr (errors, usage). */
  stderrTail: string;
}

export type WorkloadErrorCode = "LIMIT_REACHED" | "NOT_FOUND" | "START_FAILED";

export class WorkloadError extends Error {
  readonly code: WorkloadErrorCode;
  constructor(code: WorkloadErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WorkloadError";
    this.code = code;
  }
}
brandDomainError(WorkloadError, "WorkloadError");

/** Command-line arguments of the demo program for these options (without the program). */
export function demoArgs(o: DemoStartOptions, extra: { progress?: boolean; exitWithParent?: boolean } = {}): string[] {
  const flags = [...(extra.progress ? ["--progress"] : []), ...(extra.exitWithParent ? ["--exit-with-parent"] : [])];
  if (o.kind === "python") {
    return [
      demoWorkloadPaths().pythonDemo,
      "--rate",
      String(o.rate),
      "--duration",
      String(o.duration),
      "--count",
      "0",
      "--slow-every",
      String(o.slowEvery),
      "--slow-ms",
      String(o.slowMs),
      ...flags,
    ];
  }
  return [
    "--rate",
    String(o.rate),
    "--threads",
    String(o.threads),
    "--duration",
    String(o.duration),
    "--slow-every",
    String(o.slowEvery),
    "--slow-ms",
    String(o.slowMs),
    "--tracef-every",
    String(o.tracefEvery),
    ...flags,
  ];
}

/** The program that runs a demo of this kind, built if needed. A failed build is START_FAILED: its message names the package to install. */
export async function demoProgram(kind: DemoStartOptions["kind"]): Promise<string> {
  if (kind === "python") return SYSTEM_PYTHON;
  try {
    return await ensureWorkloadBuilt();
  } catch (err) {
    throw new WorkloadError("START_FAILED", (err as Error).message, { cause: err });
  }
}

export interface DemoStatus {
  running: number;
  maxRunning: number;
  /** Running first, then the most recently exited. */
  processes: DemoProcessInfo[];
  limits: typeof DEMO_LIMITS;
  programs: ProgramsStatus;
}

export interface ProgramsStatus {
  /** The C program is compiled and up to date (otherwise the first start compiles it, ~1 s). */
  nativeBuilt: boolean;
  /** Why the C program cannot be found, if so. */
  nativeProblem: string | null;
  /** Debian's python3-lttngust is installed, so the Python demo's records reach LTTng. */
  pythonAgent: boolean;
}

const PYTHON_AGENT_MODULE = "/usr/lib/python3/dist-packages/lttngust/__init__.py";

export async function programsStatus(): Promise<ProgramsStatus> {
  let nativeBuilt = false;
  let nativeProblem: string | null = null;
  try {
    nativeBuilt = !(await workloadNeedsBuild(findWorkloadDir()));
  } catch (err) {
    nativeProblem = (err as Error).message;
  }
  const pythonAgent = await access(PYTHON_AGENT_MODULE).then(
    () => true,
    () => false,
  );
  return { nativeBuilt, nativeProblem, pythonAgent };
}

interface Entry {
  info: DemoProcessInfo;
  child: ChildProcess;
  exited: Promise<void>;
  /** Resolves on the ready line or at exit, whichever comes first. */
  ready: Promise<void>;
}

const STDERR_TAIL_BYTES = 4096;

export interface ManagerOptions {
  /** Working directory of the processes (their temp files go there). */
  workDir?: string;
  maxRunning?: number;
  maxHistory?: number;
  /** Where start/exit lines go (the CLI passes a silent one). */
  logger?: Logger;
}

export class DemoWorkloadManager {
  readonly maxRunning: number;
  private readonly maxHistory: number;
  private readonly workDirOverride: string | undefined;
  private readonly entries = new Map<number, Entry>();
  private nextId = 1;
  /** Starts between their limit check and their entry: counted so that concurrent starts cannot all pass the check. */
  private starting = 0;
  private exitHookInstalled = false;
  private readonly log: Logger;

  constructor(opts: ManagerOptions = {}) {
    this.workDirOverride = opts.workDir;
    this.maxRunning = opts.maxRunning ?? 4;
    this.maxHistory = opts.maxHistory ?? 20;
    this.log = opts.logger ?? defaultLog;
  }

  private get workDir(): string {
    return this.workDirOverride ?? join(config().runDir, "demo");
  }

  /** Validates the options, builds the binary if needed, and starts one demo process. */
  async start(input: DemoStartInput): Promise<DemoProcessInfo> {
    const options = ZDemoStartOptions.parse(input);
    // The slot is taken synchronously, before the first await (build, mkdir, spawn).
    if (this.runningCount() + this.starting >= this.maxRunning) {
      throw new WorkloadError("LIMIT_REACHED", `Cannot start another demo workload: ${this.maxRunning} are already running`);
    }
    this.starting++;
    let child: ChildProcess;
    let program: string;
    let args: string[];
    try {
      program = await demoProgram(options.kind);
      args = demoArgs(options, { progress: true, exitWithParent: true });
      await mkdir(this.workDir, { recursive: true });
      // The program's path is known at run time only: the mark keeps Next's output tracing off it.
      child = spawn(/*turbopackIgnore: true*/ program, args, {
        cwd: this.workDir,
        stdio: ["ignore", "pipe", "pipe"],
        // For --exit-with-parent: lets the child notice that we died before it got going.
        env: { ...childEnv(), TRACEDECK_PARENT_PID: String(process.pid) },
      });
      const started = child;
      const name = program;
      await new Promise<void>((ok, fail) => {
        started.once("spawn", ok);
        started.once("error", (err) => fail(new WorkloadError("START_FAILED", `Cannot start ${name}: ${err.message}`, { cause: err })));
      });
    } finally {
      this.starting--;
    }

    const info: DemoProcessInfo = {
      id: this.nextId++,
      kind: options.kind,
      pid: child.pid ?? null,
      command: program,
      args,
      options,
      startedAt: new Date(),
      endedAt: null,
      state: "running",
      ready: false,
      exitCode: null,
      signal: null,
      requests: 0,
      slowRequests: 0,
      eventsEmitted: 0,
      stderrTail: "",
    };
    let markReady!: () => void;
    const ready = new Promise<void>((r) => (markReady = r));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (applyReport(info, line) === "ready") markReady();
    });
    child.stderr!.setEncoding("utf8").on("data", (d: string) => {
      info.stderrTail = (info.stderrTail + d).slice(-STDERR_TAIL_BYTES);
    });
    const exited = new Promise<void>((done) => {
      child.once("close", (code, signal) => {
        info.state = "exited";
        info.exitCode = code;
        info.signal = signal;
        info.endedAt = new Date();
        this.log.info({ id: info.id, pid: info.pid, code, signal, requests: info.requests }, "demo workload exited");
        this.prune();
        markReady();
        done();
      });
    });
    this.entries.set(info.id, { info, child, exited, ready });
    this.installExitHook();
    this.log.info({ id: info.id, pid: info.pid, program, args }, "demo workload started");
    return snapshot(info);
  }

  /**
   * Asks a demo process to stop (SIGTERM: it finishes its current requests and exits 0),
   * escalating to SIGKILL after `timeoutMs`. Resolves once it has exited.
   */
  async stop(id: number, timeoutMs = 5000): Promise<DemoProcessInfo> {
    const e = this.entries.get(id);
    if (!e) throw new WorkloadError("NOT_FOUND", `No demo workload with id ${id}`);
    if (e.info.state !== "exited") {
      e.info.state = "stopping";
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), timeoutMs)));
      // Before its ready line the program may not handle SIGTERM yet (dynamic loader, Python
      // start-up, the tracer's registration): a signal then would kill it uncleanly.
      await Promise.race([e.ready, timeout]);
      e.child.kill("SIGTERM");
      const outcome = await Promise.race([e.exited.then(() => "exited" as const), timeout]);
      clearTimeout(timer);
      if (outcome === "timeout") {
        this.log.warn({ id, pid: e.info.pid }, "demo workload ignored SIGTERM; killing it");
        e.child.kill("SIGKILL");
        await e.exited;
      }
    }
    return snapshot(e.info);
  }

  /** Stops every running demo process. */
  async stopAll(timeoutMs = 5000): Promise<void> {
    const running = [...this.entries.values()].filter((e) => e.info.state !== "exited");
    await Promise.all(running.map((e) => this.stop(e.info.id, timeoutMs)));
  }

  /** Resolves when the process has exited (it may run to the end of its duration). */
  async waitForExit(id: number): Promise<DemoProcessInfo> {
    const e = this.entries.get(id);
    if (!e) throw new WorkloadError("NOT_FOUND", `No demo workload with id ${id}`);
    await e.exited;
    return snapshot(e.info);
  }

  get(id: number): DemoProcessInfo | undefined {
    const e = this.entries.get(id);
    return e && snapshot(e.info);
  }

  /** Running processes first, then the most recently exited ones. */
  list(): DemoProcessInfo[] {
    const all = [...this.entries.values()].map((e) => snapshot(e.info));
    return all.sort((a, b) => Number(a.state === "exited") - Number(b.state === "exited") || b.id - a.id);
  }

  runningCount(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.info.state !== "exited") n++;
    return n;
  }

  /** Everything the "Demo workload" panel shows. */
  async status(): Promise<DemoStatus> {
    const programs = await programsStatus();
    return { running: this.runningCount(), maxRunning: this.maxRunning, processes: this.list(), limits: DEMO_LIMITS, programs };
  }

  private prune(): void {
    const exited = [...this.entries.values()].filter((e) => e.info.state === "exited").sort((a, b) => a.info.id - b.info.id);
    for (const e of exited.slice(0, Math.max(0, exited.length - this.maxHistory))) this.entries.delete(e.info.id);
  }

  private installExitHook(): void {
    if (this.exitHookInstalled) return;
    this.exitHookInstalled = true;
    // Only synchronous work is possible in an exit handler: signal, do not wait.
    process.once("exit", () => {
      for (const e of this.entries.values()) if (e.info.state !== "exited") e.child.kill("SIGTERM");
    });
  }
}

function snapshot(info: DemoProcessInfo): DemoProcessInfo {
  return { ...info, args: [...info.args], options: { ...info.options } };
}

const ZReport = z.object({
  type: z.enum(["progress", "summary"]),
  requests: z.number(),
  slow: z.number().optional(),
  events: z.number(),
  records: z.object({ warning: z.number() }).partial().optional(),
});

/** Folds one stdout line of the demo program (`{"type":"progress",...}`) into `info`; returns its type. */
function applyReport(info: DemoProcessInfo, line: string): string | undefined {
  if (!line.startsWith("{")) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if ((parsed as { type?: unknown } | null)?.type === "ready") {
    info.ready = true;
    return "ready";
  }
  const r = ZReport.safeParse(parsed);
  if (!r.success) return undefined;
  info.requests = r.data.requests;
  info.eventsEmitted = r.data.events;
  // The Python demo's slow requests are its WARNING records.
  info.slowRequests = r.data.slow ?? r.data.records?.warning ?? 0;
  return r.data.type;
}

const GLOBAL_KEY = Symbol.for("tracedeck.demoWorkloadManager");

/** The server's one manager (kept on globalThis so that Next's dev reloads do not orphan children). */
export function demoWorkloads(): DemoWorkloadManager {
  const g = globalThis as unknown as Record<symbol, DemoWorkloadManager | undefined>;
  g[GLOBAL_KEY] ??= new DemoWorkloadManager();
  return g[GLOBAL_KEY];
}
