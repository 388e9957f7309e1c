/**
 * Procedures that act on sessions take an optional `host` (absent: this machine, which is a
 * host like the others). The role check comes first (the procedure kind's middleware), then
 * the host is resolved once (server/fleet/controllers.ts) into `ctx.ctl`; an unknown host is
 * NOT_FOUND. The audit row of an operator call names the host (server/audit.ts).
 */
import { z } from "zod";
import { ZHostRef } from "../fleet/hosts";
import { fleetInstance } from "../fleet/instance";
import type { Db } from "../db";
import type { LttngController } from "../lttng/controller";
import { operatorProcedure, protectedProcedure } from "./init";

export const ZOnHost = z.object({ host: ZHostRef.optional() });

/** The controller of `host` (absent: this machine's): resolved once per call, cached per host. */
function controllerOf(db: Db, host: string | undefined): Promise<LttngController> {
  return fleetInstance(db).controllers.get(host);
}

/** Reads on a host's sessions, with an input of their own (`.input(…)` merges with `{ host }`). */
export const viewerOnHost = protectedProcedure
  .input(ZOnHost)
  .use(async ({ ctx, input, next }) => next({ ctx: { ctl: await controllerOf(ctx.db, input.host) } }));
/** Changes on a host's sessions (operator role, audited with the host). */
export const operatorOnHost = operatorProcedure
  .input(ZOnHost)
  .use(async ({ ctx, input, next }) => next({ ctx: { ctl: await controllerOf(ctx.db, input.host) } }));
/** Reads without an input of their own: `{ host }` or nothing at all. */
export const viewerOnHostOnly = protectedProcedure
  .input(ZOnHost.optional())
  .use(async ({ ctx, input, next }) => next({ ctx: { ctl: await controllerOf(ctx.db, input?.host) } }));
