/**
 * The typed controller over `lttng --mi xml` for the LTTng 2.13 command set. Every method
 * builds an argument array from zod-checked input (schemas.ts), runs it through the one
 * runner, and returns a zod-typed result (mi/outputs.ts). Failures are `LttngError`s with
 * LTTng's own message and, where it applies, the input field to show it beside.
 */
import { mkdir } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { randomBytes } from "node:crypto";
import {
  addContextArgs,
  addTriggerArgs,
  createArgs,
  disableChannelArgs,
  disableEventArgs,
  disableRotationArgs,
  enableChannelArgs,
  enableEventArgs,
  enableRotationArgs,
  listAvailableArgs,
  loadArgs,
  saveArgs,
  shellCommand,
  snapshotAddOutputArgs,
  snapshotNeedsDestination,
  snapshotRecordArgs,
  trackArgs,
} from "./command-args";
import { InFlight } from "../in-flight";
import { LttngError } from "./errors";
import { checkFilterSyntax } from "./filter/parser";
import {
  allowedActions,
  triggerActionState,
  assertAllowed,
  assertExcludeSupported,
  assertRelayReachable,
  relayEndpoint,
  type ActionState,
  type SessionAction,
} from "./guards";
import {
  MiAvailable,
  MiChannels,
  MiContexts,
  MiDisableEvent,
  MiEvents,
  MiLoad,
  MiOneTrigger,
  MiRegenerate,
  MiRotation,
  MiRotationSchedules,
  MiSessionDetail,
  MiSessionList,
  MiSnapshotAction,
  MiStartStop,
  MiTrackResult,
  MiTriggerList,
  MiVersion,
  type AvailableEvents,
  type SessionDetail,
  type SessionSummary,
  type SnapshotOutput,
  type Trigger,
} from "./mi/outputs";
import { parseTriggersText } from "./mi/triggers-text";
import { unlistableSessions, type Unlistable } from "./listable";
import { sessionOutput } from "./session-output";
import { findSnapshotDir, resolveRelayArchive } from "./trace-dirs";
import { localFiles, type HostFiles } from "./host-files";
import type { LttngRunner, MiRun, RunOptions } from "./runner";
import type { DaemonManager } from "./daemons";
import {
  ZAddContext,
  ZAddTrigger,
  ZCreateSession,
  ZDisableChannel,
  ZDisableEvent,
  ZDisableRotation,
  ZEnableChannel,
  ZEnableEvent,
  ZEnableRotation,
  ZLoadSession,
  ZSessionName,
  ZSnapshotAddOutput,
  ZSnapshotRecord,
  ZTrack,
  ZTriggerName,
  type AddContextInput,
  type AddTriggerInput,
  type CreateSessionInput,
  type Domain,
  type EnableChannelInput,
  type EnableEventInput,
  type TrackInput,
  readableIssues,
} from "./schemas";
import type { z } from "zod";

export interface ControllerOptions {
  /** Root of local session output (`config().tracesDir`). User paths never leave it. */
  tracesDir: string;
  /** Output dir of the relayd Tracedeck starts (used when the running relayd's cannot be read). */
  relaydOutputDir: string;
  relayd: { host: string; controlPort: number; dataPort: number; livePort: number };
  /** Where `save` writes session files; default `<tracesDir>/../sessions`. */
  savedSessionsDir?: string;
  /** For the sessiond version (exclusion guard) and the running relayd's output dir. */
  daemons?: DaemonManager;
  /**
   * The files of the host the runner acts on; default this machine's. For a traced host,
   * `tracesDir` is a path on that host and no local directory is made for its sessions.
   */
  files?: HostFiles;
  /**
   * Where network and live sessions stream by default (`net://host:ctrl:data`); default the
   * relayd's configured address. A traced host needs the address by which it reaches this relayd.
   */
  defaultRelayUrl?: string;
}

/** A session with what may be done to it now. */
export interface SessionState {
  session: SessionDetail;
  startedOnce: boolean;
  snapshotOutputs: SnapshotOutput[];
  /** Where it writes, said the same way on every page (see `sessionOutput`). */
  output: string;
  actions: Record<SessionAction, ActionState>;
  /** Whether a trigger may act on this session with each action (guards.ts `triggerActionState`). */
  triggerActions: Record<TriggerActionType, ActionState>;
}

const TRIGGER_ACTION_TYPES = ["snapshot-session", "start-session", "stop-session", "rotate-session", "notify"] as const;
export type TriggerActionType = (typeof TRIGGER_ACTION_TYPES)[number];

/** One row of the sessions overview: LTTng's summary, and its state or why it has none. */
export interface SessionOverviewRow {
  summary: SessionSummary;
  state: SessionState | null;
  /** Why the state could not be read (e.g. a session that cannot be listed safely). */
  error: string | null;
}

/** At most this many `lttng` processes for one overview: the machine is often small. */
const OVERVIEW_CONCURRENCY = 4;

/** Resolves `rel` under `root` and refuses anything that would leave it. */
export function pathUnder(root: string, rel: string, field = "outputDir"): string {
  const abs = resolve(root, rel);
  const r = relative(root, abs);
  // `..` as a whole first segment leaves the root; a name such as `..data` does not.
  if (r === "" || r === ".." || r.startsWith(`..${sep}`) || isAbsolute(r))
    throw new LttngError("INVALID_INPUT", `The path must stay inside ${root}`, { field });
  return abs;
}

/** A snapshot output on the traced host's own disk (a path or `file://`), not a relay URL. */
function isLocalOutput(output: SnapshotOutput): boolean {
  const url = output.ctrlUrl ?? "";
  return url.startsWith("/") || url.startsWith("file://");
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const i = readableIssues(r.error)[0]!;
    throw new LttngError("INVALID_INPUT", i.message, { field: i.path || undefined });
  }
  return r.data;
}

function checkFilter(filter: string | undefined): void {
  if (filter === undefined) return;
  const e = checkFilterSyntax(filter);
  if (e) throw new LttngError("INVALID_FILTER", `Invalid filter at character ${e.offset + 1}: ${e.message}`, { field: "filter" });
}

export class LttngController {
  private readonly startedOnce = new Set<string>();
  /** The files of the host this controller acts on (see `ControllerOptions.files`). */
  readonly files: HostFiles;
  constructor(
    readonly runner: LttngRunner,
    private readonly opts: ControllerOptions,
  ) {
    this.files = opts.files ?? localFiles(runner.target);
  }

  get tracesDir(): string {
    return this.opts.tracesDir;
  }

  // ------------------------------------------------------------ queries

  async version() {
    return this.query(MiVersion, ["version"]);
  }

  async listSessions(): Promise<SessionSummary[]> {
    // Concurrent readers (every open tab polls the list) share one `lttng list`: a spawn holds
    // the event loop ~30 ms at the server's size under load (the load bench's CPU profile: 9.8 s
    // of 58 in 300 lists). A command that may change anything ends the sharing (exec), so a
    // list asked after a change never answers from before it.
    return [...(await this.sharedList.join())];
  }

  private readonly sharedList = new InFlight<SessionSummary[]>(() => this.query(MiSessionList, ["list"]));

  /**
   * One session with domains, channels, events, trackers and rotation schedules. On session
   * daemons older than 2.13.10 a session holding an event rule with an exclusion (made outside
   * Tracedeck) is refused instead of listed: listing it would crash the daemon.
   */
  async getSession(name: string): Promise<SessionDetail> {
    const s = parse(ZSessionName, name);
    await this.assertListable(s);
    return this.listOne(s);
  }

  /** `list SESSION`, once the session is known to be safe to list. */
  private async listOne(s: string): Promise<SessionDetail> {
    const d = await this.query(MiSessionDetail, ["list", s]);
    if (!d) throw new LttngError("NOT_FOUND", `Session ${s} not found`, { command: "list", field: "session" });
    return d;
  }

  /** The session, whether it was ever started, its snapshot outputs, and the allowed actions. */
  async sessionState(name: string): Promise<SessionState> {
    const s = parse(ZSessionName, name);
    // Two rounds of `lttng` instead of four: the exclusion check and `list` (which lists no
    // event rule, so it is safe) together, then the session and, for a snapshot session (the
    // mode is in `list`), its outputs together.
    const [unsafe, summaries] = await Promise.all([this.unlistable(s), this.listSessions()]);
    const why = unsafe.get(s);
    if (why !== undefined) throw new LttngError("NOT_ALLOWED", why, { command: "list", field: "session" });
    const summary = summaries.find((x) => x.name === s);
    if (!summary) throw new LttngError("NOT_FOUND", `Session ${s} not found`, { command: "list", field: "session" });
    const [session, outputs] = await Promise.all([this.listOne(s), summary.mode === "snapshot" ? this.snapshotListOutputs(s) : Promise.resolve([])]);
    return this.stateOf(session, outputs);
  }

  private async stateOf(session: SessionDetail, knownOutputs?: SnapshotOutput[]): Promise<SessionState> {
    const [snapshotOutputs, started] = await Promise.all([
      knownOutputs ?? (session.mode === "snapshot" ? this.snapshotListOutputs(session.name) : Promise.resolve([])),
      session.active || this.wasStarted(session),
    ]);
    const startedOnce = started;
    return {
      session,
      startedOnce,
      snapshotOutputs,
      output: sessionOutput(session, snapshotOutputs),
      actions: allowedActions(session, { startedOnce, snapshotOutputs: session.mode === "snapshot" ? snapshotOutputs.length : null }),
      triggerActions: Object.fromEntries(TRIGGER_ACTION_TYPES.map((t) => [t, triggerActionState(session, snapshotOutputs.length, t)])) as Record<
        TriggerActionType,
        ActionState
      >,
    };
  }

  /**
   * Every session with its state, for the sessions list and the overview, in one request:
   * one `list`, one exclusion check for all sessions (one `save`, not one per session), then
   * the sessions' `list SESSION` (and snapshot outputs) a few at a time.
   */
  async sessionsOverview(): Promise<SessionOverviewRow[]> {
    // `list` (no event rule in it: safe) and the exclusion check of every session together.
    const [summaries, unsafe] = await Promise.all([this.listSessions(), this.unlistable(null).catch((e: unknown) => e as Error)]);
    if (summaries.length === 0) return [];
    if (unsafe instanceof Error) throw unsafe;
    const rows: SessionOverviewRow[] = new Array(summaries.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < summaries.length; i = next++) {
        const summary = summaries[i]!;
        try {
          // Created after `save --all` ran: checked on its own before it is listed.
          const why = unsafe.checked && !unsafe.checked.has(summary.name) ? (await this.unlistable(summary.name)).get(summary.name) : unsafe.get(summary.name);
          if (why !== undefined) {
            rows[i] = { summary, state: null, error: why };
            continue;
          }
          const [session, outputs] = await Promise.all([
            this.listOne(summary.name),
            summary.mode === "snapshot" ? this.snapshotListOutputs(summary.name) : Promise.resolve([]),
          ]);
          rows[i] = { summary, state: await this.stateOf(session, outputs), error: null };
        } catch (e) {
          // Destroyed between the two listings, or refused: the row says why; the others stand.
          rows[i] = { summary, state: null, error: e instanceof Error ? e.message : String(e) };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(OVERVIEW_CONCURRENCY, summaries.length) }, worker));
    return rows;
  }

  /**
   * LTTng does not report whether a stopped session was ever started. We know it for sessions
   * started through this controller; for local sessions, trace data on disk also proves it.
   */
  private async wasStarted(s: SessionDetail): Promise<boolean> {
    if (this.startedOnce.has(s.name)) return true;
    return s.mode === "local" && !!s.path && (await this.files.holdsTraceData(s.path));
  }

  /** Available events of a domain (`list -k|-u|-j|-l|-p [-f]`, or kernel syscalls). */
  async listAvailable(domain: Domain, opts: { fields?: boolean; syscalls?: boolean } = {}): Promise<AvailableEvents> {
    if (opts.syscalls && domain !== "kernel") throw new LttngError("INVALID_INPUT", "System calls are a kernel list", { field: "syscalls" });
    return this.query(MiAvailable, listAvailableArgs(domain, opts));
  }

  // ------------------------------------------------------------ lifecycle

  /** Creates a session in one of LTTng's modes. Streaming and live first check the relay is reachable. */
  async createSession(input: CreateSessionInput): Promise<SessionSummary> {
    const c = this.withDefaultOutput(parse(ZCreateSession, input));
    switch (c.mode) {
      case "network":
      case "live": {
        const { url, ctrlUrl, dataUrl } = c;
        if ((ctrlUrl === undefined) !== (dataUrl === undefined))
          throw new LttngError("INVALID_INPUT", "Give both a control and a data URL", { field: ctrlUrl ? "dataUrl" : "ctrlUrl" });
        if (url && ctrlUrl) throw new LttngError("INVALID_INPUT", "Give either a URL or control and data URLs", { field: "url" });
        if (ctrlUrl) {
          const ep = relayEndpoint(ctrlUrl);
          await assertRelayReachable(ep.host, ep.controlPort, 2_000, "ctrlUrl");
        } else {
          const ep = relayEndpoint(url ?? this.defaultRelayUrl());
          await assertRelayReachable(ep.host, ep.controlPort, 2_000, "url");
        }
        break;
      }
      case "snapshot":
        if (!c.noOutput && c.url) {
          const ep = relayEndpoint(c.url);
          await assertRelayReachable(ep.host, ep.controlPort, 2_000, "url");
        }
        break;
    }
    const args = this.createArgsFor(c);
    const dir = this.localOutputDir(c);
    if (dir && this.files.local) await mkdir(dirname(dir), { recursive: true });
    const [s] = await this.query(MiSessionList, args, { field: "name" });
    if (!s) throw new LttngError("TOOL_FAILURE", "lttng create reported no session", { command: "create" });
    this.startedOnce.delete(s.name);
    return s;
  }

  /** The `create` arguments for a parsed input (no check, no side effect): also what the wizard shows. */
  createArgsFor(input: z.output<typeof ZCreateSession>): string[] {
    const c = this.withDefaultOutput(input);
    return createArgs(c, { localDir: this.localOutputDir(c), defaultRelayUrl: this.defaultRelayUrl() });
  }

  /**
   * A traced host's snapshot session without a chosen output records to this machine's
   * relayd, as its streaming sessions do, so its snapshots land in Archives like local ones.
   */
  private withDefaultOutput(c: z.output<typeof ZCreateSession>): z.output<typeof ZCreateSession> {
    if (this.files.local || c.mode !== "snapshot" || c.noOutput || c.url !== undefined || c.outputDir !== undefined) return c;
    return { ...c, url: this.defaultRelayUrl() };
  }

  /** The absolute local output directory of a local or snapshot session, kept under the traces root. */
  private localOutputDir(c: z.output<typeof ZCreateSession>): string | null {
    if (c.mode === "local" || (c.mode === "snapshot" && !c.noOutput && !c.url)) return pathUnder(this.opts.tracesDir, c.outputDir ?? c.name);
    return null;
  }

  private defaultRelayUrl(): string {
    if (this.opts.defaultRelayUrl) return this.opts.defaultRelayUrl;
    const r = this.opts.relayd;
    return `net://${r.host}:${r.controlPort}:${r.dataPort}`;
  }

  async destroy(name: string): Promise<SessionSummary | null> {
    const s = parse(ZSessionName, name);
    // destroy and stop wait for the consumers to flush every buffer: allow more than the default.
    const r = await this.query(MiSessionList, ["destroy", s], { field: "session", timeoutMs: 120_000 });
    this.startedOnce.delete(s);
    return r[0] ?? null;
  }

  async start(name: string): Promise<{ name: string; active: boolean }> {
    const s = parse(ZSessionName, name);
    const [r] = await this.query(MiStartStop, ["start", s], { field: "session" });
    this.startedOnce.add(s);
    return r ?? { name: s, active: true };
  }

  async stop(name: string): Promise<{ name: string; active: boolean }> {
    const s = parse(ZSessionName, name);
    const [r] = await this.query(MiStartStop, ["stop", s], { field: "session", timeoutMs: 120_000 });
    return r ?? { name: s, active: false };
  }

  async clear(name: string): Promise<SessionSummary | null> {
    const s = parse(ZSessionName, name);
    return (await this.query(MiSessionList, ["clear", s], { field: "session" }))[0] ?? null;
  }

  // ------------------------------------------------------------ channels, events, contexts, trackers

  async enableChannel(input: EnableChannelInput) {
    const c = parse(ZEnableChannel, input);
    await this.guard(c.session, "enableChannel");
    const [ch] = await this.query(MiChannels, enableChannelArgs(c), { field: "name" }).catch((e: unknown) => this.noteFrozen(c.session, e));
    if (!ch) throw new LttngError("TOOL_FAILURE", "lttng enable-channel reported no channel", { command: "enable-channel" });
    return ch;
  }

  async disableChannel(input: z.input<typeof ZDisableChannel>) {
    const c = parse(ZDisableChannel, input);
    return this.query(MiChannels, disableChannelArgs(c), { field: "names" });
  }

  /**
   * Enables event rules. The filter is checked for LTTng's syntax first; `--exclude` is
   * refused on session daemons that crash when listing such a session.
   */
  async enableEvent(input: EnableEventInput) {
    const e = parse(ZEnableEvent, input);
    checkFilter(e.filter);
    if (e.exclude?.length) assertExcludeSupported(await this.sessiondVersion());
    try {
      return await this.query(MiEvents, enableEventArgs(e), { field: "names" });
    } catch (err) {
      if (err instanceof LttngError && !e.channel && /Non-default channel exists/i.test(err.message))
        throw await this.nameTheChannels(e.session, e.domain, err);
      throw err;
    }
  }

  /**
   * LTTng's "Non-default channel exists within session: channel name needs to be specified
   * with '-c name'" as a sentence that says which channels there are to choose from.
   */
  private async nameTheChannels(session: string, domain: Domain, cause: LttngError): Promise<LttngError> {
    const mi = domain === "kernel" ? "KERNEL" : "UST";
    const channels = await this.getSession(session).then(
      // Sorted: sessiond lists channels in its hash table's order, which changes with each daemon.
      (d) =>
        d.domains
          .filter((x) => x.type === mi)
          .flatMap((x) => x.channels.map((c) => c.name))
          .sort(),
      () => [] as string[],
    );
    const which = channels.length ? `: choose one of ${channels.join(", ")}` : "";
    return new LttngError(
      cause.code,
      `Session ${session} has no default channel (channel0) to put this rule in${which}.`,
      { ...cause.details, field: "channel" },
      { cause },
    );
  }

  async disableEvent(input: z.input<typeof ZDisableEvent>) {
    const e = parse(ZDisableEvent, input);
    return this.query(MiDisableEvent, disableEventArgs(e), { field: "names" });
  }

  async addContext(input: AddContextInput) {
    const c = parse(ZAddContext, input);
    await this.guard(c.session, "addContext");
    return this.query(MiContexts, addContextArgs(c), { field: "types" }).catch((e: unknown) => this.noteFrozen(c.session, e));
  }

  async track(input: TrackInput) {
    return this.trackOrUntrack("track", input);
  }

  async untrack(input: TrackInput) {
    return this.trackOrUntrack("untrack", input);
  }

  private async trackOrUntrack(cmd: "track" | "untrack", input: TrackInput) {
    const t = parse(ZTrack, input);
    return this.query(MiTrackResult, trackArgs(cmd, t), { field: "values" });
  }

  // ------------------------------------------------------------ snapshots

  async snapshotListOutputs(session: string): Promise<SnapshotOutput[]> {
    const s = parse(ZSessionName, session);
    return (await this.query(MiSnapshotAction, ["snapshot", "list-output", `--session=${s}`], { field: "session" })).outputs;
  }

  async snapshotAddOutput(input: z.input<typeof ZSnapshotAddOutput>): Promise<SnapshotOutput> {
    const o = parse(ZSnapshotAddOutput, input);
    let destination: string;
    if (o.url) {
      const ep = relayEndpoint(o.url);
      await assertRelayReachable(ep.host, ep.controlPort, 2_000, "url");
      destination = o.url;
    } else {
      destination = pathUnder(this.opts.tracesDir, o.outputDir!);
      if (this.files.local) await mkdir(dirname(destination), { recursive: true });
    }
    const [out] = (await this.query(MiSnapshotAction, snapshotAddOutputArgs(o, destination), { field: "outputDir" })).outputs;
    if (!out) throw new LttngError("TOOL_FAILURE", "lttng snapshot add-output reported no output", { command: "snapshot" });
    return out;
  }

  async snapshotDelOutput(session: string, idOrName: number | string): Promise<void> {
    const s = parse(ZSessionName, session);
    const key = typeof idOrName === "number" ? String(idOrName) : parse(ZSessionName, idOrName);
    await this.exec(["snapshot", "del-output", `--session=${s}`, key], { field: "output" });
  }

  /**
   * Records a snapshot to the session's output and returns the directory it wrote. The MI
   * does not say where: each record gets a unique name (`-n`), and the directory that starts
   * with it is looked up in the output (local directory, or the relay daemon's output).
   */
  /**
   * Records a snapshot. `local`: LTTng wrote it to a local output, so the directory is complete
   * when this returns (through a relay, the relay may still be writing it).
   */
  async snapshotRecord(input: z.input<typeof ZSnapshotRecord>): Promise<{ name: string; path: string; local: boolean }> {
    const r = parse(ZSnapshotRecord, input);
    const [output] = await this.snapshotListOutputs(r.session);
    if (!output) throw new LttngError("NOT_ALLOWED", "The session has no snapshot output; add one first.", { field: "session" });
    const name = `${r.name ?? "snap"}-${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
    await this.exec(snapshotRecordArgs(r.session, name, r.maxSize), { field: "maxSize", timeoutMs: 120_000 });
    const path = await this.findSnapshotDir(output, name);
    if (!path) throw new LttngError("TOOL_FAILURE", `Snapshot ${name} was recorded but its directory was not found`, { command: "snapshot" });
    return { name, path, local: isLocalOutput(output) };
  }

  /** The directory of snapshot `name` in `output`: `<dir>/<name>-YYYYMMDD-HHMMSS-N`. */
  async findSnapshotDir(output: SnapshotOutput, name: string, waitMs = 5_000): Promise<string | null> {
    const url = output.ctrlUrl ?? "";
    // A local output is on the session daemon's host; a relay output on this machine.
    const onHost = url.startsWith("/") ? url : url.startsWith("file://") ? url.slice("file://".length) : null;
    const roots = onHost !== null ? [onHost] : await this.relayRoots();
    const find = onHost !== null ? (root: string) => this.files.findSnapshotDir(root, name) : (root: string) => findSnapshotDir(root, name);
    const deadline = Date.now() + waitMs;
    // A trigger's snapshot lands a few ms after its event, a relay's after the consumer has sent
    // the data: look again soon, then less often (5, 10, 20, 40, 80, then every 100 ms).
    for (let delay = 5; ; delay = Math.min(100, delay * 2)) {
      for (const root of roots) {
        const hit = await find(root);
        if (hit) return hit;
      }
      if (Date.now() > deadline) return null;
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  /**
   * Whether a path this controller reported (a snapshot or archive directory) is on this
   * machine: every path is for this machine's daemon; for a traced host, only what it
   * streamed to this machine's relayd.
   */
  async isOnThisMachine(path: string): Promise<boolean> {
    if (this.files.local) return true;
    const st = await this.opts.daemons?.relaydStatus();
    const r = relative(st?.outputDir ?? this.opts.relaydOutputDir, path);
    return r !== "" && r !== ".." && !r.startsWith(`..${sep}`) && !isAbsolute(r);
  }

  /** Where the relayd in use writes for this host: `<relayd -o>/<hostname>`. */
  private async relayRoots(): Promise<string[]> {
    const st = await this.opts.daemons?.relaydStatus();
    const base = st?.outputDir ?? this.opts.relaydOutputDir;
    return [join(base, await this.files.hostname())];
  }

  // ------------------------------------------------------------ rotation

  /**
   * Rotates and returns the archive path of the closed chunk. For a relay session the MI path
   * is relative to the relay's output; the first relay rotation reports the session directory
   * instead of its `archives/…` entry (LTTng 2.13.9), so that case is resolved on disk.
   */
  async rotate(session: string): Promise<{ state: string; archivePath: string | null }> {
    const s = parse(ZSessionName, session);
    const r = await this.query(MiRotation, ["rotate", s], { field: "session", timeoutMs: 120_000 });
    if (!r.location) return { state: r.state, archivePath: null };
    if (r.location.kind === "local") return { state: r.state, archivePath: r.location.path };
    const st = await this.opts.daemons?.relaydStatus();
    const base = st?.outputDir ?? this.opts.relaydOutputDir;
    return { state: r.state, archivePath: await resolveRelayArchive(base, r.location.relativePath) };
  }

  /** Starts a rotation without waiting (state ONGOING); the archive appears under `archives/`. */
  async rotateNoWait(session: string): Promise<{ state: string }> {
    const s = parse(ZSessionName, session);
    const r = await this.query(MiRotation, ["rotate", "--no-wait", s], { field: "session" });
    return { state: r.state };
  }

  async enableRotation(input: z.input<typeof ZEnableRotation>) {
    const r = parse(ZEnableRotation, input);
    return this.query(MiRotationSchedules, enableRotationArgs(r), { field: r.timerUs !== undefined ? "timerUs" : "size" });
  }

  async disableRotation(input: z.input<typeof ZDisableRotation>) {
    const r = parse(ZDisableRotation, input);
    return this.query(MiRotationSchedules, disableRotationArgs(r));
  }

  // ------------------------------------------------------------ regenerate, save, load

  async regenerate(session: string, what: "metadata" | "statedump") {
    const s = parse(ZSessionName, session);
    return this.query(MiRegenerate, ["regenerate", what, `--session=${s}`]);
  }

  get savedSessionsDir(): string {
    return this.opts.savedSessionsDir ?? join(dirname(this.opts.tracesDir), "sessions");
  }

  /** Saves a session's configuration to `<savedSessionsDir>/<name>.lttng`. Triggers are not saved by LTTng. */
  async save(session: string, force = false): Promise<{ session: string; path: string }> {
    const s = parse(ZSessionName, session);
    await mkdir(this.savedSessionsDir, { recursive: true });
    await this.exec(saveArgs(s, this.savedSessionsDir, force), { field: "session" });
    return { session: s, path: join(this.savedSessionsDir, `${s}.lttng`) };
  }

  async load(input: z.input<typeof ZLoadSession>) {
    const l = parse(ZLoadSession, input);
    const file = join(this.savedSessionsDir, `${l.session}.lttng`);
    const localDir = !l.overrideUrl && l.overrideOutputDir ? pathUnder(this.opts.tracesDir, l.overrideOutputDir, "overrideOutputDir") : null;
    return this.query(MiLoad, loadArgs(l, file, localDir), { field: "session" });
  }

  // ------------------------------------------------------------ triggers

  /**
   * What `addTrigger` would run, as a shell command, or why it cannot: the same checks (filter
   * syntax, each action's session able to do it) and the same arguments. No side effect.
   */
  async planTrigger(input: AddTriggerInput): Promise<{ command: string | null; issues: Array<{ path: string; message: string }> }> {
    try {
      const t = parse(ZAddTrigger, input);
      checkFilter(t.filter);
      await this.guardTriggerActions(t);
      return { command: shellCommand(await this.triggerArgs(t)), issues: [] };
    } catch (e) {
      if (e instanceof LttngError && (e.code === "INVALID_INPUT" || e.code === "INVALID_FILTER" || e.code === "NOT_ALLOWED" || e.code === "NOT_FOUND")) {
        return { command: null, issues: [{ path: e.field ?? "", message: e.message }] };
      }
      throw e;
    }
  }

  /**
   * A trigger's session actions must be possible on their session, as the session page's
   * buttons are: snapshots need a snapshot session with an output, rotation a session that
   * can rotate. LTTng itself accepts such a trigger and fails only when it fires.
   */
  private async guardTriggerActions(t: z.output<typeof ZAddTrigger>): Promise<void> {
    for (const [i, a] of t.actions.entries()) {
      if (a.type !== "snapshot-session" && a.type !== "rotate-session") continue;
      const st = await this.sessionState(a.session).catch((e: unknown) => {
        if (e instanceof LttngError && e.code === "NOT_FOUND")
          throw new LttngError("NOT_FOUND", `Session ${a.session} not found`, { field: `actions.${i}.session` });
        throw e;
      });
      const state = triggerActionState(st.session, st.snapshotOutputs.length, a.type);
      if (!state.allowed) throw new LttngError("NOT_ALLOWED", state.reason ?? "Not allowed", { field: `actions.${i}.type` });
    }
  }

  /** Adds an event-rule-matches trigger with its actions (notify, start/stop/rotate/snapshot-session). */
  async addTrigger(input: AddTriggerInput): Promise<Trigger> {
    const t = parse(ZAddTrigger, input);
    checkFilter(t.filter);
    if (t.exclude?.length) assertExcludeSupported(await this.sessiondVersion());
    await this.guardTriggerActions(t);
    const args = await this.triggerArgs(t);
    // LTTng 2.13.9's MI serializer asserts on rotate-session actions (lttng aborts after the
    // trigger is registered): register those without the MI and read the trigger back.
    if (t.actions.some((a) => a.type === "rotate-session")) {
      await this.execText(args, { field: "name" });
      const found = (await this.listTriggers()).find((x) => x.name === t.name);
      if (!found) throw new LttngError("TOOL_FAILURE", `Trigger ${t.name} was added but is not listed`, { command: "add-trigger" });
      return found;
    }
    const added = await this.query(MiOneTrigger, args, { field: "name" });
    // The MI prints stop-session actions as start-session; we know what we asked for.
    return { ...added, actions: added.actions.map((a, i) => ({ ...a, type: t.actions[i]?.type ?? a.type })) };
  }

  /** The `add-trigger` arguments; a snapshot action with a name or size repeats its session's current output. */
  private async triggerArgs(t: z.output<typeof ZAddTrigger>): Promise<string[]> {
    const outputs = new Map<string, SnapshotOutput>();
    for (const a of t.actions) {
      if (a.type !== "snapshot-session" || !snapshotNeedsDestination(a) || outputs.has(a.session)) continue;
      const [out] = await this.snapshotListOutputs(a.session);
      if (!out?.ctrlUrl) throw new LttngError("NOT_ALLOWED", `Session ${a.session} has no snapshot output to name snapshots in`, { field: "actions" });
      outputs.set(a.session, out);
    }
    return addTriggerArgs(t, outputs);
  }

  /**
   * Every trigger of the daemon (for this user). Read from the MI when it works, with
   * start/stop actions corrected from the text listing; from the text listing alone when the
   * MI aborts (any rotate-session trigger, LTTng 2.13.9).
   */
  async listTriggers(): Promise<Trigger[]> {
    let fromMi: Trigger[];
    try {
      fromMi = await this.query(MiTriggerList, ["list-triggers"]);
    } catch (e) {
      if (e instanceof LttngError && e.details.signal === "SIGABRT") return parseTriggersText(await this.execText(["list-triggers"]));
      throw e;
    }
    if (!fromMi.some((t) => t.actions.some((a) => a.type === "start-session"))) return fromMi;
    const text = new Map(parseTriggersText(await this.execText(["list-triggers"])).map((t) => [t.name, t]));
    return fromMi.map((t) => {
      const tt = text.get(t.name);
      return tt ? { ...t, actions: t.actions.map((a, i) => ({ ...a, type: tt.actions[i]?.type ?? a.type })) } : t;
    });
  }

  /** Removes a trigger and returns it as it was. Uses the text command: the MI one aborts on rotate-session triggers. */
  async removeTrigger(name: string): Promise<Trigger> {
    const n = parse(ZTriggerName, name);
    const before = (await this.listTriggers()).find((t) => t.name === n);
    await this.execText(["remove-trigger", n], { field: "name" });
    if (!before) throw new LttngError("TOOL_FAILURE", `Trigger ${n} was removed but had not been listed`, { command: "remove-trigger" });
    return before;
  }

  // ------------------------------------------------------------ helpers

  /** Runs a command and reads its MI output with `schema`: what most methods are. */
  private async query<T extends z.ZodType>(schema: T, args: readonly string[], opts: RunOptions = {}): Promise<z.output<T>> {
    return schema.parse((await this.exec(args, opts)).doc.output);
  }

  /** Runs a command through the MI: every `lttng` of this controller goes through here or `execText`. */
  private exec(args: readonly string[], opts: RunOptions = {}): Promise<MiRun> {
    return this.explainFailure(args, () => this.runner.run(args, opts));
  }

  /** Runs a command without the MI, only where LTTng 2.13.9's MI is broken (triggers, see README). */
  private execText(args: readonly string[], opts: RunOptions = {}): Promise<string> {
    return this.explainFailure(args, () => this.runner.runText(args, opts));
  }

  /** Commands that change no session (`save` writes a scratch copy): they leave a shared session list to its readers. */
  private static readonly READ_ONLY = new Set(["list", "version", "status", "list-triggers", "view", "help", "save"]);

  /**
   * For a kernel-domain command that LTTng fails with a broken connection ("Fatal error of the
   * session daemon": without a kernel tracer the daemon refuses some kernel commands before
   * reading them, and the client's next write fails), asks LTTng whether the kernel tracer is
   * available and reports that instead.
   */
  private async explainFailure<R>(args: readonly string[], run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (e) {
      if (!(e instanceof LttngError) || !args.includes("-k") || e.code === "KERNEL_TRACER_UNAVAILABLE") throw e;
      if (!/Fatal error|cut off|closed the connection/i.test(e.message)) throw e;
      try {
        await this.runner.run(["list", "-k"]);
      } catch (probe) {
        if (probe instanceof LttngError && probe.code === "KERNEL_TRACER_UNAVAILABLE") {
          throw new LttngError("KERNEL_TRACER_UNAVAILABLE", `${e.message}: Kernel tracer not available`, e.details, { cause: e });
        }
      }
      throw e;
    } finally {
      if (!LttngController.READ_ONLY.has(args[0] ?? "")) this.sharedList.end();
    }
  }

  private async guard(session: string, action: SessionAction): Promise<void> {
    const st = await this.sessionState(session);
    assertAllowed(st.actions, action, session);
  }

  /**
   * `lttng list SESSION` makes lttng-sessiond < 2.13.10 segfault when the session has an event
   * rule with exclusions (lttng-facts.md §0). `lttng save` does not: save the configuration
   * to a scratch directory and look for exclusions first.
   */
  private async assertListable(session: string): Promise<void> {
    const why = (await this.unlistable(session)).get(session);
    if (why !== undefined) throw new LttngError("NOT_ALLOWED", why, { command: "list", field: "session" });
  }

  /** The sessions (one, or all with `null`) that must not be listed, each with the reason (listable.ts). */
  private async unlistable(session: string | null): Promise<Unlistable> {
    return unlistableSessions(session, await this.sessiondVersion(), this.files, (args) => this.exec(args, { field: "session" }));
  }

  /** Remembers sessions LTTng says were started (it cannot be asked), so guards know next time. */
  private noteFrozen(session: string, e: unknown): never {
    if (e instanceof LttngError && /already been started once/.test(e.message)) this.startedOnce.add(session);
    throw e;
  }

  private async sessiondVersion(): Promise<string | null> {
    const d = this.opts.daemons;
    // `daemons` manages this machine's daemons; a traced host's version is unknown (null:
    // every session is checked for exclusions before it is listed).
    if (!d || !this.files.local) return null;
    return d.sessiondVersion();
  }
}
