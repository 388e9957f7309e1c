import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { listTraces, resolveTracePath, TraceCatalogError } from "../../traces/catalog";
import { router, protectedProcedure } from "../init";

const CODES: Record<TraceCatalogError["code"], TRPCError["code"]> = {
  INVALID_PATH: "BAD_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  OUTSIDE_ROOTS: "FORBIDDEN",
  NOT_A_TRACE: "BAD_REQUEST",
};

/** Resolves a user's trace path (see resolveTracePath), as a TRPCError with the catalog's message. */
export async function resolveTraceOrThrow(path: string): Promise<string> {
  try {
    return await resolveTracePath(path);
  } catch (e) {
    if (e instanceof TraceCatalogError) throw new TRPCError({ code: CODES[e.code], message: e.message, cause: e });
    throw e;
  }
}

export const ZTracePath = z.string().min(1).max(4096);

/** The traces users may open (the catalog picker), and checking a typed path. */
export const tracesRouter = router({
  list: protectedProcedure.query(() => listTraces()),

  /** The real directory a typed path names, or why it cannot be opened. */
  resolve: protectedProcedure.input(z.object({ path: ZTracePath })).query(async ({ input }) => ({ path: await resolveTraceOrThrow(input.path) })),
});
