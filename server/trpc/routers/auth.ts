import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { router, publicProcedure, protectedProcedure, operatorProcedure } from "../init";
import { login, logout, sessionCookie } from "../../auth/sessions";
import { completeSetup, needsSetup } from "../../auth/bootstrap";
import { hashPassword } from "../../auth/password";
import { loginThrottle } from "../../auth/throttle";
import { audit } from "../../audit";
import { Role } from "../../auth/roles";
import { changeUser, listUsers } from "../../auth/users";

const Username = z
  .string()
  .trim()
  .min(1, "Enter a user name.")
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, "Letters, digits, '.', '_' and '-' only.");
const UserId = z
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);

const Password = z.string().min(8, "At least 8 characters.").max(256);

export const authRouter = router({
  me: publicProcedure.query(({ ctx }) => ctx.user),

  /** Whether the first-run set-up is still open (no user yet). */
  needsSetup: publicProcedure.query(({ ctx }) => needsSetup(ctx.db)),

  login: publicProcedure
    .input(z.object({ username: Username, password: z.string().min(1, "Enter the password.").max(256) }))
    .mutation(async ({ ctx, input }) => {
      // Reserved before bcrypt runs: parallel guesses each use up a try at once.
      const slot = loginThrottle.reserve(input.username, ctx.clientAddress);
      if (!slot.ok) {
        await audit(ctx.db, null, "auth.login", { username: input.username }, false, "throttled");
        throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `${slot.reason}; try again in ${Math.ceil(slot.retryAfterMs / 60_000)} min.` });
      }
      let r: Awaited<ReturnType<typeof login>>;
      try {
        r = await login(ctx.db, input.username, input.password);
      } catch (e) {
        // Not a wrong password: give the try back.
        slot.settle(true);
        throw e;
      }
      slot.settle(r.ok);
      if (!r.ok && r.disabled) {
        await audit(ctx.db, null, "auth.login", { username: input.username }, false, "account disabled");
        throw new TRPCError({ code: "FORBIDDEN", message: "This account is disabled: ask an operator to enable it." });
      }
      if (!r.ok) {
        await audit(ctx.db, null, "auth.login", { username: input.username }, false, "bad credentials");
        throw new TRPCError({ code: "UNAUTHORIZED", message: "Wrong user name or password." });
      }
      ctx.resHeaders?.append("Set-Cookie", sessionCookie(r.token, r.maxAge));
      await audit(ctx.db, r.user, "auth.login", { username: input.username }, true);
      return r.user;
    }),

  logout: publicProcedure.mutation(async ({ ctx }) => {
    await logout(ctx.db, ctx.token);
    ctx.resHeaders?.append("Set-Cookie", sessionCookie("", 0));
    return true;
  }),

  setup: publicProcedure.input(z.object({ token: z.string().min(10).max(200), username: Username, password: Password })).mutation(async ({ ctx, input }) => {
    const ok = await completeSetup(ctx.db, input.token, input.username, input.password);
    if (!ok) {
      await audit(ctx.db, null, "auth.setup", { username: input.username }, false, "invalid, expired or used set-up token");
      throw new TRPCError({ code: "FORBIDDEN", message: "This set-up link is invalid, expired, or already used." });
    }
    const r = await login(ctx.db, input.username, input.password);
    await audit(ctx.db, r.ok ? r.user : null, "auth.setup", { username: input.username }, true);
    if (r.ok) ctx.resHeaders?.append("Set-Cookie", sessionCookie(r.token, r.maxAge));
    return true;
  }),

  /** Operators manage users (viewers for on-call colleagues, more operators). */
  createUser: operatorProcedure.input(z.object({ username: Username, password: Password, role: Role })).mutation(async ({ ctx, input }) => {
    const exists = await ctx.db.user.findUnique({ where: { username: input.username } });
    if (exists) throw new TRPCError({ code: "CONFLICT", message: `User '${input.username}' already exists.` });
    const u = await ctx.db.user.create({ data: { username: input.username, passwordHash: await hashPassword(input.password), role: input.role } });
    return { id: u.id, username: u.username, role: input.role };
  }),

  users: protectedProcedure.query(({ ctx }) => listUsers(ctx.db)),

  /** Operators change roles, disable (ends the user's logins), enable and delete users; never the last enabled operator. */
  setUserRole: operatorProcedure
    .input(z.object({ id: UserId, role: Role }))
    .mutation(({ ctx, input }) => changeUser(ctx.db, input.id, { kind: "role", role: input.role })),
  setUserDisabled: operatorProcedure
    .input(z.object({ id: UserId, disabled: z.boolean() }))
    .mutation(({ ctx, input }) => changeUser(ctx.db, input.id, { kind: input.disabled ? "disable" : "enable" })),
  deleteUser: operatorProcedure.input(z.object({ id: UserId })).mutation(async ({ ctx, input }) => {
    await changeUser(ctx.db, input.id, { kind: "delete" });
    return true;
  }),

  audit: protectedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100) }).default({ limit: 100 }))
    .query(({ ctx, input }) => ctx.db.auditEntry.findMany({ orderBy: { id: "desc" }, take: input.limit, include: { user: { select: { username: true } } } })),
});
