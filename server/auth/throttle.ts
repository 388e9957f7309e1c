/**
 * Failed logins per user name over a sliding window. Past the limit, that name may not try
 * again until its oldest failure leaves the window: a guesser gets a handful of tries per
 * quarter hour instead of four bcrypt checks a second on a host that also runs the tracer.
 * In memory on purpose: a restart forgetting the count is fine for slowing a guesser down.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 5,
    private readonly windowMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
    /** Names remembered at most; the oldest go first, so random names cannot grow the map. */
    private readonly maxNames = 10_000,
  ) {}

  /** Milliseconds before `username` may try again; 0 when it may try now. */
  retryAfterMs(username: string): number {
    const recent = this.recent(username);
    if (recent.length < this.maxFailures) return 0;
    return recent[0]! + this.windowMs - this.now();
  }

  recordFailure(username: string): void {
    const recent = this.recent(username);
    recent.push(this.now());
    this.failures.delete(username);
    this.failures.set(username, recent);
    if (this.failures.size > this.maxNames) this.failures.delete(this.failures.keys().next().value!);
  }

  recordSuccess(username: string): void {
    this.failures.delete(username);
  }

  private recent(username: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.failures.get(username) ?? []).filter((t) => t > since);
  }
}

/** The server's throttle. */
export const loginThrottle = new LoginThrottle();
