import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db";
import { hashPassword } from "./password";

const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");
const SETUP_TOKEN_HOURS = 24;

export type BootstrapResult = { kind: "ready" } | { kind: "admin-created"; username: string } | { kind: "setup-link"; token: string };

/**
 * First run: the dashboard drives a root daemon, so it never starts open. With
 * TRACEDECK_ADMIN_PASSWORD an operator `admin` is created; without it a one-time set-up token
 * is made, and the caller prints the link to the console (only someone on the host sees it).
 */
export async function bootstrapAdmin(db: Db, adminPassword: string | undefined): Promise<BootstrapResult> {
  if (!(await needsSetup(db))) return { kind: "ready" };
  if (adminPassword !== undefined) {
    await db.user.create({ data: { username: "admin", passwordHash: await hashPassword(adminPassword), role: "operator" } });
    return { kind: "admin-created", username: "admin" };
  }
  const token = randomBytes(24).toString("base64url");
  await db.setupToken.deleteMany({});
  await db.setupToken.create({
    data: { tokenHash: sha256(token), expiresAt: new Date(Date.now() + SETUP_TOKEN_HOURS * 3_600_000) },
  });
  return { kind: "setup-link", token };
}

/** The first-run set-up is open while no user exists. */
export async function needsSetup(db: Db): Promise<boolean> {
  return (await db.user.count()) === 0;
}

/** Redeems a set-up token: creates the first operator. Fails once any user exists. */
export async function completeSetup(db: Db, token: string, username: string, password: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if ((await tx.user.count()) > 0) return false;
    const row = await tx.setupToken.findUnique({ where: { tokenHash: sha256(token) } });
    if (!row || row.expiresAt.getTime() < Date.now()) return false;
    await tx.setupToken.deleteMany({});
    await tx.user.create({ data: { username, passwordHash: await hashPassword(password), role: "operator" } });
    return true;
  });
}
