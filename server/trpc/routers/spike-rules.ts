import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { addRule, listRules, removeRule, updateRule, getRule } from "../../spikes/rules";
import { spikeService } from "../../spikes/running";
import { ZSpikeListInput, ZSpikeRuleInput, ZSpikeRuleUpdate } from "../../spikes/schema";
import { getSpike, listSpikes, spikeOfArchiveWithReport } from "../../spikes/store";
import { ruleSessionProblems } from "../../spikes/readiness";
import { describeSource, latencySourceSchema } from "../../spikes/sources";
import { fleetInstance } from "../../fleet/instance";
import { lttng } from "../../lttng/instance";
import { readInteropSettings, writeInteropSettings, ZInteropSettings } from "../../metrics/settings";
import { router, protectedProcedure, operatorProcedure } from "../init";

const ById = z.object({
  id: z
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
});

async function assertSource(db: Parameters<typeof listRules>[0], id: number): Promise<void> {
  if (!(await db.latencySource.findUnique({ where: { id }, select: { id: true } })))
    throw new TRPCError({ code: "BAD_REQUEST", message: `Latency source ${id} not found` });
}

/** Spike rules (server/spikes) and the spikes they recorded. */
export const spikeRulesRouter = router({
  /** Every rule with what its detection path is doing now. */
  /**
   * Every rule with what its detection path is doing now and, for an enabled rule, what is
   * wrong with its sessions on this host (`problems`; null when the session list could not be
   * read: the daemon health says why).
   */
  list: protectedProcedure.query(async ({ ctx }) => {
    const status = new Map(
      spikeService(ctx.db)
        .statuses()
        .map((s) => [s.ruleId, s]),
    );
    const [rules, sessions] = await Promise.all([
      listRules(ctx.db),
      lttng()
        .controller.listSessions()
        .catch(() => null),
    ]);
    // A group's hosts as the fleet view last saw them: no host is asked for this list.
    const groupNames = [...new Set(rules.filter((r) => r.enabled && r.hostGroup !== undefined).map((r) => r.hostGroup!))];
    const fleet = groupNames.length === 0 ? null : fleetInstance(ctx.db).fleet;
    const groups = new Map(await Promise.all(groupNames.map(async (g) => [g, await fleet!.view(g)] as const)));
    return rules.map((r) => ({
      ...r,
      status: status.get(r.id) ?? null,
      problems: !r.enabled ? [] : sessions === null ? null : ruleSessionProblems(r, sessions, r.hostGroup === undefined ? undefined : groups.get(r.hostGroup)),
    }));
  }),
  get: protectedProcedure.input(ById).query(({ ctx, input }) => getRule(ctx.db, input.id)),
  /** The latency sources a rule may watch. */
  sources: protectedProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.latencySource.findMany({ orderBy: { id: "asc" }, take: 1000 });
    return rows.map((r) => {
      const parsed = latencySourceSchema.safeParse(JSON.parse(r.definition));
      return {
        id: r.id,
        name: r.name,
        sessionName: r.sessionName,
        label: parsed.success ? describeSource(parsed.data) : "?",
        kind: parsed.success ? parsed.data.kind : null,
      };
    });
  }),
  add: operatorProcedure.input(ZSpikeRuleInput).mutation(async ({ ctx, input }) => {
    await assertSource(ctx.db, input.sourceId);
    const r = await addRule(ctx.db, input);
    await spikeService(ctx.db).reload();
    return r;
  }),
  update: operatorProcedure.input(ZSpikeRuleUpdate).mutation(async ({ ctx, input }) => {
    await assertSource(ctx.db, input.rule.sourceId);
    const r = await updateRule(ctx.db, input.id, input.rule);
    await spikeService(ctx.db).reload();
    return r;
  }),
  /** Deletes the rule (and its LTTng triggers); its spikes stay. */
  remove: operatorProcedure.input(ById).mutation(async ({ ctx, input }) => {
    const r = await removeRule(ctx.db, input.id);
    await spikeService(ctx.db).reload();
    return r;
  }),
  /** Spikes in a time range (the Timeline's markers), newest first, each with its snapshot's archive. */
  spikes: protectedProcedure.input(ZSpikeListInput).query(({ ctx, input }) => listSpikes(ctx.db, input)),
  spike: protectedProcedure.input(ById).query(async ({ ctx, input }) => {
    const s = await getSpike(ctx.db, input.id);
    if (!s) throw new TRPCError({ code: "NOT_FOUND", message: `Spike ${input.id} not found` });
    return s;
  }),
  /** The /metrics token and the Grafana push; tokens are never sent back, only whether they are set. */
  interop: protectedProcedure.query(async ({ ctx }) => {
    const s = await readInteropSettings(ctx.db);
    return { metricsTokenSet: s.metricsToken !== "", grafanaUrl: s.grafanaUrl, grafanaTokenSet: s.grafanaToken !== "" };
  }),
  /** Sets them; a token left undefined keeps its value, "" clears it. */
  setInterop: operatorProcedure.input(ZInteropSettings.partial()).mutation(async ({ ctx, input }) => {
    const cur = await readInteropSettings(ctx.db);
    await writeInteropSettings(ctx.db, { ...cur, ...input });
    return { ok: true };
  }),
  /** The spike an archive was recorded for and its request's place in the report (the report's banner), or null. */
  ofArchive: protectedProcedure.input(ById).query(({ ctx, input }) => spikeOfArchiveWithReport(ctx.db, input.id)),
});
