import { cookies } from "next/headers";
import { db } from "../db";
import { SESSION_COOKIE, userFromToken } from "./sessions";
import type { AuthUser } from "./roles";

/** The logged-in user of the request being rendered (server components only). */
export async function currentUser(): Promise<AuthUser | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return userFromToken(db(), token);
}
