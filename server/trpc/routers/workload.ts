import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { router, protectedProcedure, operatorProcedure } from "../init";
import { WorkloadError, ZDemoStartOptions, demoWorkloads } from "../../workload/manager";

const CODES = { LIMIT_REACHED: "CONFLICT", NOT_FOUND: "NOT_FOUND", START_FAILED: "PRECONDITION_FAILED" } as const;

/** Runs a manager call and turns its `WorkloadError` into a `TRPCError` with the same message. */
async function workloadCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw err instanceof WorkloadError ? new TRPCError({ code: CODES[err.code], message: err.message, cause: err }) : err;
  }
}

/** The "Demo workload" panel: a traced toy web server to start and stop from the browser. */
export const workloadRouter = router({
  /** Running and recent demo processes with their counters, the option bounds, and what is installed. */
  status: protectedProcedure.query(() => demoWorkloads().status()),
  start: operatorProcedure.input(ZDemoStartOptions).mutation(({ input }) => workloadCall(() => demoWorkloads().start(input))),
  stop: operatorProcedure.input(z.object({ id: z.number().int().positive() })).mutation(({ input }) => workloadCall(() => demoWorkloads().stop(input.id))),
  stopAll: operatorProcedure.mutation(async () => {
    await demoWorkloads().stopAll();
    return demoWorkloads().status();
  }),
});
