/**
 * The fleet at a glance: each host's LTTng version, session daemon, kernel tracer and
 * sessions, refreshed in the background with a time limit per host, so the page reads the
 * last answers at once and one dead host never slows it. Bulk actions run on every chosen
 * host at once and answer per host.
 */
import type { LttngController } from "../lttng/controller";
import { loadArgs } from "../lttng/command-args";
import { LttngError } from "../lttng/errors";
import { readProfile } from "../lttng/profiles";
import { InFlight } from "../in-flight";
import { moduleLogger } from "../log";
import { forEachBounded, MAX_BULK_HOSTS, runBulk, withTimeout, type BulkAction, type BulkResult, type BulkTarget, type HostOutcome } from "./bulk";
import type { HostControllers } from "./controllers";
import { LOCAL_HOST, type HostRegistry } from "./hosts";

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
  /** Its host groups, sorted. */
  groups: string[];
}

export interface FleetOptions {
  /** Per-host time limit of one refresh (every command of it). */
  hostTimeoutMs?: number;
  refreshMs?: number;
  /** Hosts a refresh asks at once (each within its own time limit, counted from its turn). */
  refreshConcurrency?: number;
  /** Hosts a bulk action works on at once. */
  bulkConcurrency?: number;
  /** Time limit of one host's part of a bulk action (a snapshot may take a while to write). */
  bulkHostTimeoutMs?: number;
}

export class Fleet {
  private readonly states = new Map<string, HostState>();
  private timer: NodeJS.Timeout | undefined;
  private readonly refreshing = new InFlight<void>(async () => {
    try {
      const names = (await this.hosts.list()).map((h) => h.name);
      // Bounded: a 500-host fleet must not open 1,500 SSH channels at once on the server.
      await forEachBounded(names, this.opts.refreshConcurrency ?? 16, (n) => this.refreshHost(n));
      for (const k of this.states.keys()) if (!names.includes(k)) this.states.delete(k);
    } finally {
      this.refreshedAt = Date.now();
    }
  });
  /** When the last refresh ended (epoch ms; 0: never). */
  private refreshedAt = 0;
  private readonly hostTimeoutMs: number;
  private readonly refreshMs: number;

  constructor(
    private readonly hosts: HostRegistry,
    private readonly controllers: HostControllers,
    private readonly opts: FleetOptions = {},
  ) {
    // The page never waits for a refresh, so a generous limit costs nothing but how soon a dead host shows as down;
    // 5 s was measured too short for a live host on a loaded machine (SSH handshake + three `lttng` runs).
    this.hostTimeoutMs = opts.hostTimeoutMs ?? 10_000;
    this.refreshMs = opts.refreshMs ?? 15_000;
  }

  /**
   * The last known state of every host, or of a group's (unknown until its first answer).
   * Without the background timer, a view older than the refresh period asks the hosts again
   * (in the background): every open page polls this, and however many there are, the hosts
   * are asked at most once a period.
   */
  async view(group?: string): Promise<HostState[]> {
    const hosts = (await this.hosts.list()).filter((h) => group === undefined || h.groups.includes(group));
    if (!this.timer && !this.refreshing.running && Date.now() - this.refreshedAt >= this.refreshMs) void this.refresh();
    return hosts.map((h) => ({ ...(this.states.get(h.name) ?? blank(h.name)), groups: h.groups }));
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
    return this.refreshing.join();
  }

  /** `snapshot record` of `session` on every host given, at once; one result per host. */
  snapshotAll(hostNames: readonly string[], session: string, name = "fleet"): Promise<BulkResult[]> {
    return this.bulk({ hosts: [...hostNames] }, { kind: "snapshot", session, name });
  }

  /** The host names a target means now: the hosts named (deduplicated), or the group's. */
  async resolve(target: BulkTarget): Promise<string[]> {
    const names = "group" in target ? await this.hosts.inGroup(target.group) : [...new Set(target.hosts)];
    return names.slice(0, MAX_BULK_HOSTS);
  }

  /**
   * Runs `action` on every host of `target`, a bounded number at once, each within its time
   * limit; one result per host, in the target's order. A host unknown to the registry gets its
   * own failed row, never stops the others. `action` may differ per host (a function of it).
   */
  async bulk(target: BulkTarget, action: BulkAction | ((host: string) => BulkAction)): Promise<BulkResult[]> {
    const hosts = await this.resolve(target);
    const actionOf = typeof action === "function" ? action : () => action;
    const limits = { concurrency: this.opts.bulkConcurrency ?? 16, hostTimeoutMs: this.opts.bulkHostTimeoutMs ?? 60_000 };
    const results = await runBulk(hosts, limits, (host) => this.actOn(host, actionOf(host), limits.hostTimeoutMs));
    log.info({ hosts: hosts.length, failed: results.filter((r) => !r.ok).length }, "bulk action");
    return results;
  }

  private async actOn(host: string, a: BulkAction, timeoutMs: number): Promise<HostOutcome> {
    // Each command may take the host's whole limit (a snapshot of big buffers, a loaded host); runBulk bounds the sum.
    const c = await this.controller(host, timeoutMs);
    switch (a.kind) {
      case "snapshot": {
        const snap = await c.snapshotRecord({ session: a.session, name: a.name ?? "fleet" });
        return { message: `recorded ${snap.name}`, snapshot: snap };
      }
      case "start":
        await c.start(a.session);
        return { message: `started ${a.session}` };
      case "stop":
        await c.stop(a.session);
        return { message: `stopped ${a.session}` };
      case "create": {
        const name = a.name ?? a.profile;
        const load = { session: a.profile, overrideName: a.name, overrideUrl: a.url };
        // Read first: a missing profile is said plainly, not as `lttng load`'s "Invalid input path".
        const profile = await readProfile(c.savedSessionsDir, a.profile);
        if (host === LOCAL_HOST) await c.load(load);
        // The profile lives on this machine; `lttng load` reads a file on the traced host.
        else await this.hosts.withRemoteFile(host, profile.xml, ".lttng", (path) => c.runner.run(loadArgs(load, path, null)));
        if (a.start) await c.start(name);
        return { message: `created ${name} from profile ${a.profile}${a.start ? " and started it" : ""}` };
      }
    }
  }

  /** A controller for `host` whose commands each get `timeoutMs` (the refresh's limit unless said). */
  private controller(host: string, timeoutMs = this.hostTimeoutMs): Promise<LttngController> {
    return this.controllers.withTimeLimit(host, timeoutMs);
  }

  private async refreshHost(host: string): Promise<void> {
    const started = Date.now();
    const prev = this.states.get(host) ?? blank(host);
    try {
      const answer = await withTimeout(this.ask(host), this.hostTimeoutMs, `${host} did not answer within ${this.hostTimeoutMs} ms`);
      this.states.set(host, { ...answer, host, groups: prev.groups, state: "up", error: null, checkedAt: Date.now(), tookMs: Date.now() - started });
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
  return { host, state: "unknown", error: null, lttngVersion: null, kernelTracer: null, sessions: [], checkedAt: null, tookMs: null, groups: [] };
}
