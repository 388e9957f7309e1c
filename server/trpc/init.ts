/**
 * tRPC base: context, initialisation, and the three procedure kinds.
 * 1. CONTEXT: the database, the logged-in user (from the httpOnly cookie), response headers.
 * 2. INITIALIZATION: superjson (bigint and Date cross the wire), zod errors flattened.
 * 3. PROCEDURES: public, protected (any logged-in user), operator (changes state; audited).
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { db as defaultDb, type Db } from "../db";
import { SESSION_COOKIE, readCookie, userFromToken } from "../auth/sessions";
import type { AuthUser } from "../auth/roles";
import { audit } from "../audit";

// 1. CONTEXT
export interface Context {
  db: Db;
  user: AuthUser | null;
  /** The session cookie's token, for logout. */
  token: string | undefined;
  /** Headers of the HTTP response (Set-Cookie on login/logout); absent for in-process callers. */
  resHeaders: Headers | undefined;
}

export async function createContext(opts: { headers: Headers; resHeaders?: Headers; db?: Db }): Promise<Context> {
  const db = opts.db ?? defaultDb();
  const token = readCookie(opts.headers.get("cookie"), SESSION_COOKIE);
  return { db, user: await userFromToken(db, token), token, resHeaders: opts.resHeaders };
}

// 2. INITIALIZATION
const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: { ...shape.data, zodError: error.cause instanceof ZodError ? error.cause.flatten() : null, lttng: lttngErrorData(error.cause) },
    };
  },
});

/** LTTng's error code and the input field it is about (server/lttng/errors.ts), for the form to show it there. */
function lttngErrorData(cause: unknown): { code: string; field: string | null } | null {
  if (!(cause instanceof Error) || cause.name !== "LttngError") return null;
  const c = cause as Error & { code?: string; details?: { field?: string } };
  return { code: c.code ?? "COMMAND_FAILED", field: c.details?.field ?? null };
}

// 3. ROUTER & PROCEDURES
export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Log in first." });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/**
 * Changes state: needs the operator role. Every call, refused or not, lands in the audit log
 * with its outcome and its input (secrets masked).
 */
export const operatorProcedure = protectedProcedure.use(async ({ ctx, next, path, getRawInput }) => {
  const input = async () => redact(await getRawInput().catch(() => null));
  if (ctx.user.role !== "operator") {
    const message = "This action needs the operator role.";
    await audit(ctx.db, ctx.user, path, await input(), false, message);
    throw new TRPCError({ code: "FORBIDDEN", message });
  }
  const result = await next();
  await audit(ctx.db, ctx.user, path, await input(), result.ok, result.ok ? "" : result.error.message);
  return result;
});

const SECRET_KEY = /password|token|secret/i;

/** The input with every secret-looking field masked, at any depth (the raw input is unvalidated). */
export function redact(input: unknown, depth = 0): unknown {
  if (input === null || typeof input !== "object" || depth > 8) return input;
  if (Array.isArray(input)) return input.map((v) => redact(v, depth + 1));
  return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, SECRET_KEY.test(k) ? "***" : redact(v, depth + 1)]));
}
