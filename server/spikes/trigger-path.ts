/**
 * The trigger path: detection inside the traced application. For a rule it keeps two LTTng
 * triggers on the source's event with the threshold as filter (`latency_ns > 50000000`):
 *
 * - `…-notify`: notify action capturing the duration field, read through `tracedeck-notify`:
 *   every slow event becomes a spike record with its value;
 * - `…-snap-K`: snapshot-session action with rate policy `once-after:1` and a snapshot name of
 *   its own, so the snapshot is on disk 2–10 ms after the event (lttng-facts.md §8) and its
 *   directory is known. LTTng's rate policies count matches, not time: the cooldown and the
 *   hourly budget are kept by arming the next snapshot trigger only when the limiter allows.
 *
 * Trigger names carry this Tracedeck's instance id, so that leftovers of a crashed run are
 * found and removed, and nobody else's triggers are ever touched.
 */
import { randomBytes } from "node:crypto";
import type { LttngController } from "../lttng/controller";
import type { SnapshotOutput } from "../lttng/mi/outputs";
import type { NotifyLine } from "../lttng/notify";
import { moduleLogger } from "../log";
import { spikeCause, type SpikeActions, type SpikeInput } from "./actions";
import { ActionLimiter } from "./limiter";
import type { StoredRule } from "./rules";

const log = moduleLogger("spikes");

/** What the trigger matches: an event and its duration field, in units of `unitNs` nanoseconds. */
export interface TriggerSource {
  event: string;
  field: string;
  unitNs?: number;
}

export type Watch = (names: string[], signal: AbortSignal) => AsyncGenerator<NotifyLine>;

export interface TriggerPathDeps {
  controller: Pick<LttngController, "addTrigger" | "removeTrigger" | "listTriggers" | "snapshotListOutputs" | "findSnapshotDir">;
  actions: SpikeActions;
  watch: Watch;
  /** This Tracedeck's id in trigger names (service.ts keeps it in the database). */
  instance: string;
  now?: () => number;
}

/** The prefix of every trigger of `rule` made by Tracedeck instance `instance`. */
export const triggerPrefix = (instance: string, ruleId: number) => `tdspike-${instance}-${ruleId}-`;

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** `recv_ts` (seconds, ns digits, as a double) → epoch ns. */
const recvNs = (s: number) => BigInt(Math.round(s * 1e6)) * 1000n;

/** The LTTng filter of a rule: `latency_ns > 50000000`, `latency_ms > 50`, AND the rule's own condition. */
export function thresholdFilter(field: string, thresholdNs: number, extra?: string, unitNs = 1): string {
  const limit = unitNs === 1 ? String(Math.round(thresholdNs)) : String(thresholdNs / unitNs);
  const base = `${field} > ${limit}`;
  return extra === undefined ? base : `(${base}) && (${extra})`;
}

export class TriggerRule {
  private readonly limiter: ActionLimiter;
  private readonly now: () => number;
  private readonly prefix: string;
  private readonly notifyName: string;
  private readonly abort = new AbortController();
  private output: SnapshotOutput | undefined;
  /** The armed snapshot trigger and the snapshot name it writes, or null while resting. */
  private armed: { trigger: string; snapshotName: string } | null = null;
  private arming = 0;
  private rearmTimer: NodeJS.Timeout | undefined;
  /** LTTng calls for this rule run one after the other. */
  private chain: Promise<unknown> = Promise.resolve();
  private watching: Promise<void> | undefined;
  private stopped = false;
  /** Spikes being recorded (tests and stop() wait for them). */
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: TriggerPathDeps,
    readonly rule: StoredRule,
    private readonly source: TriggerSource,
  ) {
    if (rule.threshold.kind !== "absolute") throw new Error(`Spike rule ${rule.name}: the trigger path needs an absolute threshold`);
    this.limiter = new ActionLimiter(rule.cooldownMs, rule.maxPerHour);
    this.now = deps.now ?? Date.now;
    this.prefix = triggerPrefix(deps.instance, rule.id);
    this.notifyName = `${this.prefix}notify`;
  }

  private get thresholdNs(): number {
    return this.rule.threshold.kind === "absolute" ? this.rule.threshold.ns : 0;
  }

  private get filter(): string {
    return thresholdFilter(this.source.field, this.thresholdNs, this.rule.triggerFilter, this.source.unitNs);
  }

  /** Adds the notify trigger, subscribes to it, arms the first snapshot trigger. */
  async start(): Promise<void> {
    await removeTriggersWithPrefix(this.deps.controller, this.prefix);
    const [out] = await this.deps.controller.snapshotListOutputs(this.rule.snapshotSession);
    if (!out) throw new Error(`Session ${this.rule.snapshotSession} has no snapshot output`);
    this.output = out;
    await this.deps.controller.addTrigger({
      name: this.notifyName,
      ruleType: "user",
      pattern: this.source.event,
      filter: this.filter,
      captures: [this.source.field],
      actions: [{ type: "notify" }],
    });
    const it = this.deps.watch([this.notifyName], this.abort.signal);
    const first = await it.next();
    if (first.done || first.value.type !== "ready" || first.value.subscribed.length !== 1) {
      await it.return(undefined);
      await this.removeQuietly(this.notifyName);
      const why = first.done ? "the notification helper ended" : first.value.type === "error" ? first.value.message : JSON.stringify(first.value);
      throw new Error(`Cannot subscribe to ${this.notifyName}: ${why}`);
    }
    await this.enqueue(() => this.arm());
    this.watching = this.consume(it);
  }

  /** Removes this rule's triggers and stops listening. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.rearmTimer);
    this.abort.abort();
    await this.watching;
    await this.chain.catch(() => undefined);
    await Promise.all(this.inflight);
    await removeTriggersWithPrefix(this.deps.controller, this.prefix);
  }

  /** Resolves when no spike is being recorded. */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all(this.inflight);
  }

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private async arm(): Promise<void> {
    if (this.stopped || this.armed !== null) return;
    const k = ++this.arming;
    const trigger = `${this.prefix}snap-${k}`;
    const snapshotName = `spike-r${this.rule.id}-${k}-${randomBytes(3).toString("hex")}`;
    await this.deps.controller.addTrigger({
      name: trigger,
      ruleType: "user",
      pattern: this.source.event,
      filter: this.filter,
      actions: [{ type: "snapshot-session", session: this.rule.snapshotSession, snapshotName, ratePolicy: { kind: "once-after", count: 1 } }],
    });
    this.armed = { trigger, snapshotName };
  }

  private async consume(it: AsyncGenerator<NotifyLine>): Promise<void> {
    try {
      for await (const line of it) {
        if (line.type === "notification") this.onNotification(line.recv_ts, line.captures[0]);
        else if (line.type === "dropped") log.warn({ rule: this.rule.name }, "the session daemon dropped trigger notifications");
        else if (line.type === "error" || line.type === "closed")
          log.warn({ rule: this.rule.name, why: line.type === "error" ? line.message : "session daemon closed" }, "trigger notifications ended");
      }
    } catch (e) {
      if (!this.stopped) log.warn({ rule: this.rule.name, err: errText(e) }, "trigger notifications failed");
    }
  }

  private onNotification(recvTs: number, captured: unknown): void {
    const raw = typeof captured === "number" ? captured : typeof captured === "string" ? Number(captured) : NaN;
    const valueNs = raw * (this.source.unitNs ?? 1);
    if (!Number.isFinite(valueNs)) return;
    const s: SpikeInput = { rule: this.rule, tsNs: recvNs(recvTs), valueNs, thresholdNs: this.thresholdNs, detection: "trigger" };
    const fired = this.armed;
    if (fired === null) {
      const v = this.limiter.peek(this.now());
      this.deps.actions.suppress(s, v === "hourly-limit" ? "hourly-limit" : "cooldown");
      return;
    }
    // The armed trigger has the same condition: this event is the one it snapshotted.
    this.armed = null;
    this.limiter.take(this.now());
    const seenAt = Date.now();
    const p = this.recordFired(s, fired, recvTs, seenAt).catch((e: unknown) =>
      log.warn({ rule: this.rule.name, err: errText(e) }, "cannot record a trigger spike"),
    );
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
    void this.enqueue(() => this.removeQuietly(fired.trigger)).then(() => this.scheduleRearm());
  }

  private async recordFired(s: SpikeInput, fired: { snapshotName: string }, recvTs: number, seenAt: number): Promise<void> {
    // LTTng is writing the snapshot already: look for its directory while the spike's row is written.
    const output = this.output;
    const finding = (output ? this.deps.controller.findSnapshotDir(output, fired.snapshotName, 10_000) : Promise.resolve(null)).then((p) => ({
      path: p,
      at: Date.now(),
    }));
    const [id, { path, at }] = await Promise.all([this.deps.actions.begin(s, "recording", { snapshotName: fired.snapshotName }), finding]);
    // From the notification's arrival (≈1 ms after the event) to the directory seen on disk.
    const actionMs = path === null ? null : Math.max(0, Math.round(at - recvTs * 1000));
    if (path !== null) this.deps.actions.noteRecorded(path, spikeCause(id));
    const otherErr = await this.deps.actions.other(this.rule);
    await this.deps.actions.finish(id, s, {
      archivePath: path,
      snapshotName: fired.snapshotName,
      actionMs: actionMs ?? Math.round(Date.now() - seenAt),
      outcome: path === null ? "failed" : "snapshot",
      error: path === null ? `LTTng's snapshot ${fired.snapshotName} was not found in the output of ${this.rule.snapshotSession}` : otherErr,
    });
  }

  private scheduleRearm(): void {
    if (this.stopped) return;
    const wait = Math.max(0, this.limiter.nextAllowedMs(this.now()) - this.now());
    this.rearmTimer = setTimeout(() => {
      void this.enqueue(() => this.arm()).catch((e: unknown) => log.warn({ rule: this.rule.name, err: errText(e) }, "cannot arm the snapshot trigger"));
    }, wait);
  }

  private async removeQuietly(name: string): Promise<void> {
    await this.deps.controller.removeTrigger(name).catch((e: unknown) => log.debug({ trigger: name, err: errText(e) }, "cannot remove trigger"));
  }
}

/** Removes every trigger whose name starts with `prefix` (Tracedeck's own, by construction). */
export async function removeTriggersWithPrefix(controller: Pick<LttngController, "listTriggers" | "removeTrigger">, prefix: string): Promise<number> {
  const mine = (await controller.listTriggers()).filter((t) => t.name.startsWith(prefix));
  for (const t of mine) await controller.removeTrigger(t.name).catch(() => undefined);
  return mine.length;
}
