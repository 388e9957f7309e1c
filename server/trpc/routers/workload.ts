import { z } from "zod";
import { router, protectedProcedure, operatorProcedure } from "../init";
import { ZDemoStartOptions, demoWorkloads } from "../../workload/manager";

/** The "Demo workload" panel: a traced toy web server to start and stop from the browser. */
export const workloadRouter = router({
  /** Running and recent demo processes with their counters, the option bounds, and what is installed. */
  status: protectedProcedure.query(() => demoWorkloads().status()),
  start: operatorProcedure.input(ZDemoStartOptions).mutation(({ input }) => demoWorkloads().start(input)),
  stop: operatorProcedure.input(z.object({ id: z.number().int().positive() })).mutation(({ input }) => demoWorkloads().stop(input.id)),
  stopAll: operatorProcedure.mutation(async () => {
    await demoWorkloads().stopAll();
    return demoWorkloads().status();
  }),
});
