import { z } from "zod";
import { lttng } from "../../lttng/instance";
import { watchNotifications } from "../../lttng/notify";
import { ZAddTrigger, ZTriggerName } from "../../lttng/schemas";
import { router, protectedProcedure, operatorProcedure } from "../init";

const ctl = () => lttng().controller;

/** LTTng triggers (event-rule-matches → notify / start / stop / rotate / snapshot a session). */
export const triggersRouter = router({
  list: protectedProcedure.query(() => ctl().listTriggers()),
  /** The equivalent `lttng add-trigger` command, or why it would be refused (no side effect). */
  plan: protectedProcedure.input(ZAddTrigger).query(({ input }) => ctl().planTrigger(input)),
  add: operatorProcedure.input(ZAddTrigger).mutation(({ input }) => ctl().addTrigger(input)),
  remove: operatorProcedure.input(z.object({ name: ZTriggerName })).mutation(({ input }) => ctl().removeTrigger(input.name)),
  /**
   * Notifications of notify triggers, with their captured values (SSE). The first message
   * says which triggers were found; the stream ends if the session daemon goes away.
   */
  notifications: protectedProcedure.input(z.object({ names: z.array(ZTriggerName).min(1).max(32) })).subscription(async function* ({ input, signal }) {
    yield* watchNotifications(input.names, { target: lttng().runner.target, signal });
  }),
});
