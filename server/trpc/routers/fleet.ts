import { z } from "zod";
import { audit } from "../../audit";
import { ZBulkRequest } from "../../fleet/bulk";
import { MAX_GROUPS_PER_HOST, ZHostGroupName } from "../../fleet/group-schema";
import { ZHostInput, ZRelayHostInput } from "../../fleet/hosts";
import { fleetInstance } from "../../fleet/instance";
import { ZSessionName } from "../../lttng/schemas";
import { router, protectedProcedure, operatorProcedure } from "../init";

const ZHostName = z.string().min(1).max(63);

export const fleetRouter = router({
  /** Every host (this machine first); never a key. */
  hosts: protectedProcedure.query(({ ctx }) => fleetInstance(ctx.db).hosts.list()),

  /** Each host's last known state; refreshed in the background, never waits for a slow host. */
  overview: protectedProcedure
    .input(z.object({ group: ZHostGroupName.optional() }).optional())
    .query(({ ctx, input }) => fleetInstance(ctx.db).fleet.view(input?.group)),

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

  /** Every host group in use. */
  groups: protectedProcedure.query(({ ctx }) => fleetInstance(ctx.db).hosts.groups()),

  /** Replaces a host's groups. */
  setGroups: operatorProcedure
    .input(
      z.object({
        name: ZHostName.regex(/^[a-z0-9][a-z0-9-]*$/, "A host name: lower-case letters, digits and '-'"),
        groups: z.array(ZHostGroupName).max(MAX_GROUPS_PER_HOST),
      }),
    )
    .mutation(({ ctx, input }) => fleetInstance(ctx.db).hosts.setGroups(input.name, input.groups)),

  /**
   * Snapshot, start, stop or create-from-profile on the hosts named or a group's: bounded
   * concurrency, a time limit per host, a result per host. Besides the call's own audit entry,
   * each host's outcome is audited on its own line (`fleet.bulk.<action>@<host>`).
   */
  bulk: operatorProcedure.input(ZBulkRequest).mutation(async ({ ctx, input }) => {
    const results = await fleetInstance(ctx.db).fleet.bulk(input.target, input.action);
    for (const r of results) await audit(ctx.db, ctx.user, `fleet.bulk.${input.action.kind}@${r.host}`, { ...input.action, host: r.host }, r.ok, r.message);
    return results;
  }),

  /** `snapshot record` of one session name on every chosen host at once; a result per host. */
  snapshot: operatorProcedure
    .input(z.object({ hosts: z.array(ZHostName).min(1).max(500), session: ZSessionName }))
    .mutation(({ ctx, input }) => fleetInstance(ctx.db).fleet.snapshotAll(input.hosts, input.session)),
});
