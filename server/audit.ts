import type { Db } from "./db";
import type { AuthUser } from "./auth/roles";

/** Records one control action. Never throws: failing to audit must not hide the action's own result. */
export async function audit(db: Db, user: AuthUser | null, action: string, input: unknown, ok: boolean, message = ""): Promise<void> {
  try {
    await db.auditEntry.create({
      data: { userId: user?.id ?? null, action, input: JSON.stringify(input ?? null, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)), ok, message: message.slice(0, 4000) },
    });
  } catch {
    /* the database being down is reported by the health check */
  }
}
