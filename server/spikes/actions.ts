/**
 * What a spike does, for both detection paths: record it, snapshot the rule's snapshot
 * session under a unique name (so its directory is known: the MI does not say where a
 * snapshot went), tell the archive index its cause (`spike:<id>`), then rotate or stop
 * another session if the rule says so. A rule naming a host group has the snapshot recorded
 * on every host of the group at once, through the fleet's bulk snapshot. Spikes not acted on (cooldown, hourly budget) are
 * counted on the rule's last recorded spike, at most one write per rule per second: a storm
 * of slow requests must cost the database nothing more than the snapshots it allows.
 */
import type { Db } from "../db";
import type { LttngController } from "../lttng/controller";
import { moduleLogger } from "../log";
import type { LimitVerdict } from "./limiter";
import type { StoredRule } from "./rules";

const log = moduleLogger("spikes");

export type SpikeOutcome = "recording" | "snapshot" | "failed" | "cooldown" | "hourly-limit";

/** A spike as recorded (what the metrics and the Grafana push see). */
export interface RecordedSpike {
  id: number;
  ruleId: number;
  ruleName: string;
  sourceId: number;
  tsNs: bigint;
  valueNs: bigint;
  thresholdNs: bigint;
  detection: "live" | "trigger";
  outcome: SpikeOutcome;
  archivePath: string | null;
  actionMs: number | null;
  error: string | null;
}

export interface ActionDeps {
  db: Db;
  controller: Pick<LttngController, "snapshotRecord" | "rotateNoWait" | "stop">;
  /** The archive index learns why Tracedeck recorded this directory (`complete`: index it now, see ArchiveIndexer.noteRecorded). */
  noteRecorded: (path: string, cause: string, complete?: boolean) => void;
  /** After each spike acted on (snapshot taken or failed), and each suppressed one. */
  onSpike?: (s: RecordedSpike) => void;
  onSuppressed?: (rule: StoredRule, verdict: LimitVerdict) => void;
  /** The fleet's bulk snapshot (server/fleet): `session` recorded on every host of `group`, one result per host. */
  groupSnapshot?: (group: string, session: string, name: string) => Promise<GroupSnapshotResult[]>;
}

/** One host's part of a group snapshot. */
export interface GroupSnapshotResult {
  host: string;
  ok: boolean;
  message: string;
  snapshot?: { name: string; path: string };
}

/** The name prefix of a spike's snapshot: `lttng snapshot record -n` gets a unique suffix on top. */
export const spikeSnapshotPrefix = (spikeId: number) => `spike-${spikeId}`;
export const spikeCause = (spikeId: number) => `spike:${spikeId}`;

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export interface SpikeInput {
  rule: StoredRule;
  tsNs: bigint;
  valueNs: number;
  thresholdNs: number;
  detection: "live" | "trigger";
}

export class SpikeActions {
  /** Per rule: the last spike row acted on, and suppressed spikes not yet written to it. */
  private readonly pending = new Map<number, { spikeId: number | null; count: number; timer?: NodeJS.Timeout }>();

  constructor(private readonly deps: ActionDeps) {}

  /** The archive index learns that `path` is spike `…`'s snapshot. */
  noteRecorded(path: string, cause: string): void {
    this.deps.noteRecorded(path, cause);
  }

  /** Creates the spike's row before acting, so that the snapshot can carry its id. */
  async begin(s: SpikeInput, outcome: SpikeOutcome = "recording", extra: { snapshotName?: string } = {}): Promise<number> {
    const row = await this.deps.db.spike.create({
      data: {
        ruleId: s.rule.id,
        ruleName: s.rule.name,
        sourceId: s.rule.sourceId,
        tsNs: s.tsNs,
        valueNs: BigInt(Math.round(s.valueNs)),
        thresholdNs: BigInt(Math.round(s.thresholdNs)),
        detection: s.detection,
        outcome,
        snapshotName: extra.snapshotName ?? null,
      },
      select: { id: true },
    });
    await this.flush(s.rule.id);
    this.pending.set(s.rule.id, { spikeId: row.id, count: 0 });
    return row.id;
  }

  /** Live path: record the spike, snapshot, then the rule's other action. */
  async act(s: SpikeInput, seenAtMs = performance.now()): Promise<RecordedSpike> {
    const id = await this.begin(s);
    let archivePath: string | null = null;
    let snapshotName: string | null = null;
    let error: string | null = null;
    let actionMs: number | null = null;
    if (s.rule.hostGroup !== undefined) {
      ({ archivePath, snapshotName, error } = await this.snapshotGroup(s.rule, s.rule.hostGroup, id));
      actionMs = Math.round(performance.now() - seenAtMs);
    } else {
      try {
        const r = await this.deps.controller.snapshotRecord({ session: s.rule.snapshotSession, name: spikeSnapshotPrefix(id) });
        actionMs = Math.round(performance.now() - seenAtMs);
        archivePath = r.path;
        snapshotName = r.name;
        this.deps.noteRecorded(r.path, spikeCause(id), r.local);
      } catch (e) {
        error = `Snapshot of ${s.rule.snapshotSession} failed: ${errText(e)}`;
      }
    }
    error = (await this.other(s.rule)) ?? error;
    return this.finish(id, s, { archivePath, snapshotName, error, actionMs, outcome: archivePath !== null ? "snapshot" : "failed" });
  }

  /**
   * The snapshot on every host of `group`: each snapshot directory is noted with the spike's
   * cause; the spike row keeps the first one (this machine's when it is in the group) and
   * names every host that failed.
   */
  private async snapshotGroup(
    rule: StoredRule,
    group: string,
    id: number,
  ): Promise<{ archivePath: string | null; snapshotName: string | null; error: string | null }> {
    if (!this.deps.groupSnapshot) return { archivePath: null, snapshotName: null, error: `Snapshot on group ${group} failed: no fleet in this process` };
    let results: GroupSnapshotResult[];
    try {
      results = await this.deps.groupSnapshot(group, rule.snapshotSession, spikeSnapshotPrefix(id));
    } catch (e) {
      return { archivePath: null, snapshotName: null, error: `Snapshot of ${rule.snapshotSession} on group ${group} failed: ${errText(e)}` };
    }
    const done = results.filter((r) => r.ok && r.snapshot);
    for (const r of done) this.deps.noteRecorded(r.snapshot!.path, spikeCause(id));
    const first = done.find((r) => r.host === "local") ?? done[0];
    const failed = results.filter((r) => !r.ok);
    const error =
      failed.length === 0
        ? null
        : `Snapshot of ${rule.snapshotSession} failed on ${failed.length} of ${results.length} hosts of group ${group}: ${failed.map((r) => `${r.host}: ${r.message}`).join("; ")}`;
    return { archivePath: first?.snapshot?.path ?? null, snapshotName: first?.snapshot?.name ?? null, error };
  }

  /** Trigger path: LTTng took the snapshot; record where it went. */
  async finish(
    id: number,
    s: SpikeInput,
    r: { archivePath: string | null; snapshotName: string | null; error: string | null; actionMs: number | null; outcome: SpikeOutcome },
  ): Promise<RecordedSpike> {
    await this.deps.db.spike.update({
      where: { id },
      data: { outcome: r.outcome, archivePath: r.archivePath, snapshotName: r.snapshotName, error: r.error, actionMs: r.actionMs },
    });
    if (r.error !== null) log.warn({ spike: id, rule: s.rule.name, err: r.error }, "spike action failed");
    else log.info({ spike: id, rule: s.rule.name, valueNs: s.valueNs, path: r.archivePath, actionMs: r.actionMs }, "spike snapshot recorded");
    const out: RecordedSpike = {
      id,
      ruleId: s.rule.id,
      ruleName: s.rule.name,
      sourceId: s.rule.sourceId,
      tsNs: s.tsNs,
      valueNs: BigInt(Math.round(s.valueNs)),
      thresholdNs: BigInt(Math.round(s.thresholdNs)),
      detection: s.detection,
      outcome: r.outcome,
      archivePath: r.archivePath,
      actionMs: r.actionMs,
      error: r.error,
    };
    this.deps.onSpike?.(out);
    return out;
  }

  /** The rule's second action (rotate or stop another session); its error, if any. */
  async other(rule: StoredRule): Promise<string | null> {
    const o = rule.other;
    if (o.action === "none" || o.session === undefined) return null;
    try {
      if (o.action === "rotate") await this.deps.controller.rotateNoWait(o.session);
      else await this.deps.controller.stop(o.session);
      return null;
    } catch (e) {
      return `${o.action === "rotate" ? "Rotation" : "Stop"} of ${o.session} failed: ${errText(e)}`;
    }
  }

  /** A spike not acted on: counted on the rule's last spike (written at most once a second). */
  suppress(s: SpikeInput, verdict: Exclude<LimitVerdict, "act">): void {
    this.deps.onSuppressed?.(s.rule, verdict);
    const p = this.pending.get(s.rule.id);
    if (!p || p.spikeId === null) {
      // Nothing acted on yet in this process (e.g. the hourly budget left by a restart): one row says so.
      this.pending.set(s.rule.id, { spikeId: null, count: 0 });
      void this.begin(s, verdict).catch((e: unknown) => log.warn({ rule: s.rule.name, err: errText(e) }, "cannot record a spike"));
      return;
    }
    p.count++;
    p.timer ??= setTimeout(() => void this.flush(s.rule.id), 1_000);
  }

  /** Writes the suppressed counts now (tests, shutdown). */
  async flushAll(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((id) => this.flush(id)));
  }

  private async flush(ruleId: number): Promise<void> {
    const p = this.pending.get(ruleId);
    if (!p) return;
    clearTimeout(p.timer);
    p.timer = undefined;
    if (p.spikeId === null || p.count === 0) return;
    const n = p.count;
    p.count = 0;
    await this.deps.db.spike
      .update({ where: { id: p.spikeId }, data: { suppressed: { increment: n } } })
      .catch((e: unknown) => log.warn({ spike: p.spikeId, err: errText(e) }, "cannot count suppressed spikes"));
  }
}
