import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db";
import { verifyPassword } from "./password";
import { Role, type AuthUser } from "./roles";

export const SESSION_COOKIE = "td_session";
const SESSION_DAYS = 7;

const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");
// A valid hash of a random string, checked when the user does not exist.
const DUMMY_HASH = "$2b$12$gf0/j/TiaxP4MvIQDXNgz.mh5RiewoBfG05vRJn0e4cJEguyccY32";

/** Cookie attributes: httpOnly so scripts never see the token, SameSite=Lax against CSRF. */
export function sessionCookie(token: string, maxAgeSeconds: number): string {
  const secure = process.env.TRACEDECK_SECURE_COOKIES === "1" ? "; Secure" : "";
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}

export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export type LoginResult = { ok: true; token: string; user: AuthUser; maxAge: number } | { ok: false; disabled?: true };

export async function login(db: Db, username: string, password: string): Promise<LoginResult> {
  const user = await db.user.findUnique({ where: { username } });
  // Same work whether or not the user exists, so timing does not reveal user names.
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok) return { ok: false };
  // Said only to whoever knows the password: it reveals nothing to a guesser.
  if (user.disabledAt !== null) return { ok: false, disabled: true };
  const token = randomBytes(32).toString("base64url");
  const maxAge = SESSION_DAYS * 86_400;
  // Expired rows are useless; dropping them at each login keeps the table bounded.
  await db.loginSession.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  await db.loginSession.create({
    data: { id: sha256(token), userId: user.id, expiresAt: new Date(Date.now() + maxAge * 1000) },
  });
  return { ok: true, token, user: { id: user.id, username: user.username, role: Role.parse(user.role) }, maxAge };
}

export async function userFromToken(db: Db, token: string | undefined): Promise<AuthUser | null> {
  if (!token) return null;
  const s = await db.loginSession.findUnique({ where: { id: sha256(token) }, include: { user: true } });
  if (!s || s.expiresAt.getTime() < Date.now() || s.user.disabledAt !== null) return null;
  const role = Role.safeParse(s.user.role);
  return role.success ? { id: s.user.id, username: s.user.username, role: role.data } : null;
}

export async function logout(db: Db, token: string | undefined): Promise<void> {
  if (token) await db.loginSession.deleteMany({ where: { id: sha256(token) } });
}
