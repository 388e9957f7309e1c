/**
 * The one door from app/'s server components (pages and layouts) into server/: who is
 * logged in, whether the first-run set-up is still open, where a login may return to.
 * eslint.config.mjs lets app/ import values from this module and from no other in server/
 * (besides the browser-safe server/shared/validators), so what a page may do stays small
 * and visible here. `server-only` makes the build fail if a client component imports it.
 */
import "server-only";
import { needsSetup } from "./auth/bootstrap";
import { db } from "./db";

export { currentUser } from "./auth/current-user";
export { safeNextPath } from "./auth/next-path";

/** True until the first operator exists (the set-up page is open only then). */
export function setupNeeded(): Promise<boolean> {
  return needsSetup(db());
}
