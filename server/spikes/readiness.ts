/**
 * Whether a spike rule's sessions can do what the rule asks of them, read from the session
 * lists Tracedeck already keeps: this host's (`lttng list`, shared) and, for a rule that
 * snapshots a host group, each host's as the fleet view last saw it. A rule naming a session
 * that does not exist (or is not in snapshot mode) is saved as LTTng saves a trigger naming
 * one, since the session may be created after the rule, but its first spike would fail: the
 * Spikes page says so beside the rule instead.
 */
import type { SpikeRuleSpec } from "./schema";

type RuleSessions = Pick<SpikeRuleSpec, "snapshotSession" | "other" | "hostGroup">;

/** A session as both `lttng list` and the fleet view give it. */
export interface ListedSession {
  name: string;
  mode: string;
  active: boolean;
}

/** A host of the rule's group as the fleet view last saw it (server/fleet/overview.ts). */
export interface GroupHost {
  host: string;
  state: "up" | "down" | "unknown";
  sessions: readonly ListedSession[];
}

function snapshotProblem(session: string, sessions: readonly ListedSession[], where: string): string | null {
  const s = sessions.find((x) => x.name === session);
  if (s === undefined) return `No session ${session} on ${where}: a spike's snapshot would fail until it is created in snapshot mode.`;
  if (s.mode !== "snapshot")
    return `${session} is a ${s.mode} session${where === "this host" ? "" : ` on ${where}`}, not a snapshot one: LTTng refuses \`snapshot record\` on it.`;
  // LTTng records a snapshot of a stopped session, but of what it held when it stopped (and
  // refuses one of a session never started): either way, not the spike.
  if (!s.active) return `${session} is not recording${where === "this host" ? "" : ` on ${where}`}: a snapshot would not hold the spike.`;
  return null;
}

/**
 * Sentences, one per problem; none when the rule's sessions are ready. `group`: the hosts of
 * the rule's host group (undefined when it has none, or they are not known yet).
 */
export function ruleSessionProblems(rule: RuleSessions, local: readonly ListedSession[], group?: readonly GroupHost[]): string[] {
  const problems: string[] = [];
  if (rule.hostGroup === undefined) {
    const p = snapshotProblem(rule.snapshotSession, local, "this host");
    if (p !== null) problems.push(p);
  } else if (group !== undefined) {
    if (group.length === 0) problems.push(`Host group ${rule.hostGroup} has no host: a spike would snapshot nothing.`);
    for (const h of group) {
      // A host not yet asked is not a problem; one that did not answer is where a snapshot fails.
      if (h.state === "unknown") continue;
      const p =
        h.state === "down"
          ? `Host ${h.host} of group ${rule.hostGroup} is down: its snapshot would fail.`
          : snapshotProblem(rule.snapshotSession, h.sessions, `host ${h.host}`);
      if (p !== null) problems.push(p);
    }
  }
  // Rotating or stopping another session is done on this host, whatever the snapshot's target.
  const other = rule.other;
  if (other.action !== "none" && other.session !== undefined) {
    const s = local.find((x) => x.name === other.session);
    if (s === undefined) problems.push(`No session ${other.session} on this host to ${other.action}.`);
    else if (other.action === "rotate" && (s.mode === "snapshot" || s.mode === "live"))
      problems.push(`${other.session} is a ${s.mode} session: LTTng refuses to rotate it.`);
    else if (other.action === "stop" && !s.active) problems.push(`${other.session} is already stopped.`);
  }
  return problems;
}
