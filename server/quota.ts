/**
 * Concurrency limits on heavy work a viewer may start (analyses, archive downloads): a few
 * at a time per user and a few more over all users, so that no one pins every core, the
 * memory or the disk bandwidth of the host that also runs the tracer. A refusal says which
 * limit was hit.
 */
import { brandDomainError } from "./shared/domain-error";
export type QuotaSlot = { ok: true; release(): void } | { ok: false; message: string };

/** A refused slot, for callers that throw (the tRPC layer answers TOO_MANY_REQUESTS); `message` says which limit. */
export class QuotaError extends Error {
  override name = "QuotaError";
}
brandDomainError(QuotaError, "QuotaError");

export class Quota {
  private running = 0;
  private readonly byUser = new Map<number, number>();

  constructor(
    /** Plural noun for messages: "analyses", "downloads". */
    readonly what: string,
    readonly perUser: number,
    readonly global: number,
  ) {}

  /** Takes a slot for `userId`; release() it exactly when the work ends (extra calls are ignored). */
  acquire(userId: number): QuotaSlot {
    const mine = this.byUser.get(userId) ?? 0;
    if (mine >= this.perUser) return { ok: false, message: `You already have ${mine} ${this.what} running (the limit per user); wait for one to end.` };
    if (this.running >= this.global)
      return { ok: false, message: `${this.running} ${this.what} are running on this server (the limit); try again when one ends.` };
    this.running++;
    this.byUser.set(userId, mine + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.running--;
        const left = (this.byUser.get(userId) ?? 1) - 1;
        if (left > 0) this.byUser.set(userId, left);
        else this.byUser.delete(userId);
      },
    };
  }

  /** Work in progress, over all users. */
  get inUse(): number {
    return this.running;
  }
}

/** Analyses run in a pool of two threads: two per user, four in all (the rest would only queue). */
export const analysisQuota = new Quota("analyses", 2, 4);
/** Archive downloads read and gzip whole traces. */
export const downloadQuota = new Quota("downloads", 2, 4);
