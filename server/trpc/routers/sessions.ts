import { z } from "zod";
import { lttng } from "../../lttng/instance";
import {
  ZAddContext, ZCreateSession, ZDisableChannel, ZDisableEvent, ZDisableRotation, ZDomain, ZEnableChannel, ZEnableEvent, ZEnableRotation,
  ZLoadSession, ZSessionName, ZSnapshotAddOutput, ZSnapshotRecord, ZTrack,
} from "../../lttng/schemas";
import { listProfiles, readProfile } from "../../lttng/profiles";
import { planSessionSetup, runSessionSetup, ZSessionSetupDraft } from "../../lttng/session-setup";
import { router, protectedProcedure, operatorProcedure } from "../init";
import { lttngCall } from "./lttng-error";

const ByName = z.object({ name: ZSessionName });
const ctl = () => lttng().controller;

/** Recording sessions: LTTng is the source of truth; every change needs the operator role. */
export const sessionsRouter = router({
  list: protectedProcedure.query(() => lttngCall(() => ctl().listSessions())),
  /** Every session with its state, output and allowed actions, in one request (the sessions list and the overview). */
  overview: protectedProcedure.query(() => lttngCall(() => ctl().sessionsOverview())),
  /** One session with its channels, events, trackers, rotation, snapshot outputs and allowed actions. */
  get: protectedProcedure.input(ByName).query(({ input }) => lttngCall(() => ctl().sessionState(input.name))),
  /** Events available to enable, per domain (kernel fails with LTTng's "Kernel tracer not available"). */
  available: protectedProcedure
    .input(z.object({ domain: ZDomain, fields: z.boolean().optional(), syscalls: z.boolean().optional() }))
    .query(({ input }) => lttngCall(() => ctl().listAvailable(input.domain, input))),

  create: operatorProcedure.input(ZCreateSession).mutation(({ input }) => lttngCall(() => ctl().createSession(input))),
  /** The creation wizard: validates every part and returns the equivalent `lttng` commands (no side effect). */
  plan: protectedProcedure.input(ZSessionSetupDraft).query(({ input }) => planSessionSetup(ctl(), input)),
  /** The creation wizard: create, channels, events, contexts, rotation; destroys the session again if a part fails. */
  setup: operatorProcedure.input(ZSessionSetupDraft).mutation(({ input }) => lttngCall(() => runSessionSetup(ctl(), input))),
  destroy: operatorProcedure.input(ByName).mutation(({ input }) => lttngCall(() => ctl().destroy(input.name))),
  start: operatorProcedure.input(ByName).mutation(({ input }) => lttngCall(() => ctl().start(input.name))),
  stop: operatorProcedure.input(ByName).mutation(({ input }) => lttngCall(() => ctl().stop(input.name))),
  clear: operatorProcedure.input(ByName).mutation(({ input }) => lttngCall(() => ctl().clear(input.name))),

  enableChannel: operatorProcedure.input(ZEnableChannel).mutation(({ input }) => lttngCall(() => ctl().enableChannel(input))),
  disableChannel: operatorProcedure.input(ZDisableChannel).mutation(({ input }) => lttngCall(() => ctl().disableChannel(input))),
  enableEvent: operatorProcedure.input(ZEnableEvent).mutation(({ input }) => lttngCall(() => ctl().enableEvent(input))),
  disableEvent: operatorProcedure.input(ZDisableEvent).mutation(({ input }) => lttngCall(() => ctl().disableEvent(input))),
  addContext: operatorProcedure.input(ZAddContext).mutation(({ input }) => lttngCall(() => ctl().addContext(input))),
  track: operatorProcedure.input(ZTrack).mutation(({ input }) => lttngCall(() => ctl().track(input))),
  untrack: operatorProcedure.input(ZTrack).mutation(({ input }) => lttngCall(() => ctl().untrack(input))),

  snapshotOutputs: protectedProcedure.input(ByName).query(({ input }) => lttngCall(() => ctl().snapshotListOutputs(input.name))),
  snapshotAddOutput: operatorProcedure.input(ZSnapshotAddOutput).mutation(({ input }) => lttngCall(() => ctl().snapshotAddOutput(input))),
  snapshotDelOutput: operatorProcedure
    .input(z.object({ name: ZSessionName, output: z.union([z.number().int().nonnegative(), ZSessionName]) }))
    .mutation(({ input }) => lttngCall(() => ctl().snapshotDelOutput(input.name, input.output))),
  /** Records a snapshot and returns the directory it wrote. */
  snapshot: operatorProcedure.input(ZSnapshotRecord).mutation(({ input }) => lttngCall(() => ctl().snapshotRecord(input))),

  /** Rotates and returns the archive path. */
  rotate: operatorProcedure.input(ByName).mutation(({ input }) => lttngCall(() => ctl().rotate(input.name))),
  enableRotation: operatorProcedure.input(ZEnableRotation).mutation(({ input }) => lttngCall(() => ctl().enableRotation(input))),
  disableRotation: operatorProcedure.input(ZDisableRotation).mutation(({ input }) => lttngCall(() => ctl().disableRotation(input))),
  regenerate: operatorProcedure
    .input(z.object({ name: ZSessionName, what: z.enum(["metadata", "statedump"]) }))
    .mutation(({ input }) => lttngCall(() => ctl().regenerate(input.name, input.what))),
  save: operatorProcedure.input(z.object({ name: ZSessionName, force: z.boolean().optional() })).mutation(({ input }) => lttngCall(() => ctl().save(input.name, input.force))),
  /** Profiles saved with `save` (XML files in the saved-sessions directory). */
  profiles: protectedProcedure.query(() => listProfiles(ctl().savedSessionsDir)),
  profile: protectedProcedure.input(ByName).query(({ input }) => lttngCall(() => readProfile(ctl().savedSessionsDir, input.name))),
  load: operatorProcedure.input(ZLoadSession).mutation(({ input }) => lttngCall(() => ctl().load(input))),
});
