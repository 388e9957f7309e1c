import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { Prisma } from "../../generated/prisma/client";
import { ZRecordedSessionName } from "../../lttng/schemas";
import { MAX_WIDTH, queryRange } from "../../spikes/history";
import { listIngestJobs, startIngest } from "../../spikes/ingest-jobs";
import { latencyService } from "../../spikes/service";
import { describeSource, latencySourceSchema, type LatencySource } from "../../spikes/sources";
import { operatorProcedure, protectedProcedure, router } from "../init";
import { resolveTracePath } from "../../traces/catalog";
import { ZTracePath } from "./traces";
import { epochNs } from "../../time";

const EpochNs = z
  .string()
  .regex(/^\d{1,20}$/, "Epoch nanoseconds as decimal digits.")
  .transform((s) => BigInt(s));

const ZSourceId = z
  .number()
  .int()
  .min(1)
  .max(2 ** 31 - 1);
/** Sources drawn on one timeline at most (each is one query and one series). */
export const MAX_SOURCES_PER_QUERY = 8;
/** Sources kept at most: each live one costs an extractor per event. */
export const MAX_SOURCES = 200;

const ZSourceName = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .regex(/^[^\u0000-\u001f]*$/, "no control characters");

export interface LatencySourceView {
  id: number;
  name: string;
  sessionName: string | null;
  definition: LatencySource;
  /** "tracedeck_demo:request_end.latency_ns", "syscall read", … */
  label: string;
  createdAt: Date;
}

function view(r: { id: number; name: string; sessionName: string | null; definition: string; createdAt: Date }): LatencySourceView | null {
  const parsed = latencySourceSchema.safeParse(JSON.parse(r.definition));
  if (!parsed.success) return null;
  return { id: r.id, name: r.name, sessionName: r.sessionName, definition: parsed.data, label: describeSource(parsed.data), createdAt: r.createdAt };
}

async function sourceOrThrow(db: import("../../db").Db, id: number): Promise<LatencySourceView> {
  const row = await db.latencySource.findUnique({ where: { id } });
  const v = row === null ? null : view(row);
  if (v === null) throw new TRPCError({ code: "NOT_FOUND", message: `No latency source ${id}.` });
  return v;
}

/** Latency sources, their history at pixel resolution, and on-demand ingest of stored traces. */
export const spikesRouter = router({
  sources: router({
    list: protectedProcedure.query(async ({ ctx }) => {
      const rows = await ctx.db.latencySource.findMany({ orderBy: [{ sessionName: "asc" }, { name: "asc" }], take: MAX_SOURCES });
      return rows.map(view).filter((v): v is LatencySourceView => v !== null);
    }),

    /** Creates a source, or replaces the one `id` names (its history is kept: same meaning is the caller's call). */
    upsert: operatorProcedure
      .input(z.strictObject({ id: ZSourceId.optional(), name: ZSourceName, sessionName: ZRecordedSessionName.nullable(), definition: latencySourceSchema }))
      .mutation(async ({ ctx, input }) => {
        const data = { name: input.name, sessionName: input.sessionName, definition: JSON.stringify(input.definition) };
        try {
          let row;
          if (input.id === undefined) {
            if ((await ctx.db.latencySource.count()) >= MAX_SOURCES)
              throw new TRPCError({ code: "PRECONDITION_FAILED", message: `At most ${MAX_SOURCES} latency sources.` });
            row = await ctx.db.latencySource.create({ data });
          } else {
            await sourceOrThrow(ctx.db, input.id);
            row = await ctx.db.latencySource.update({ where: { id: input.id }, data });
          }
          void latencyService().recorder.poll();
          return view(row)!;
        } catch (e) {
          if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
            throw new TRPCError({ code: "CONFLICT", message: `A latency source named "${input.name}" already exists for this session.` });
          throw e;
        }
      }),

    /** Deletes a source and its history. */
    remove: operatorProcedure.input(z.strictObject({ id: ZSourceId })).mutation(async ({ ctx, input }) => {
      await sourceOrThrow(ctx.db, input.id);
      await ctx.db.latencySource.delete({ where: { id: input.id } });
      latencyService().writer.forget(input.id);
      void latencyService().recorder.poll();
      return { id: input.id };
    }),
  }),

  /** Latency over a range at `width` points per source (count, min, max, p50, p90, p99). */
  history: protectedProcedure
    .input(
      z
        .strictObject({
          sourceIds: z.array(ZSourceId).min(1).max(MAX_SOURCES_PER_QUERY),
          from: EpochNs,
          to: EpochNs,
          width: z.number().int().min(1).max(MAX_WIDTH),
        })
        .refine((q) => q.to >= q.from, "`to` is before `from`"),
    )
    .query(async ({ ctx, input }) => {
      const series = await queryRange(ctx.db, {
        sourceIds: [...new Set(input.sourceIds)],
        fromNs: epochNs(input.from),
        toNs: epochNs(input.to),
        width: input.width,
      });
      return { from: input.from, to: input.to, series };
    }),

  /** Snapshot archives taken in a range (the Timeline's snapshot markers), newest last, at most 500. */
  snapshots: protectedProcedure
    .input(z.strictObject({ from: EpochNs, to: EpochNs, sessions: z.array(ZRecordedSessionName).max(MAX_SOURCES_PER_QUERY).optional() }))
    .query(async ({ ctx, input }) => {
      const ms = (ns: bigint) => new Date(Number(ns / 1_000_000n));
      const rows = await ctx.db.archive.findMany({
        where: {
          kind: "snapshot",
          createdAt: { gte: ms(input.from), lte: ms(input.to) },
          ...(input.sessions === undefined ? {} : { session: { in: input.sessions } }),
        },
        select: { id: true, session: true, cause: true, createdAt: true, lastEventNs: true, reportState: true },
        orderBy: { createdAt: "asc" },
        take: 500,
      });
      // The last event is when the snapshot's buffers end; LTTng names the directory at its own clock.
      return rows.map((r) => ({
        id: r.id,
        session: r.session,
        cause: r.cause,
        reportState: r.reportState,
        tNs: r.lastEventNs ?? BigInt(r.createdAt.getTime()) * 1_000_000n,
      }));
    }),

  /** Live recordings (sessions whose sources are being fed from the relay). */
  recordings: protectedProcedure.query(() => latencyService().recorder.status()),

  /** Reads a stored trace or an indexed archive into a source's history, in a worker (poll `ingestJobs` for progress). */
  ingest: operatorProcedure
    .input(
      z
        .strictObject({
          sourceId: ZSourceId,
          trace: ZTracePath.optional(),
          archiveId: z
            .number()
            .int()
            .min(1)
            .max(2 ** 31 - 1)
            .optional(),
        })
        .refine((q) => (q.trace === undefined) !== (q.archiveId === undefined), "Name a trace or an archive (one of them)."),
    )
    .mutation(async ({ ctx, input }) => {
      const source = await sourceOrThrow(ctx.db, input.sourceId);
      let dir: string;
      let label: string;
      if (input.archiveId !== undefined) {
        // The archive index only holds directories it found under the archive roots.
        const a = await ctx.db.archive.findUnique({ where: { id: input.archiveId }, select: { path: true, state: true, session: true } });
        if (a === null) throw new TRPCError({ code: "NOT_FOUND", message: `No archive ${input.archiveId}.` });
        if (a.state !== "complete") throw new TRPCError({ code: "PRECONDITION_FAILED", message: `Archive ${input.archiveId} is ${a.state}, not complete.` });
        dir = a.path;
        label = `archive ${input.archiveId} (${a.session})`;
      } else {
        dir = await resolveTracePath(input.trace!);
        label = input.trace!;
      }
      const { job, done } = startIngest(ctx.db, source.id, source.definition, [dir], label);
      void done;
      return { id: job.id };
    }),

  ingestJobs: protectedProcedure.query(() => listIngestJobs()),
});
