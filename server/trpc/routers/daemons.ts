import { z } from "zod";
import type { HealthStatus } from "../../lttng/daemons";
import { InFlight } from "../../in-flight";
import { lttng } from "../../lttng/instance";
import { confirmed } from "../../lttng/schemas";
import { router, protectedProcedure, operatorProcedure } from "../init";

const Daemon = z.enum(["sessiond", "relayd"]);

/**
 * Concurrent status-bar polls (every open tab, every page) join the walk of /proc already
 * under way instead of starting their own.
 */
const health = new InFlight<HealthStatus>(() => lttng().daemons.health());

export const daemonsRouter = router({
  /** Both daemons' state; the status bar polls it on every page. */
  health: protectedProcedure.query(() => health.join()),

  /** Pushes the health status whenever a daemon starts or dies (SSE). */
  watch: protectedProcedure.subscription(async function* ({ signal }) {
    yield* lttng().daemons.watch(2_000, signal);
  }),

  start: operatorProcedure.input(z.object({ daemon: Daemon })).mutation(async ({ input }) => {
    const d = lttng().daemons;
    return input.daemon === "sessiond" ? await d.startSessiond() : await d.startRelayd();
  }),

  /**
   * Stops a daemon only if Tracedeck started it, and only when the operator confirmed: stopping
   * the session daemon destroys every recording session on the host with its ring buffers.
   * Nothing else ever stops a daemon (not the server exiting, nor `npm start` ending).
   */
  stop: operatorProcedure
    .input(z.object({ daemon: Daemon, confirm: confirmed("stopping a daemon ends every session that uses it") }))
    .mutation(async ({ input }) => {
      const d = lttng().daemons;
      return input.daemon === "sessiond" ? await d.stopSessiond() : await d.stopRelayd();
    }),
});
