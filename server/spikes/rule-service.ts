/**
 * The spike service of the running server: the live detector (fed every value of every
 * latency source by the history writer's `onValue` hook), the trigger path's rules, and the
 * actions both share. Rules live in the database; `reload()` applies edits (the router calls
 * it after each change). Next may load this module more than once, so the instance lives on
 * globalThis.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "../db";
import type { LttngController } from "../lttng/controller";
import type { NotifyLine } from "../lttng/notify";
import { moduleLogger } from "../log";
import type { EpochNs } from "../time";
import { SpikeActions, type ActionDeps, type RecordedSpike } from "./actions";
import { SpikeDetector, type Baseline } from "./detector";
import type { LimitVerdict } from "./limiter";
import { listRules, type StoredRule } from "./rules";
import { latencySourceSchema, type LatencySource } from "./sources";
import { TriggerRule, removeTriggersWithPrefix, type TriggerSource } from "./trigger-path";

const log = moduleLogger("spikes");
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

const UNIT_NS = { ns: 1, us: 1e3, ms: 1e6 } as const;

/** A latency source as the trigger path needs it, or why it cannot be one. */
export function triggerSourceOf(src: LatencySource): TriggerSource | string {
  if (src.kind !== "field") return "The trigger path needs a duration-field source (an event carrying its own latency)";
  if (src.event.includes("*")) return "The trigger path needs one event name, not a pattern";
  return { event: src.event, field: src.field, unitNs: UNIT_NS[src.unit] };
}

/** Reads a LatencySource row's definition. */
export async function loadSource(db: Db, id: number): Promise<{ id: number; name: string; sessionName: string | null; source: LatencySource } | null> {
  const row = await db.latencySource.findUnique({ where: { id } });
  if (!row) return null;
  return { id: row.id, name: row.name, sessionName: row.sessionName, source: latencySourceSchema.parse(JSON.parse(row.definition)) };
}

export interface SpikeServiceOptions {
  db: Db;
  controller: LttngController;
  noteRecorded: (path: string, cause: string, complete?: boolean) => void;
  watch: (names: string[], signal: AbortSignal) => AsyncGenerator<NotifyLine>;
  baseline?: Baseline;
  onSpike?: (s: RecordedSpike) => void;
  onSuppressed?: (rule: StoredRule, verdict: LimitVerdict) => void;
  groupSnapshot?: ActionDeps["groupSnapshot"];
}

/** What the Spikes page shows about each rule's path right now. */
export interface RuleStatus {
  ruleId: number;
  state: "watching" | "armed" | "disabled" | "failed";
  message: string;
}

export class SpikeService {
  readonly actions: SpikeActions;
  readonly detector: SpikeDetector;
  private readonly triggers = new Map<number, { rule: StoredRule; tr: TriggerRule }>();
  private readonly status = new Map<number, RuleStatus>();
  private instanceId: string | undefined;
  private reloading: Promise<void> = Promise.resolve();
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(private readonly opts: SpikeServiceOptions) {
    this.actions = new SpikeActions({
      db: opts.db,
      controller: opts.controller,
      noteRecorded: opts.noteRecorded,
      onSpike: opts.onSpike,
      onSuppressed: opts.onSuppressed,
      groupSnapshot: opts.groupSnapshot,
    });
    this.detector = new SpikeDetector({
      baseline: opts.baseline,
      onSpike: (d) => {
        const input = { rule: d.rule, tsNs: d.tsNs, valueNs: d.valueNs, thresholdNs: d.thresholdNs, detection: "live" as const };
        if (d.verdict !== "act") return this.actions.suppress(input, d.verdict);
        const p = this.actions.act(input, d.seenAtMs).catch((e: unknown) => log.warn({ rule: d.rule.name, err: errText(e) }, "spike action failed"));
        this.inflight.add(p);
        void p.finally(() => this.inflight.delete(p));
      },
    });
  }

  /** Every value of every source (HistoryWriter.onValue). Synchronous and cheap under the threshold. */
  readonly observe = (sourceId: number, tsNs: EpochNs, valueNs: number): void => this.detector.observe(sourceId, tsNs, valueNs);

  /** This Tracedeck's id in trigger names, kept in the database across restarts. */
  async instance(): Promise<string> {
    if (this.instanceId === undefined) {
      const key = "spikes.instance";
      const row = await this.opts.db.setting.findUnique({ where: { key } });
      const id = row?.value ?? randomBytes(4).toString("hex");
      if (!row) await this.opts.db.setting.upsert({ where: { key }, create: { key, value: id }, update: {} });
      this.instanceId = (await this.opts.db.setting.findUniqueOrThrow({ where: { key } })).value;
      if (this.instanceId !== id) log.debug("another process created the instance id first");
    }
    return this.instanceId;
  }

  /** Applies the rules in the database now (start-up, and after each edit). */
  reload(): Promise<void> {
    this.reloading = this.reloading.then(() => this.reloadOnce()).catch((e: unknown) => log.error({ err: errText(e) }, "cannot load spike rules"));
    return this.reloading;
  }

  private async reloadOnce(): Promise<void> {
    const rules = await listRules(this.opts.db);
    this.detector.setRules(rules);
    const instance = await this.instance();
    const wanted = new Map(rules.filter((r) => r.enabled && r.detection === "trigger").map((r) => [r.id, r]));
    for (const [id, t] of this.triggers) {
      const w = wanted.get(id);
      if (w && w.updatedAt.getTime() === t.rule.updatedAt.getTime()) continue;
      this.triggers.delete(id);
      await t.tr.stop().catch((e: unknown) => log.warn({ rule: t.rule.name, err: errText(e) }, "cannot remove the rule's triggers"));
    }
    this.status.clear();
    for (const r of rules) {
      if (!r.enabled) this.status.set(r.id, { ruleId: r.id, state: "disabled", message: "Disabled" });
      else if (r.detection === "live") this.status.set(r.id, { ruleId: r.id, state: "watching", message: "Watching the live stream" });
    }
    // Triggers of rules deleted while the server was down: our instance's, by name.
    const known = new Set(wanted.keys());
    for (const t of await this.opts.controller.listTriggers().catch(() => [])) {
      const m = new RegExp(`^tdspike-${instance}-(\\d+)-`).exec(t.name);
      if (m && !known.has(Number(m[1]))) await removeTriggersWithPrefix(this.opts.controller, `tdspike-${instance}-${m[1]}-`);
    }
    for (const r of wanted.values()) {
      if (this.triggers.has(r.id)) {
        this.status.set(r.id, { ruleId: r.id, state: "armed", message: "LTTng triggers in place" });
        continue;
      }
      try {
        const src = await loadSource(this.opts.db, r.sourceId);
        if (!src) throw new Error(`Latency source ${r.sourceId} not found`);
        const ts = triggerSourceOf(src.source);
        if (typeof ts === "string") throw new Error(ts);
        const tr = new TriggerRule({ controller: this.opts.controller, actions: this.actions, watch: this.opts.watch, instance }, r, ts);
        await tr.start();
        this.triggers.set(r.id, { rule: r, tr });
        this.status.set(r.id, { ruleId: r.id, state: "armed", message: "LTTng triggers in place" });
      } catch (e) {
        log.warn({ rule: r.name, err: errText(e) }, "cannot set up the rule's triggers");
        this.status.set(r.id, { ruleId: r.id, state: "failed", message: errText(e) });
      }
    }
  }

  statuses(): RuleStatus[] {
    return [...this.status.values()];
  }

  /** Resolves when no action is running (tests, bench). */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all(this.inflight);
    for (const t of this.triggers.values()) await t.tr.settled();
    await this.actions.flushAll();
  }

  /** Removes the triggers this process set up (server shutdown, tests). */
  async stop(): Promise<void> {
    await this.reloading;
    for (const t of this.triggers.values()) await t.tr.stop().catch(() => undefined);
    this.triggers.clear();
    await this.settled();
  }
}
