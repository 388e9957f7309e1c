/**
 * Failed logins over a sliding window, per (user name, client address), per client address,
 * and per user name over every address. A login attempt *reserves* its failure before the
 * password is checked (the check takes a quarter of a second of bcrypt): parallel guesses
 * each take a slot at once, so a burst of a hundred gets the same five tries as a sequence.
 * A success gives the slot back and forgets that pair's failures.
 *
 * The per-pair limit is the tight one, so that a stranger failing on `admin` from elsewhere
 * does not lock out the operator's own address; the per-address limit stops one client
 * trying many names; the per-name limit (higher) caps guessing spread over many claimed
 * addresses. Client addresses come from X-Forwarded-For (server/trpc/init.ts), which a
 * client reaching the server directly can forge: behind a reverse proxy that sets it, the
 * first two limits are exact; without one, the per-name limit is what bounds a guesser.
 * In memory on purpose: a restart forgetting the counts only slows a guesser less for a while.
 */
export interface ThrottleLimits {
  perPair: number;
  perAddress: number;
  perName: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { perPair: 5, perAddress: 20, perName: 50, windowMs: 15 * 60_000 };

export type Reservation =
  | { ok: true; /** Reports the outcome: a success returns the slot and clears the pair's failures. */ settle(success: boolean): void }
  | { ok: false; retryAfterMs: number; reason: string };

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
    /** Keys remembered at most; the oldest go first, so random names cannot grow the map. */
    private readonly maxKeys = 30_000,
  ) {}

  /**
   * Takes one failure slot for `username` from `address` now, synchronously (no await
   * between the check and the record), or says how long to wait and why.
   */
  reserve(username: string, address: string): Reservation {
    const keys: [string, number, string][] = [
      [`p\0${username}\0${address}`, this.limits.perPair, `Too many failed logins for '${username}'`],
      [`a\0${address}`, this.limits.perAddress, "Too many failed logins from this address"],
      [`n\0${username}`, this.limits.perName, `Too many failed logins for '${username}' from all addresses`],
    ];
    let wait = 0;
    let reason = "";
    for (const [key, limit, why] of keys) {
      const recent = this.recent(key);
      if (recent.length >= limit) {
        const w = recent[recent.length - limit]! + this.limits.windowMs - this.now();
        if (w > wait) [wait, reason] = [w, why];
      }
    }
    if (wait > 0) return { ok: false, retryAfterMs: wait, reason };
    const at = this.now();
    for (const [key] of keys) this.push(key, at);
    let settled = false;
    return {
      ok: true,
      settle: (success) => {
        if (settled || !success) return;
        settled = true;
        this.failures.delete(keys[0]![0]);
        for (const [key] of keys.slice(1)) this.drop(key, at);
      },
    };
  }

  private push(key: string, at: number): void {
    const recent = this.recent(key);
    recent.push(at);
    // Re-inserted so that the map's order is least recently failed first.
    this.failures.delete(key);
    this.failures.set(key, recent);
    while (this.failures.size > this.maxKeys) this.failures.delete(this.failures.keys().next().value!);
  }

  private drop(key: string, at: number): void {
    const list = this.failures.get(key);
    const i = list?.lastIndexOf(at) ?? -1;
    if (list !== undefined && i >= 0) list.splice(i, 1);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    return list;
  }
}

/** The server's throttle. */
export const loginThrottle = new LoginThrottle();
