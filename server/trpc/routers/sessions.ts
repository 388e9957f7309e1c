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
import { LOCAL_HOST } from "../../fleet/hosts";
import { operatorOnHost, viewerOnHost, viewerOnHostOnly } from "../on-host";

const ByName = z.object({ name: ZSessionName });
const LocalOnly = z.literal(LOCAL_HOST, { error: "Profiles are saved and loaded on this machine only" }).optional();
const ctl = () => lttng().controller;

type State = Awaited<ReturnType<LttngController["sessionState"]>>;

/** Free space where the session writes (its trace directory, or its local snapshot output), when that is on this machine. */
function spaceOf(c: LttngController, st: State): Promise<OutputSpace | null> {
  if (!c.files.local) return Promise.resolve(null);
  const dir =
    st.session.mode === "snapshot" ? st.snapshotOutputs[0]?.ctrlUrl?.replace(/^file:\/\//, "") : st.session.mode === "local" ? st.session.path : undefined;
  if (!dir) return Promise.resolve(null);
  const channels = st.session.domains.flatMap((d) => d.channels);
  return outputSpace(dir, bufferBytes(channels, cpus().length));
}

/** LTTng's terse failure ("Snapshot record failed"), with the cause when it is a full file system. */
async function namingFullDisk<T>(c: LttngController, session: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof LttngError)) throw e;
    const disk = await c.sessionState(session).then(
      (st) => spaceOf(c, st),
      () => null,
    );
    if (!disk?.low) throw e;
    throw new LttngError(e.code, `${e.message}. ${describeFull(disk)}`, e.details, { cause: e });
  }
}

/**
 * Recording sessions: LTTng is the source of truth; every change needs the operator role.
 * Each procedure acting on sessions takes an optional `host` (server/trpc/on-host.ts).
 */
export const sessionsRouter = router({
  list: viewerOnHostOnly.query(({ ctx }) => ctx.ctl.listSessions()),
  /** Every session with its state, output and allowed actions, in one request (the sessions list and the overview). */
  overview: viewerOnHostOnly.query(({ ctx }) => ctx.ctl.sessionsOverview()),
  /** One session with its channels, events, trackers, rotation, snapshot outputs and allowed actions. */
  get: viewerOnHost.input(ByName).query(async ({ ctx, input }) => {
    const state = await ctx.ctl.sessionState(input.name);
    // LTTng keeps listing a streaming session as recording after its relay died, and loses
    // data silently on a full disk: say both. The relay is this machine's, for every host.
    const [relay, disk] = await Promise.all([
      Promise.all([lttng().daemons.relaydStatus(), ctx.ctl.files.hostname()]).then(([st, host]) => relayLinkOf(state.session, st, host)),
      spaceOf(ctx.ctl, state),
    ]);
    return { ...state, relay, disk: disk && { ...disk, message: disk.low ? describeFull(disk) : null } };
  }),
  /** Events available to enable, per domain (kernel fails with LTTng's "Kernel tracer not available"). */
  available: viewerOnHost
    .input(z.object({ domain: ZDomain, fields: z.boolean().optional(), syscalls: z.boolean().optional() }))
    .query(({ ctx, input }) => ctx.ctl.listAvailable(input.domain, input)),

  create: operatorOnHost.input(ZCreateSession).mutation(({ ctx, input }) => ctx.ctl.createSession(input)),
  /** The creation wizard: validates every part and returns the equivalent `lttng` commands (no side effect). */
  plan: viewerOnHost.input(ZSessionSetupDraft).query(({ ctx, input }) => planSessionSetup(ctx.ctl, input)),
  /** The creation wizard: create, channels, events, contexts, rotation; destroys the session again if a part fails. */
  setup: operatorOnHost.input(ZSessionSetupDraft).mutation(({ ctx, input }) => runSessionSetup(ctx.ctl, input)),
  destroy: operatorOnHost.input(ByName).mutation(({ ctx, input }) => ctx.ctl.destroy(input.name)),
  start: operatorOnHost.input(ByName).mutation(({ ctx, input }) => ctx.ctl.start(input.name)),
  stop: operatorOnHost.input(ByName).mutation(({ ctx, input }) => ctx.ctl.stop(input.name)),
  /** Discards the buffers and the trace data on disk (or at the relay): the caller must confirm. */
  clear: operatorOnHost
    .input(z.object({ name: ZSessionName, confirm: confirmed("clearing deletes the session's recorded trace data") }))
    .mutation(({ ctx, input }) => ctx.ctl.clear(input.name)),

  enableChannel: operatorOnHost.input(ZEnableChannel).mutation(({ ctx, input }) => ctx.ctl.enableChannel(input)),
  disableChannel: operatorOnHost.input(ZDisableChannel).mutation(({ ctx, input }) => ctx.ctl.disableChannel(input)),
  enableEvent: operatorOnHost.input(ZEnableEvent).mutation(({ ctx, input }) => ctx.ctl.enableEvent(input)),
  disableEvent: operatorOnHost.input(ZDisableEvent).mutation(({ ctx, input }) => ctx.ctl.disableEvent(input)),
  addContext: operatorOnHost.input(ZAddContext).mutation(({ ctx, input }) => ctx.ctl.addContext(input)),
  track: operatorOnHost.input(ZTrack).mutation(({ ctx, input }) => ctx.ctl.track(input)),
  untrack: operatorOnHost.input(ZTrack).mutation(({ ctx, input }) => ctx.ctl.untrack(input)),

  snapshotOutputs: viewerOnHost.input(ByName).query(({ ctx, input }) => ctx.ctl.snapshotListOutputs(input.name)),
  snapshotAddOutput: operatorOnHost.input(ZSnapshotAddOutput).mutation(({ ctx, input }) => ctx.ctl.snapshotAddOutput(input)),
  snapshotDelOutput: operatorOnHost
    .input(z.object({ name: ZSessionName, output: z.union([z.number().int().nonnegative(), ZSessionName]) }))
    .mutation(({ ctx, input }) => ctx.ctl.snapshotDelOutput(input.name, input.output)),
  /** Records a snapshot and returns the directory it wrote (on the session's host, or at this machine's relay). */
  snapshot: operatorOnHost.input(ZSnapshotRecord).mutation(async ({ ctx, input }) => {
    const r = await namingFullDisk(ctx.ctl, input.session, () => ctx.ctl.snapshotRecord(input));
    if (await ctx.ctl.isOnThisMachine(r.path)) archiveService().indexer.noteRecorded(r.path, "manual", r.local);
    return r;
  }),

  /** Rotates and returns the archive path (on the session's host, or at this machine's relay). */
  rotate: operatorOnHost.input(ByName).mutation(async ({ ctx, input }) => {
    // Rotating onto a full disk "completes" with empty archives and breaks later rotations.
    const disk = await spaceOf(ctx.ctl, await ctx.ctl.sessionState(input.name));
    if (disk?.low) throw new LttngError("NOT_ALLOWED", `Rotation refused. ${describeFull(disk)}`, { command: "rotate", args: [input.name] });
    const r = await namingFullDisk(ctx.ctl, input.name, () => ctx.ctl.rotate(input.name));
    // LTTng reports a rotation completed once its archive is closed (through a relay too).
    if (r.archivePath !== null && (await ctx.ctl.isOnThisMachine(r.archivePath))) archiveService().indexer.noteRecorded(r.archivePath, "manual", true);
    return r;
  }),
  enableRotation: operatorOnHost.input(ZEnableRotation).mutation(({ ctx, input }) => ctx.ctl.enableRotation(input)),
  disableRotation: operatorOnHost.input(ZDisableRotation).mutation(({ ctx, input }) => ctx.ctl.disableRotation(input)),
  regenerate: operatorOnHost
    .input(z.object({ name: ZSessionName, what: z.enum(["metadata", "statedump"]) }))
    .mutation(({ ctx, input }) => ctx.ctl.regenerate(input.name, input.what)),
  // Profiles are files of this machine (the saved-sessions directory): saving and loading act
  // on its session daemon, and say so to a caller naming another host rather than act here.
  /** Writes the session's profile; an existing profile of that name is kept (CONFLICT) unless `force`. */
  save: operatorProcedure
    .input(z.object({ name: ZSessionName, force: z.boolean().optional(), host: LocalOnly }))
    .mutation(({ input }) => ctl().save(input.name, input.force)),
  /** Profiles saved with `save` (XML files in the saved-sessions directory). */
  profiles: protectedProcedure.query(() => listProfiles(ctl().savedSessionsDir)),
  profile: protectedProcedure.input(ByName).query(({ input }) => readProfile(ctl().savedSessionsDir, input.name)),
  load: operatorProcedure
    .input(z.object({ host: LocalOnly }))
    .input(ZLoadSession)
    .mutation(({ input }) => ctl().load(input)),
});
