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

/** Changes state: needs the operator role, and every call lands in the audit log with its outcome. */
export const operatorProcedure = protectedProcedure.use(async ({ ctx, next, path, getRawInput }) => {
  if (ctx.user.role !== "operator") {
    throw new TRPCError({ code: "FORBIDDEN", message: "This action needs the operator role." });
  }
  const result = await next();
  const input = await getRawInput().catch(() => null);
  await audit(ctx.db, ctx.user, path, redact(input), result.ok, result.ok ? "" : result.error.message);
  return result;
});

function redact(input: unknown): unknown {
  if (input && typeof input === "object" && "password" in input) return { ...input, password: "***" };
  return input;
}
