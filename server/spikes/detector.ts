/**
 * The live path's detector: every value of every latency source goes through `observe`, so
 * it does no I/O and allocates nothing for a value under the threshold. A value over it
 * becomes a `SpikeDecision` whose verdict the rule's limiter gives (act, or not during the
 * cooldown / past the hourly budget); the caller (service.ts) records it and acts.
 */
import { ActionLimiter, type LimitVerdict } from "./limiter";
import type { StoredRule } from "./rules";

/** The rolling p99 of a source over the last minutes (from the latency history); null while unknown. */
export interface Baseline {
  p99Ns(sourceId: number, windowMin: number): number | null;
}

export interface SpikeDecision {
  rule: StoredRule;
  /** The slow value's event time (absolute epoch ns) and value (ns). */
  tsNs: bigint;
  valueNs: number;
  thresholdNs: number;
  verdict: LimitVerdict;
  /** `performance.now()` when the value was seen: the action's latency is measured from here. */
  seenAtMs: number;
}

interface Armed {
  rule: StoredRule;
  limiter: ActionLimiter;
}

export interface DetectorOptions {
  onSpike: (d: SpikeDecision) => void;
  baseline?: Baseline;
  /** Wall clock for the cooldown (ms); tests pass their own. */
  now?: () => number;
}

export class SpikeDetector {
  private bySource = new Map<number, Armed[]>();
  private readonly limiters = new Map<number, ActionLimiter>();
  private readonly now: () => number;

  constructor(private readonly opts: DetectorOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** The enabled live rules to apply; a rule kept across calls keeps its cooldown and budget. */
  setRules(rules: readonly StoredRule[]): void {
    const next = new Map<number, Armed[]>();
    const keep = new Set<number>();
    for (const rule of rules) {
      if (!rule.enabled || rule.detection !== "live") continue;
      let limiter = this.limiters.get(rule.id);
      if (limiter) limiter.configure(rule.cooldownMs, rule.maxPerHour);
      else this.limiters.set(rule.id, (limiter = new ActionLimiter(rule.cooldownMs, rule.maxPerHour)));
      keep.add(rule.id);
      const list = next.get(rule.sourceId) ?? [];
      list.push({ rule, limiter });
      next.set(rule.sourceId, list);
    }
    for (const id of this.limiters.keys()) if (!keep.has(id)) this.limiters.delete(id);
    this.bySource = next;
  }

  /** Sources some rule watches (the recorder need not feed the others). */
  watchedSources(): number[] {
    return [...this.bySource.keys()];
  }

  /** The threshold of `rule` now (ns), or null while a relative threshold has no baseline yet. */
  thresholdOf(rule: StoredRule): number | null {
    if (rule.threshold.kind === "absolute") return rule.threshold.ns;
    const p99 = this.opts.baseline?.p99Ns(rule.sourceId, rule.threshold.windowMin) ?? null;
    return p99 === null ? null : p99 * rule.threshold.factor;
  }

  observe(sourceId: number, tsNs: bigint, valueNs: number): void {
    const armed = this.bySource.get(sourceId);
    if (armed === undefined) return;
    for (const a of armed) {
      const threshold = this.thresholdOf(a.rule);
      if (threshold === null || !(valueNs > threshold)) continue;
      this.opts.onSpike({
        rule: a.rule,
        tsNs,
        valueNs,
        thresholdNs: Math.round(threshold),
        verdict: a.limiter.take(this.now()),
        seenAtMs: performance.now(),
      });
    }
  }
}
