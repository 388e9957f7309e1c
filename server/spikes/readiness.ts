/**
 * Whether a spike rule's sessions can do what the rule asks of them, read from this host's
 * session list. A rule naming a session that does not exist (or is not in snapshot mode) is
 * saved as LTTng saves a trigger naming one, since the session may be created after the rule,
 * but its first spike would fail: the Spikes page says so beside the rule instead.
 */
import type { SessionSummary } from "../lttng/mi/outputs";
import type { SpikeRuleSpec } from "./schema";

type RuleSessions = Pick<SpikeRuleSpec, "snapshotSession" | "other" | "hostGroup">;

/** Sentences, one per problem; none when the rule's sessions are ready (or live on other hosts). */
export function ruleSessionProblems(rule: RuleSessions, sessions: readonly SessionSummary[]): string[] {
  // A host group's sessions are on its hosts: the fleet's bulk snapshot reports each host's failure.
  if (rule.hostGroup !== undefined) return [];
  const byName = new Map(sessions.map((s) => [s.name, s]));
  const problems: string[] = [];
  const snap = byName.get(rule.snapshotSession);
  if (snap === undefined) {
    problems.push(`No session ${rule.snapshotSession} on this host: a spike's snapshot would fail until it is created in snapshot mode.`);
  } else if (snap.mode !== "snapshot") {
    problems.push(`${rule.snapshotSession} is a ${snap.mode} session, not a snapshot one: LTTng refuses \`snapshot record\` on it.`);
  } else if (!snap.active) {
    // LTTng records a snapshot of a stopped session, but of what it held when it stopped (and
    // refuses one of a session never started): either way, not the spike.
    problems.push(`${rule.snapshotSession} is not recording: a snapshot would not hold the spike.`);
  }
  const other = rule.other;
  if (other.action !== "none" && other.session !== undefined) {
    const s = byName.get(other.session);
    if (s === undefined) problems.push(`No session ${other.session} on this host to ${other.action}.`);
    else if (other.action === "rotate" && (s.mode === "snapshot" || s.mode === "live"))
      problems.push(`${other.session} is a ${s.mode} session: LTTng refuses to rotate it.`);
    else if (other.action === "stop" && !s.active) problems.push(`${other.session} is already stopped.`);
  }
  return problems;
}
