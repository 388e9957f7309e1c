import { z } from "zod";
import { lttng } from "../../lttng/instance";
import { watchNotifications } from "../../lttng/notify";
import { ZAddTrigger, ZTriggerName } from "../../lttng/schemas";
import { router, protectedProcedure } from "../init";
import { operatorOnHost, viewerOnHost, viewerOnHostOnly } from "../on-host";

/**
 * LTTng triggers (event-rule-matches → notify / start / stop / rotate / snapshot a session),
 * on this machine or a traced host (`host`, server/trpc/on-host.ts).
 */
export const triggersRouter = router({
  list: viewerOnHostOnly.query(({ ctx }) => ctx.ctl.listTriggers()),
  /** The equivalent `lttng add-trigger` command, or why it would be refused (no side effect). */
  plan: viewerOnHost.input(ZAddTrigger).query(({ ctx, input }) => ctx.ctl.planTrigger(input)),
  add: operatorOnHost.input(ZAddTrigger).mutation(({ ctx, input }) => ctx.ctl.addTrigger(input)),
  remove: operatorOnHost.input(z.object({ name: ZTriggerName })).mutation(({ ctx, input }) => ctx.ctl.removeTrigger(input.name)),
  /**
   * Notifications of notify triggers, with their captured values (SSE). The first message
   * says which triggers were found; the stream ends if the session daemon goes away. This
   * machine's daemon only: a notification channel is a local socket of the session daemon.
   */
  notifications: protectedProcedure.input(z.object({ names: z.array(ZTriggerName).min(1).max(32) })).subscription(async function* ({ input, signal }) {
    yield* watchNotifications(input.names, { target: lttng().runner.target, signal });
  }),
});
