import type { Db } from "./db";
import type { AuthUser } from "./auth/roles";
import { moduleLogger } from "./log";

const log = moduleLogger("audit");

// The input is stored as the browser sent it, before validation: keep a hostile one bounded.
const MAX_TEXT = 4000;

/** Records one control action. Never throws: failing to audit must not hide the action's own result. */
export async function audit(db: Db, user: AuthUser | null, action: string, input: unknown, ok: boolean, message = ""): Promise<void> {
  try {
    const json = JSON.stringify(input ?? null, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ?? "null";
    await db.auditEntry.create({
      data: { userId: user?.id ?? null, action, input: json.length > MAX_TEXT ? `${json.slice(0, MAX_TEXT)}…` : json, ok, message: message.slice(0, MAX_TEXT) },
    });
  } catch (err) {
    // The action itself already happened; the loss of its record must at least be visible.
    log.error({ action, user: user?.username, err: err instanceof Error ? err.message : String(err) }, "cannot write the audit log");
  }
}
