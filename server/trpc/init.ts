/**
 * tRPC base: context, initialisation, and the three procedure kinds.
 * 1. CONTEXT: the database, the logged-in user (from the httpOnly cookie), response headers.
 * 2. INITIALIZATION: superjson (bigint and Date cross the wire), zod errors flattened,
 *    domain errors mapped to a code and a message once, for every procedure (errors.ts).
 * 3. PROCEDURES: public, viewer (any logged-in user), operator (changes state; audited).
 *    Each builder declares its role in the procedure's meta, so that a test can walk the
 *    router and prove that every procedure has one and that no mutation is open to viewers.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { db as defaultDb, type Db } from "../db";
import { SESSION_COOKIE, readCookie, userFromToken } from "../auth/sessions";
import type { AuthUser } from "../auth/roles";
import { audit } from "../audit";
import { LttngError } from "../lttng/errors";
import { moduleLogger } from "../log";
import { INTERNAL_MESSAGE, isDomainError, mappingErrors, toTRPCError } from "./errors";
import { transformer } from "./input-bounds";

// 1. CONTEXT
export interface Context {
  db: Db;
  user: AuthUser | null;
  /** The session cookie's token, for logout. */
  token: string | undefined;
  /** Headers of the HTTP response (Set-Cookie on login/logout); absent for in-process callers. */
  resHeaders: Headers | undefined;
  /**
   * The client's address for login throttling: the last X-Forwarded-For entry, which Next
   * sets from the socket when the client sent none, and a reverse proxy appends. "unknown"
   * for in-process callers.
   */
  clientAddress: string;
}

function clientAddress(headers: Headers): string {
  const xff = headers.get("x-forwarded-for");
  const last = xff?.split(",").pop()?.trim();
  return last ? last.slice(0, 64) : "unknown";
}

export async function createContext(opts: { headers: Headers; resHeaders?: Headers; db?: Db }): Promise<Context> {
  const db = opts.db ?? defaultDb();
  const token = readCookie(opts.headers.get("cookie"), SESSION_COOKIE);
  return { db, user: await userFromToken(db, token), token, resHeaders: opts.resHeaders, clientAddress: clientAddress(opts.headers) };
}

const log = moduleLogger("trpc");

// 2. INITIALIZATION
/** Who may call a procedure: anyone, any logged-in user, or an operator. */
export type ProcedureRole = "public" | "viewer" | "operator";
export interface Meta {
  role: ProcedureRole;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // superjson, with every input bounded before anything walks it (input-bounds.ts).
    transformer,
    errorFormatter({ shape, error }) {
      // An unexpected error's text may carry host paths or internals: log it, answer generically
      // (errors.ts already did for what procedures throw; this also covers tRPC's own).
      // A domain error mapped to INTERNAL_SERVER_ERROR (an LTTng tool failure) keeps its message.
      if (error.code === "INTERNAL_SERVER_ERROR" && !isDomainError(error.cause)) {
        log.error({ err: error.cause ?? error, message: error.message }, "internal error in a procedure");
        shape = { ...shape, message: INTERNAL_MESSAGE };
      }
      return {
        ...shape,
        data: { ...shape.data, zodError: error.cause instanceof ZodError ? error.cause.flatten() : null, lttng: lttngErrorData(error.cause) },
      };
    },
  });

/** LTTng's error code and the input field it is about (server/lttng/errors.ts), for the form to show it there. */
function lttngErrorData(cause: unknown): { code: string; field: string | null } | null {
  if (!(cause instanceof LttngError)) return null;
  return { code: cause.code, field: cause.details.field ?? null };
}

/**
 * The one place errors become what the client sees: whatever a procedure throws, or its
 * subscription's stream throws later, goes through errors.ts. Outermost, so the role and
 * audit middlewares below see the procedure's own error.
 */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) return { ...result, error: toTRPCError(result.error) };
  const data: unknown = result.data;
  if (isAsyncIterable(data)) return { ...result, data: mappingErrors(data) };
  return result;
});

function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return typeof v === "object" && v !== null && Symbol.asyncIterator in v;
}

// 3. ROUTER & PROCEDURES
export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
/** Anyone, logged in or not: only login, logout, first-run set-up and "who am I". */
export const publicProcedure = t.procedure.use(mapErrors).meta({ role: "public" });

/** Any logged-in user (viewers included): reads only. */
export const protectedProcedure = t.procedure
  .use(mapErrors)
  .meta({ role: "viewer" })
  .use(({ ctx, next }) => {
    if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Log in first." });
    return next({ ctx: { ...ctx, user: ctx.user } });
  });

/**
 * Changes state: needs the operator role. Every call, refused or not, lands in the audit log
 * with its outcome and its input (secrets masked).
 */
export const operatorProcedure = protectedProcedure.meta({ role: "operator" }).use(async ({ ctx, next, path, getRawInput }) => {
  // The role is decided before the input is even read: a viewer's request body costs nothing
  // beyond the bounded decoding (input-bounds.ts), which is also all the audit copy walks.
  const refused = ctx.user.role !== "operator";
  const input = async () => {
    try {
      return redact(await getRawInput());
    } catch (e) {
      // tRPC wraps the decoding error (an InputBoundsError, bad JSON) with the same message.
      return { unreadable: e instanceof Error ? e.message : "input could not be decoded" };
    }
  };
  if (refused) {
    const message = "This action needs the operator role.";
    await audit(ctx.db, ctx.user, path, await input(), false, message);
    throw new TRPCError({ code: "FORBIDDEN", message });
  }
  const result = await next();
  await audit(ctx.db, ctx.user, path, await input(), result.ok, result.ok ? "" : result.error.message);
  return result;
});

const SECRET_KEY = /password|token|secret|privatekey/i;

/** The input with every secret-looking field masked, at any depth (the raw input is unvalidated). */
export function redact(input: unknown, depth = 0): unknown {
  if (input === null || typeof input !== "object" || depth > 8) return input;
  if (Array.isArray(input)) return input.map((v) => redact(v, depth + 1));
  return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, SECRET_KEY.test(k) ? "***" : redact(v, depth + 1)]));
}
