import { z } from "zod";
import { lttng } from "../../lttng/instance";
import { ZAddTrigger, ZTriggerName } from "../../lttng/schemas";
import { router, protectedProcedure, operatorProcedure } from "../init";
import { lttngCall } from "./lttng-error";

const ctl = () => lttng().controller;

/** LTTng triggers (event-rule-matches → notify / start / stop / rotate / snapshot a session). */
export const triggersRouter = router({
  list: protectedProcedure.query(() => lttngCall(() => ctl().listTriggers())),
  add: operatorProcedure.input(ZAddTrigger).mutation(({ input }) => lttngCall(() => ctl().addTrigger(input))),
  remove: operatorProcedure.input(z.object({ name: ZTriggerName })).mutation(({ input }) => lttngCall(() => ctl().removeTrigger(input.name))),
});
