import type { Db } from "./db";
import type { AuthUser } from "./auth/roles";
import { moduleLogger } from "./log";

const log = moduleLogger("audit");

// The input is stored as the browser sent it, before validation: keep a hostile one bounded.
const MAX_TEXT = 4000;

/**
 * Rows written for callers who are not logged in (failed and throttled logins, set-up
 * attempts), per minute, over all of them: a stranger looping on the login form must not
 * grow the table without limit. Past it, rows are counted and the count is written with
 * the next row let through, so the log still shows that a flood happened.
 */
export const ANONYMOUS_ROWS_PER_MINUTE = 30;
const anonymous = { windowStart: 0, written: 0, dropped: 0 };

function admitAnonymous(now = Date.now()): { admit: boolean; dropped: number } {
  if (now - anonymous.windowStart >= 60_000) {
    anonymous.windowStart = now;
    anonymous.written = 0;
  }
  if (anonymous.written >= ANONYMOUS_ROWS_PER_MINUTE) {
    if (anonymous.dropped++ === 0) log.warn("too many audit entries from callers not logged in; counting instead of writing them");
    return { admit: false, dropped: 0 };
  }
  anonymous.written++;
  const dropped = anonymous.dropped;
  anonymous.dropped = 0;
  return { admit: true, dropped };
}

/**
 * The traced host an action was for: the `host` of its input (server/fleet: every procedure
 * acting on sessions takes one); null when absent (this machine) or not a host name.
 */
function hostOf(input: unknown): string | null {
  if (input === null || typeof input !== "object" || Array.isArray(input)) return null;
  const h = (input as Record<string, unknown>).host;
  return typeof h === "string" ? h.slice(0, 63) : null;
}

/** Records one control action. Never throws: failing to audit must not hide the action's own result. */
export async function audit(db: Db, user: AuthUser | null, action: string, input: unknown, ok: boolean, message = ""): Promise<void> {
  if (user === null) {
    const { admit, dropped } = admitAnonymous();
    if (!admit) return;
    if (dropped > 0) message = `${message} (and ${dropped} earlier entries from callers not logged in, not recorded)`;
  }
  try {
    const json = JSON.stringify(input ?? null, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ?? "null";
    await db.auditEntry.create({
      data: {
        userId: user?.id ?? null,
        action,
        input: json.length > MAX_TEXT ? `${json.slice(0, MAX_TEXT)}…` : json,
        ok,
        message: message.slice(0, MAX_TEXT),
        host: hostOf(input),
      },
    });
  } catch (err) {
    // The action itself already happened; the loss of its record must at least be visible.
    log.error({ action, user: user?.username, err: err instanceof Error ? err.message : String(err) }, "cannot write the audit log");
  }
}
