import { z } from "zod";
import { listTraces, resolveTracePath } from "../../traces/catalog";
import { router, protectedProcedure } from "../init";

export const ZTracePath = z.string().min(1).max(4096);

/** The traces users may open (the catalog picker), and checking a typed path. */
export const tracesRouter = router({
  list: protectedProcedure.query(() => listTraces()),

  /** The real directory a typed path names, or why it cannot be opened. */
  resolve: protectedProcedure.input(z.object({ path: ZTracePath })).query(async ({ input }) => ({ path: await resolveTracePath(input.path) })),
});
