import { z } from "zod";
import { InFlight } from "../../in-flight";
import { listTraces, resolveTracePath, type TraceCatalog } from "../../traces/catalog";
import { router, protectedProcedure } from "../init";

export const ZTracePath = z.string().min(1).max(4096);

/**
 * Concurrent catalog reads (every Analyze and Traces page) join the walk of the trace roots
 * under way, as the status bar's health does (the load bench at 100 requests/s asks it 8 times
 * a second; each walk on its own answered p50 11.7 s, its file-system calls queued in libuv's
 * four threads behind the others').
 */
const catalogWalk = new InFlight<TraceCatalog>(() => listTraces());
const catalog = () => catalogWalk.join();

/** The traces users may open (the catalog picker), and checking a typed path. */
export const tracesRouter = router({
  list: protectedProcedure.query(() => catalog()),

  /** The real directory a typed path names, or why it cannot be opened. */
  resolve: protectedProcedure.input(z.object({ path: ZTracePath })).query(async ({ input }) => ({ path: await resolveTracePath(input.path) })),
});
