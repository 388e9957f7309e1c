import { z } from "zod";
import { PRINT_COMPAT_MODES } from "../../ctf";
import { readRangeInWorker } from "../../timeline/pool";
import { router, protectedProcedure } from "../init";
import { resolveTracePath } from "../../traces/catalog";
import { ZTracePath } from "./traces";

const EpochNs = z
  .string()
  .regex(/^\d{1,20}$/, "Epoch nanoseconds as decimal digits.")
  .transform((s) => BigInt(s));

export const timelineRouter = router({
  /** The events of a time range of a trace (what an analysis row's link opens). */
  events: protectedProcedure
    .input(
      z.object({
        trace: ZTracePath,
        begin: EpochNs.optional(),
        end: EpochNs.optional(),
        limit: z.number().int().min(1).max(20_000).default(5_000),
        compat: z.enum(PRINT_COMPAT_MODES).optional(),
      }),
    )
    .query(async ({ input, signal }) => {
      const dir = await resolveTracePath(input.trace);
      return readRangeInWorker({ trace: input.trace, dir, begin: input.begin, end: input.end, limit: input.limit, compat: input.compat }, signal);
    }),
});
