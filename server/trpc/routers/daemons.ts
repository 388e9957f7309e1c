import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { lttng } from "../../lttng/instance";
import { LttngError } from "../../lttng/errors";
import { router, protectedProcedure, operatorProcedure } from "../init";

const Daemon = z.enum(["sessiond", "relayd"]);

function asTrpcError(e: unknown): never {
  if (e instanceof LttngError) throw new TRPCError({ code: e.code === "NOT_ALLOWED" ? "FORBIDDEN" : "INTERNAL_SERVER_ERROR", message: e.message, cause: e });
  throw e;
}

export const daemonsRouter = router({
  /** Both daemons' state; the status bar polls it on every page. */
  health: protectedProcedure.query(() => lttng().daemons.health()),

  /** Pushes the health status whenever a daemon starts or dies (SSE). */
  watch: protectedProcedure.subscription(async function* ({ signal }) {
    yield* lttng().daemons.watch(2_000, signal);
  }),

  start: operatorProcedure.input(z.object({ daemon: Daemon })).mutation(async ({ input }) => {
    const d = lttng().daemons;
    try {
      return input.daemon === "sessiond" ? await d.startSessiond() : await d.startRelayd();
    } catch (e) {
      asTrpcError(e);
    }
  }),

  /** Stops a daemon only if Tracedeck started it. */
  stop: operatorProcedure.input(z.object({ daemon: Daemon })).mutation(async ({ input }) => {
    const d = lttng().daemons;
    try {
      return input.daemon === "sessiond" ? await d.stopSessiond() : await d.stopRelayd();
    } catch (e) {
      asTrpcError(e);
    }
  }),
});
