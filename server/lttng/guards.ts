/**
 * What may be done to a session in its current state, with the reason when not, so the UI
 * can disable a button and say why before the user tries. The rules are LTTng 2.13's own
 * (lttng-facts.md §3, §9): rotation only for local/network sessions, channels and contexts
 * frozen after the first start, one snapshot output per session, and so on.
 */
import { connect } from "node:net";
import { LttngError } from "./errors";
import type { SessionDetail } from "./mi/outputs";

export const SESSION_ACTIONS = [
  "start",
  "stop",
  "destroy",
  "clear",
  "enableChannel",
  "disableChannel",
  "addContext",
  "enableEvent",
  "disableEvent",
  "track",
  "rotate",
  "enableRotation",
  "disableRotation",
  "snapshotRecord",
  "snapshotAddOutput",
  "snapshotDelOutput",
  "regenerateMetadata",
  "regenerateStatedump",
  "save",
] as const;
export type SessionAction = (typeof SESSION_ACTIONS)[number];

export interface ActionState {
  allowed: boolean;
  /** Why not, in a sentence for the UI; null when allowed. */
  reason: string | null;
}

export interface GuardContext {
  /** The session has been started at least once (LTTng does not say; the controller tracks it). */
  startedOnce: boolean;
  /** Number of snapshot outputs (snapshot sessions); null when unknown. */
  snapshotOutputs: number | null;
}

const ok: ActionState = { allowed: true, reason: null };
const no = (reason: string): ActionState => ({ allowed: false, reason });

export function allowedActions(s: SessionDetail, ctx: GuardContext): Record<SessionAction, ActionState> {
  const everStarted = s.active || ctx.startedOnce;
  const hasChannel = s.domains.some((d) => d.channels.length > 0 || d.events.length > 0);
  const frozen = everStarted ? no("Channels and contexts cannot change once the session has been started (LTTng freezes them at the first start).") : ok;
  const rotation =
    s.mode === "snapshot"
      ? no("Rotation is not available for snapshot sessions.")
      : s.mode === "live"
        ? no("Rotation is not available for live sessions.")
        : s.mode === "no-output"
          ? no("Rotation needs a session that writes a trace.")
          : ok;
  const isSnap = s.mode === "snapshot";
  return {
    start: s.active ? no("The session is already recording.") : hasChannel ? ok : no("Add a channel or an event rule first."),
    stop: s.active ? ok : no("The session is not recording."),
    destroy: ok,
    clear: ok,
    enableChannel: frozen,
    addContext: frozen,
    disableChannel: hasChannel ? ok : no("The session has no channel."),
    enableEvent: ok,
    disableEvent: hasChannel ? ok : no("The session has no event rule."),
    track: ok,
    rotate: !rotation.allowed ? rotation : everStarted ? ok : no("Start the session first: there is nothing to rotate yet."),
    enableRotation: rotation,
    disableRotation: !rotation.allowed ? rotation : s.rotation.periodicUs !== null || s.rotation.sizeBytes !== null ? ok : no("No rotation schedule is set."),
    snapshotRecord: !isSnap
      ? no("Snapshots need a session created in snapshot mode.")
      : ctx.snapshotOutputs === 0
        ? no("The session has no snapshot output; add one first.")
        : everStarted
          ? ok
          : no("Start the session first: its ring buffers are empty."),
    snapshotAddOutput: !isSnap
      ? no("Snapshot outputs belong to snapshot sessions.")
      : ctx.snapshotOutputs !== null && ctx.snapshotOutputs > 0
        ? no("A session has only one snapshot output; delete the current one first.")
        : ok,
    snapshotDelOutput: !isSnap
      ? no("Snapshot outputs belong to snapshot sessions.")
      : ctx.snapshotOutputs === 0
        ? no("The session has no snapshot output.")
        : ok,
    regenerateMetadata: s.active ? ok : no("The session must be recording."),
    regenerateStatedump: s.active ? ok : no("The session must be recording."),
    save: ok,
  };
}

/** Throws a NOT_ALLOWED error carrying the reason when `action` is not allowed. */
export function assertAllowed(states: Record<SessionAction, ActionState>, action: SessionAction, session: string): void {
  const st = states[action];
  if (!st.allowed) throw new LttngError("NOT_ALLOWED", st.reason ?? `${action} is not allowed`, { command: action, args: [session] });
}

/** Compares dotted versions numerically: -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** The first sessiond release that can list sessions with exclusions without crashing. */
export const EXCLUDE_SAFE_VERSION = "2.13.10";

/**
 * Refuses `--exclude` on a session daemon older than 2.13.10: listing a session with an
 * exclusion makes 2.13.9 segfault (upstream commit 0bfaecd62), taking every session with it.
 */
export function assertExcludeSupported(sessiondVersion: string | null): void {
  if (sessiondVersion === null || compareVersions(sessiondVersion, EXCLUDE_SAFE_VERSION) < 0) {
    throw new LttngError(
      "NOT_ALLOWED",
      `Event exclusions are refused with lttng-sessiond ${sessiondVersion ?? "(unknown version)"}: listing a session that has one crashes session daemons older than ${EXCLUDE_SAFE_VERSION}, and every session with it. Use a filter instead (e.g. a condition on a field).`,
      { field: "exclude" },
    );
  }
}

/** Resolves when a TCP connection to host:port succeeds within `timeoutMs`; otherwise throws RELAYD_UNREACHABLE. */
export function assertRelayReachable(host: string, port: number, timeoutMs = 2_000, field = "url"): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port });
    const fail = (why: string) => {
      sock.destroy();
      reject(new LttngError("RELAYD_UNREACHABLE", `No relay daemon answers on ${host}:${port} (${why}). Start lttng-relayd first.`, { field }));
    };
    const timer = setTimeout(() => fail("timed out"), timeoutMs);
    sock.once("connect", () => {
      clearTimeout(timer);
      sock.end();
      resolve();
    });
    sock.once("error", (e) => {
      clearTimeout(timer);
      fail((e as NodeJS.ErrnoException).code ?? e.message);
    });
  });
}

/** Host and control/data ports of `net://HOST[:C[:D]]/…` or `tcp://HOST:P/…`. */
export function relayEndpoint(url: string): { host: string; controlPort: number; dataPort: number | null } {
  const m = /^(net6?|tcp6?):\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?(?::(\d+))?/.exec(url);
  if (!m) throw new LttngError("INVALID_INPUT", `Not a relay URL: ${url}`, { field: "url" });
  const host = m[2]!.replace(/^\[|\]$/g, "");
  if (m[1]!.startsWith("tcp")) return { host, controlPort: Number(m[3]), dataPort: null };
  return { host, controlPort: m[3] ? Number(m[3]) : 5342, dataPort: m[4] ? Number(m[4]) : 5343 };
}

/**
 * Whether a trigger action may act on session `s`: a snapshot needs a snapshot session with an
 * output (a trigger may fire before the first start, so no "started" condition), a rotation
 * a session that can rotate. Starting, stopping and notifying are always possible.
 */
export function triggerActionState(
  s: SessionDetail,
  snapshotOutputs: number,
  type: "notify" | "start-session" | "stop-session" | "rotate-session" | "snapshot-session",
): ActionState {
  if (type === "snapshot-session") {
    if (s.mode !== "snapshot") return no("Snapshots need a session created in snapshot mode.");
    return snapshotOutputs === 0 ? no("The session has no snapshot output; add one first.") : ok;
  }
  if (type === "rotate-session") {
    if (s.mode === "snapshot") return no("Rotation is not available for snapshot sessions.");
    if (s.mode === "live") return no("Rotation is not available for live sessions.");
    if (s.mode === "no-output") return no("Rotation needs a session that writes a trace.");
  }
  return ok;
}
