/**
 * Cooldown and hourly budget of one spike rule. Each snapshot flushes the tracer's current
 * packets and shrinks the history the ring buffer keeps (lttng-facts.md §7), so a storm of
 * slow requests must not snapshot in a loop: after an action, the rule rests `cooldownMs`,
 * and it acts at most `maxPerHour` times in any sliding hour.
 */

export type LimitVerdict = "act" | "cooldown" | "hourly-limit";

const HOUR_MS = 3_600_000;

export class ActionLimiter {
  /** Times (ms) of the actions of the last hour, oldest first. */
  private readonly acted: number[] = [];

  constructor(
    private cooldownMs: number,
    private maxPerHour: number,
  ) {}

  /** The rule was edited: new limits, same history. */
  configure(cooldownMs: number, maxPerHour: number): void {
    this.cooldownMs = cooldownMs;
    this.maxPerHour = maxPerHour;
  }

  /** What a spike at `nowMs` may do; "act" also records the action. */
  take(nowMs: number): LimitVerdict {
    const v = this.peek(nowMs);
    if (v === "act") this.acted.push(nowMs);
    return v;
  }

  /** The verdict without recording anything. */
  peek(nowMs: number): LimitVerdict {
    this.forget(nowMs);
    const last = this.acted[this.acted.length - 1];
    if (last !== undefined && nowMs - last < this.cooldownMs) return "cooldown";
    if (this.acted.length >= this.maxPerHour) return "hourly-limit";
    return "act";
  }

  /** The earliest time (ms) at which the rule may act again (`nowMs` when it may now). */
  nextAllowedMs(nowMs: number): number {
    this.forget(nowMs);
    const last = this.acted[this.acted.length - 1];
    let t = last === undefined ? nowMs : Math.max(nowMs, last + this.cooldownMs);
    if (this.acted.length >= this.maxPerHour) {
      // The budget frees when the oldest action that keeps it full leaves the hour.
      const oldest = this.acted[this.acted.length - this.maxPerHour]!;
      t = Math.max(t, oldest + HOUR_MS);
    }
    return t;
  }

  /** Actions in the sliding hour ending at `nowMs`. */
  countLastHour(nowMs: number): number {
    this.forget(nowMs);
    return this.acted.length;
  }

  private forget(nowMs: number): void {
    while (this.acted.length > 0 && nowMs - this.acted[0]! >= HOUR_MS) this.acted.shift();
  }
}
