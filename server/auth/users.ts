/**
 * Managing user accounts: role changes, disabling and deleting. One rule holds whatever
 * happens: at least one enabled operator remains, or nobody could manage the server again.
 * Ending an account's access also ends its login sessions at once.
 */
import type { Db } from "../db";
import type { Role } from "./roles";
import { forgetCheckedLogins } from "./sessions";
import { brandDomainError } from "../shared/domain-error";

export type UserChangeErrorCode = "NOT_FOUND" | "LAST_OPERATOR";

/** A refused change; `message` is meant for the user. */
export class UserChangeError extends Error {
  override name = "UserChangeError";
  constructor(
    readonly code: UserChangeErrorCode,
    message: string,
  ) {
    super(message);
  }
}
brandDomainError(UserChangeError, "UserChangeError");

export type UserChange = { kind: "role"; role: Role } | { kind: "disable" } | { kind: "enable" } | { kind: "delete" };

export interface UserRow {
  id: number;
  username: string;
  role: string;
  createdAt: Date;
  disabledAt: Date | null;
}

const SELECT = { id: true, username: true, role: true, createdAt: true, disabledAt: true } as const;

export function listUsers(db: Db): Promise<UserRow[]> {
  return db.user.findMany({ select: SELECT, orderBy: { id: "asc" } });
}

/** Whether the user stays an enabled operator after the change. */
function operatorAfter(u: { role: string; disabledAt: Date | null }, change: UserChange): boolean {
  switch (change.kind) {
    case "role":
      return change.role === "operator" && u.disabledAt === null;
    case "disable":
    case "delete":
      return false;
    case "enable":
      return u.role === "operator";
  }
}

/**
 * Applies one change to user `id` and returns the user as it is now (null once deleted).
 * Refused when the user does not exist, or when it would leave no enabled operator. The
 * check and the write happen in one transaction, so two operators demoting each other at
 * the same moment cannot both succeed.
 */
export async function changeUser(db: Db, id: number, change: UserChange): Promise<UserRow | null> {
  // The user's checked logins must not outlive the change (sessions.ts).
  return changeUserNow(db, id, change).finally(forgetCheckedLogins);
}

function changeUserNow(db: Db, id: number, change: UserChange): Promise<UserRow | null> {
  return db.$transaction(async (tx) => {
    const u = await tx.user.findUnique({ where: { id }, select: SELECT });
    if (!u) throw new UserChangeError("NOT_FOUND", `There is no user with id ${id}.`);
    const isOperator = u.role === "operator" && u.disabledAt === null;
    if (isOperator && !operatorAfter(u, change)) {
      const others = await tx.user.count({ where: { role: "operator", disabledAt: null, id: { not: id } } });
      if (others === 0) {
        const what = change.kind === "delete" ? "deleted" : change.kind === "disable" ? "disabled" : "made a viewer";
        throw new UserChangeError("LAST_OPERATOR", `${u.username} is the only enabled operator and cannot be ${what}: make another user an operator first.`);
      }
    }
    switch (change.kind) {
      case "delete":
        // Login sessions go with the user (cascade); audit entries stay, without the user.
        await tx.user.delete({ where: { id } });
        return null;
      case "disable":
        await tx.loginSession.deleteMany({ where: { userId: id } });
        return tx.user.update({ where: { id }, data: { disabledAt: u.disabledAt ?? new Date() }, select: SELECT });
      case "enable":
        return tx.user.update({ where: { id }, data: { disabledAt: null }, select: SELECT });
      case "role":
        return tx.user.update({ where: { id }, data: { role: change.role }, select: SELECT });
    }
  });
}
