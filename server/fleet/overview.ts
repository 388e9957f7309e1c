/**
 * The fleet at a glance: each host's LTTng version, session daemon, kernel tracer and
 * sessions, refreshed in the background with a time limit per host, so the page reads the
 * last answers at once and one dead host never slows it. Bulk actions run on every chosen
 * host at once and answer per host.
 */
import { LttngController } from "../lttng/controller";
import { LttngError } from "../lttng/errors";
import { LttngRunner } from "../lttng/runner";
import { moduleLogger } from "../log";
import type { HostRegistry } from "./hosts";

const log = moduleLogger("fleet");

export interface HostSession {
  name: string;
  mode: string;
  active: boolean;
}

export interface HostState {
  host: string;
  state: "up" | "down" | "unknown";
  /** Why the host is down, or what it could not tell. */
  error: string | null;
  lttngVersion: string | null;
  /** null while unknown; false when LTTng answers "Kernel tracer not available". */
  kernelTracer: boolean | null;
  sessions: HostSession[];
  /** When this answer was taken (epoch ms). */
  checkedAt: number | null;
  /** How long the host took to answer, ms. */
  tookMs: number | null;
}

export interface FleetOptions {
  /** Per-host time limit of one refresh (every command of it). */
  hostTimeoutMs?: number;
  refreshMs?: number;
  controllerFor?: (host: string) => Promise<LttngController>;
}

export interface BulkResult {
  host: string;
  ok: boolean;
  message: string;
  /** Snapshot: the name LTTng gave it (unique), and its directory when we know it. */
  snapshot?: { name: string; path: string };
}

const MAX_BULK_HOSTS = 500;

export class Fleet {
  private readonly states = new Map<string, HostState>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private readonly hostTimeoutMs: number;
  private readonly refreshMs: number;

  constructor(
    private readonly hosts: HostRegistry,
    private readonly opts: FleetOptions & { controllerOptions: ConstructorParameters<typeof LttngController>[1] },
  ) {
    this.hostTimeoutMs = opts.hostTimeoutMs ?? 5_000;
    this.refreshMs = opts.refreshMs ?? 15_000;
  }

  /** The last known state of every host (unknown until its first answer). */
  async view(): Promise<HostState[]> {
    const names = (await this.hosts.list()).map((h) => h.name);
    if (!this.timer && !this.refreshing) void this.refresh();
    return names.map((host) => this.states.get(host) ?? blank(host));
  }

  /** Refreshes every host in the background from now on. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
    void this.refresh();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Asks every host now (at most one refresh at a time); resolves when all answered or timed out. */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      const names = (await this.hosts.list()).map((h) => h.name);
      await Promise.all(names.map((n) => this.refreshHost(n)));
      for (const k of this.states.keys()) if (!names.includes(k)) this.states.delete(k);
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** `snapshot record` of `session` on every host given, at once; one result per host. */
  async snapshotAll(hostNames: readonly string[], session: string): Promise<BulkResult[]> {
    const names = [...new Set(hostNames)].slice(0, MAX_BULK_HOSTS);
    return Promise.all(
      names.map(async (host): Promise<BulkResult> => {
        try {
          const c = await this.controller(host);
          const snap = await c.snapshotRecord({ session, name: "fleet" });
          return { host, ok: true, message: `recorded ${snap.name}`, snapshot: snap };
        } catch (e) {
          return { host, ok: false, message: e instanceof Error ? e.message : String(e) };
        }
      }),
    );
  }

  private async controller(host: string): Promise<LttngController> {
    if (this.opts.controllerFor) return this.opts.controllerFor(host);
    const transport = await this.hosts.transport(host);
    return new LttngController(new LttngRunner({ transport, timeoutMs: this.hostTimeoutMs }), this.opts.controllerOptions);
  }

  private async refreshHost(host: string): Promise<void> {
    const started = Date.now();
    const prev = this.states.get(host) ?? blank(host);
    try {
      const answer = await withTimeout(this.ask(host), this.hostTimeoutMs, `${host} did not answer within ${this.hostTimeoutMs} ms`);
      this.states.set(host, { ...answer, host, state: "up", error: null, checkedAt: Date.now(), tookMs: Date.now() - started });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      log.debug({ host, err: error }, "host refresh failed");
      // Keep what we last knew of its sessions: the page says since when it is down.
      this.states.set(host, { ...prev, state: "down", error, checkedAt: Date.now(), tookMs: Date.now() - started });
    }
  }

  private async ask(host: string): Promise<Pick<HostState, "lttngVersion" | "kernelTracer" | "sessions">> {
    const c = await this.controller(host);
    const [version, sessions, kernel] = await Promise.all([
      c.version(),
      c.listSessions(),
      c.runner.run(["list", "-k"]).then(
        () => true,
        (e: unknown) => {
          if (e instanceof LttngError && e.code === "KERNEL_TRACER_UNAVAILABLE") return false;
          // Any other refusal leaves the kernel tracer unknown; the host still answered.
          if (e instanceof LttngError && e.code !== "HOST_UNREACHABLE" && e.code !== "TIMEOUT") return null;
          throw e;
        },
      ),
    ]);
    return { lttngVersion: version.string, kernelTracer: kernel, sessions: sessions.map((s) => ({ name: s.name, mode: s.mode, active: s.active })) };
  }
}

function blank(host: string): HostState {
  return { host, state: "unknown", error: null, lttngVersion: null, kernelTracer: null, sessions: [], checkedAt: null, tookMs: null };
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
