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

/**
 * Logins checked in the last AUTH_CACHE_MS, by token hash. Every request checks its login
 * (the status bar polls on every page), and each check was a Prisma query: its plan
 * interpreted and a statement prepared per call, the biggest main-thread item after GC in
 * the load bench's profile. Changes this server makes (logout, disable, role, delete) drop
 * the entries at once; a change made by another process (the CLI) is seen within
 * AUTH_CACHE_MS. On globalThis: Next may load this module in several bundles.
 */
const AUTH_CACHE_MS = 2_000;
const AUTH_CACHE_MAX = 1_000;
const g = globalThis as unknown as { tracedeckAuthCache?: Map<string, { user: AuthUser; until: number }>; tracedeckAuthGeneration?: number };
const authCache = () => (g.tracedeckAuthCache ??= new Map());

/** Forgets every checked login (after a change to users or their logins). */
export function forgetCheckedLogins(): void {
  authCache().clear();
  // A check that read the database before the change must not store its answer after it.
  g.tracedeckAuthGeneration = (g.tracedeckAuthGeneration ?? 0) + 1;
}

export async function userFromToken(db: Db, token: string | undefined): Promise<AuthUser | null> {
  if (!token) return null;
  const id = sha256(token);
  const cache = authCache();
  const now = Date.now();
  const hit = cache.get(id);
  if (hit !== undefined && now < hit.until) return hit.user;
  cache.delete(id);
  const generation = g.tracedeckAuthGeneration ?? 0;
  const s = await db.loginSession.findUnique({ where: { id }, include: { user: true } });
  if (!s || s.expiresAt.getTime() < Date.now() || s.user.disabledAt !== null) return null;
  const role = Role.safeParse(s.user.role);
  if (!role.success) return null;
  const user = { id: s.user.id, username: s.user.username, role: role.data };
  if (generation !== (g.tracedeckAuthGeneration ?? 0)) return user;
  if (cache.size >= AUTH_CACHE_MAX) cache.delete(cache.keys().next().value!);
  // Never past the login's own expiry.
  cache.set(id, { user, until: Math.min(now + AUTH_CACHE_MS, s.expiresAt.getTime()) });
  return user;
}

export async function logout(db: Db, token: string | undefined): Promise<void> {
  if (!token) return;
  await db.loginSession.deleteMany({ where: { id: sha256(token) } });
  forgetCheckedLogins();
}
