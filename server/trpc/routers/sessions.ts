import { cpus } from "node:os";
import { z } from "zod";
import { lttng } from "../../lttng/instance";
import {
  ZAddContext,
  ZCreateSession,
  ZDisableChannel,
  ZDisableEvent,
  ZDisableRotation,
  ZDomain,
  ZEnableChannel,
  ZEnableEvent,
  ZEnableRotation,
  ZLoadSession,
  ZSessionName,
  ZSnapshotAddOutput,
  ZSnapshotRecord,
  ZTrack,
  confirmed,
} from "../../lttng/schemas";
import { listProfiles, readProfile } from "../../lttng/profiles";
import { relayLinkOf } from "../../lttng/relay-link";
import { archiveService } from "../../archives/service";
import { bufferBytes, describeFull, outputSpace, type OutputSpace } from "../../lttng/output-space";
import { LttngError } from "../../lttng/errors";
import type { LttngController } from "../../lttng/controller";
import { planSessionSetup, runSessionSetup, ZSessionSetupDraft } from "../../lttng/session-setup";
import { router, protectedProcedure, operatorProcedure } from "../init";

const ByName = z.object({ name: ZSessionName });
const ctl = () => lttng().controller;

type State = Awaited<ReturnType<LttngController["sessionState"]>>;

/** Free space where the session writes (its trace directory, or its local snapshot output). */
function spaceOf(st: State): Promise<OutputSpace | null> {
  const dir =
    st.session.mode === "snapshot" ? st.snapshotOutputs[0]?.ctrlUrl?.replace(/^file:\/\//, "") : st.session.mode === "local" ? st.session.path : undefined;
  if (!dir) return Promise.resolve(null);
  const channels = st.session.domains.flatMap((d) => d.channels);
  return outputSpace(dir, bufferBytes(channels, cpus().length));
}

/** LTTng's terse failure ("Snapshot record failed"), with the cause when it is a full file system. */
async function namingFullDisk<T>(session: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof LttngError)) throw e;
    const disk = await ctl()
      .sessionState(session)
      .then(spaceOf, () => null);
    if (!disk?.low) throw e;
    throw new LttngError(e.code, `${e.message}. ${describeFull(disk)}`, e.details, { cause: e });
  }
}

/** Recording sessions: LTTng is the source of truth; every change needs the operator role. */
export const sessionsRouter = router({
  list: protectedProcedure.query(() => ctl().listSessions()),
  /** Every session with its state, output and allowed actions, in one request (the sessions list and the overview). */
  overview: protectedProcedure.query(() => ctl().sessionsOverview()),
  /** One session with its channels, events, trackers, rotation, snapshot outputs and allowed actions. */
  get: protectedProcedure.input(ByName).query(async ({ input }) => {
    const state = await ctl().sessionState(input.name);
    // LTTng keeps listing a streaming session as recording after its relay died, and loses
    // data silently on a full disk: say both.
    const [relay, disk] = await Promise.all([relayLinkOf(state.session, await lttng().daemons.relaydStatus()), spaceOf(state)]);
    return { ...state, relay, disk: disk && { ...disk, message: disk.low ? describeFull(disk) : null } };
  }),
  /** Events available to enable, per domain (kernel fails with LTTng's "Kernel tracer not available"). */
  available: protectedProcedure
    .input(z.object({ domain: ZDomain, fields: z.boolean().optional(), syscalls: z.boolean().optional() }))
    .query(({ input }) => ctl().listAvailable(input.domain, input)),

  create: operatorProcedure.input(ZCreateSession).mutation(({ input }) => ctl().createSession(input)),
  /** The creation wizard: validates every part and returns the equivalent `lttng` commands (no side effect). */
  plan: protectedProcedure.input(ZSessionSetupDraft).query(({ input }) => planSessionSetup(ctl(), input)),
  /** The creation wizard: create, channels, events, contexts, rotation; destroys the session again if a part fails. */
  setup: operatorProcedure.input(ZSessionSetupDraft).mutation(({ input }) => runSessionSetup(ctl(), input)),
  destroy: operatorProcedure.input(ByName).mutation(({ input }) => ctl().destroy(input.name)),
  start: operatorProcedure.input(ByName).mutation(({ input }) => ctl().start(input.name)),
  stop: operatorProcedure.input(ByName).mutation(({ input }) => ctl().stop(input.name)),
  /** Discards the buffers and the trace data on disk (or at the relay): the caller must confirm. */
  clear: operatorProcedure
    .input(z.object({ name: ZSessionName, confirm: confirmed("clearing deletes the session's recorded trace data") }))
    .mutation(({ input }) => ctl().clear(input.name)),

  enableChannel: operatorProcedure.input(ZEnableChannel).mutation(({ input }) => ctl().enableChannel(input)),
  disableChannel: operatorProcedure.input(ZDisableChannel).mutation(({ input }) => ctl().disableChannel(input)),
  enableEvent: operatorProcedure.input(ZEnableEvent).mutation(({ input }) => ctl().enableEvent(input)),
  disableEvent: operatorProcedure.input(ZDisableEvent).mutation(({ input }) => ctl().disableEvent(input)),
  addContext: operatorProcedure.input(ZAddContext).mutation(({ input }) => ctl().addContext(input)),
  track: operatorProcedure.input(ZTrack).mutation(({ input }) => ctl().track(input)),
  untrack: operatorProcedure.input(ZTrack).mutation(({ input }) => ctl().untrack(input)),

  snapshotOutputs: protectedProcedure.input(ByName).query(({ input }) => ctl().snapshotListOutputs(input.name)),
  snapshotAddOutput: operatorProcedure.input(ZSnapshotAddOutput).mutation(({ input }) => ctl().snapshotAddOutput(input)),
  snapshotDelOutput: operatorProcedure
    .input(z.object({ name: ZSessionName, output: z.union([z.number().int().nonnegative(), ZSessionName]) }))
    .mutation(({ input }) => ctl().snapshotDelOutput(input.name, input.output)),
  /** Records a snapshot and returns the directory it wrote. */
  snapshot: operatorProcedure.input(ZSnapshotRecord).mutation(async ({ input }) => {
    const r = await namingFullDisk(input.session, () => ctl().snapshotRecord(input));
    archiveService().indexer.noteRecorded(r.path, "manual", r.local);
    return r;
  }),

  /** Rotates and returns the archive path. */
  rotate: operatorProcedure.input(ByName).mutation(async ({ input }) => {
    // Rotating onto a full disk "completes" with empty archives and breaks later rotations.
    const disk = await spaceOf(await ctl().sessionState(input.name));
    if (disk?.low) throw new LttngError("NOT_ALLOWED", `Rotation refused. ${describeFull(disk)}`, { command: "rotate", args: [input.name] });
    const r = await namingFullDisk(input.name, () => ctl().rotate(input.name));
    // LTTng reports a rotation completed once its archive is closed (through a relay too).
    if (r.archivePath !== null) archiveService().indexer.noteRecorded(r.archivePath, "manual", true);
    return r;
  }),
  enableRotation: operatorProcedure.input(ZEnableRotation).mutation(({ input }) => ctl().enableRotation(input)),
  disableRotation: operatorProcedure.input(ZDisableRotation).mutation(({ input }) => ctl().disableRotation(input)),
  regenerate: operatorProcedure
    .input(z.object({ name: ZSessionName, what: z.enum(["metadata", "statedump"]) }))
    .mutation(({ input }) => ctl().regenerate(input.name, input.what)),
  /** Writes the session's profile; an existing profile of that name is kept (CONFLICT) unless `force`. */
  save: operatorProcedure.input(z.object({ name: ZSessionName, force: z.boolean().optional() })).mutation(({ input }) => ctl().save(input.name, input.force)),
  /** Profiles saved with `save` (XML files in the saved-sessions directory). */
  profiles: protectedProcedure.query(() => listProfiles(ctl().savedSessionsDir)),
  profile: protectedProcedure.input(ByName).query(({ input }) => readProfile(ctl().savedSessionsDir, input.name)),
  load: operatorProcedure.input(ZLoadSession).mutation(({ input }) => ctl().load(input)),
});
