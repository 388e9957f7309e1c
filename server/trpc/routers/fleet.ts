import { z } from "zod";
import { ZHostInput, ZRelayHostInput } from "../../fleet/hosts";
import { fleetInstance } from "../../fleet/instance";
import { ZSessionName } from "../../lttng/schemas";
import { router, protectedProcedure, operatorProcedure } from "../init";

const ZHostName = z.string().min(1).max(63);

export const fleetRouter = router({
  /** Every host (this machine first); never a key. */
  hosts: protectedProcedure.query(({ ctx }) => fleetInstance(ctx.db).hosts.list()),

  /** Each host's last known state; refreshed in the background, never waits for a slow host. */
  overview: protectedProcedure.query(({ ctx }) => fleetInstance(ctx.db).fleet.view()),

  /** Asks every host now (each within its time limit) and returns the states. */
  refresh: operatorProcedure.mutation(async ({ ctx }) => {
    await fleetInstance(ctx.db).fleet.refresh();
    return fleetInstance(ctx.db).fleet.view();
  }),

  /** Adds a host over SSH, pinning the host key it shows now (trust on first use). */
  addHost: operatorProcedure.input(ZHostInput).mutation(async ({ ctx, input }) => {
    const r = await fleetInstance(ctx.db).hosts.add(input);
    void fleetInstance(ctx.db).fleet.refresh();
    return r;
  }),

  testHost: operatorProcedure.input(z.object({ name: ZHostName })).mutation(({ ctx, input }) => fleetInstance(ctx.db).hosts.test(input.name)),

  /** Sets the address by which the host reaches this machine's relayd (null: the relayd's configured one). */
  setRelayHost: operatorProcedure.input(ZRelayHostInput).mutation(({ ctx, input }) => fleetInstance(ctx.db).hosts.setRelayHost(input)),

  removeHost: operatorProcedure.input(z.object({ name: ZHostName })).mutation(({ ctx, input }) => fleetInstance(ctx.db).hosts.remove(input.name)),

  /** `snapshot record` of one session name on every chosen host at once; a result per host. */
  snapshot: operatorProcedure
    .input(z.object({ hosts: z.array(ZHostName).min(1).max(500), session: ZSessionName }))
    .mutation(({ ctx, input }) => fleetInstance(ctx.db).fleet.snapshotAll(input.hosts, input.session)),
});
