import { listArchives } from "../../archives/list";
import { router, protectedProcedure } from "../init";

/** Snapshot and rotation archives (and other traces) under the trace roots. */
export const archivesRouter = router({
  list: protectedProcedure.query(() => listArchives()),
});
