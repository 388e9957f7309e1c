import { z } from "zod";
import { tableRowRanges } from "../../analysis/row-ranges";
import { isAnalysisName } from "../../analysis/catalog";
import { archiveService } from "../../archives/service";
import {
  ArchiveError,
  archiveDir,
  archiveFiles,
  archiveGroups,
  getArchiveReport,
  getArchiveRow,
  listIndexedArchives,
  reportQueueState,
  ZArchiveGroupsInput,
  ZArchiveListInput,
} from "../../archives/store";
import { deleteArchive, getRetentionPolicy, setRetentionPolicy, ZRetentionPolicy } from "../../archives/retention";
import { ZRecordedSessionName } from "../../lttng/schemas";
import { router, protectedProcedure, operatorProcedure } from "../init";
import { analysisView, type AnalysisView } from "./analyses";

const ById = z.object({
  id: z
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
});

/** One analysis of a stored report, in the Analyze page's wire shape. */
export interface ReportSectionView {
  analysis: string;
  title: string;
  error: string | null;
  elapsedMs: number;
  view: AnalysisView | null;
}

/** Snapshot and rotation archives from the index (server/archives): no directory walk per request. */
export const archivesRouter = router({
  /** Sessions with archives, newest first, paged. */
  groups: protectedProcedure.input(ZArchiveGroupsInput).query(({ ctx, input }) => archiveGroups(ctx.db, input)),
  /** Archives (of one session, usually), filtered, sorted, paged. */
  list: protectedProcedure.input(ZArchiveListInput).query(({ ctx, input }) => listIndexedArchives(ctx.db, input)),
  /** The report queue: building now, waiting, failed. */
  queue: protectedProcedure.query(({ ctx }) => reportQueueState(ctx.db)),

  /** One archive: its row, its report (tables per analysis) and its files. */
  get: protectedProcedure.input(ById).query(async ({ ctx, input }) => {
    const row = await getArchiveRow(ctx.db, input.id);
    let files: Awaited<ReturnType<typeof archiveFiles>> = { files: [], truncated: false };
    let filesError: string | null = null;
    try {
      files = await archiveFiles(await archiveDir(row));
    } catch (e) {
      if (!(e instanceof ArchiveError)) throw e;
      filesError = e.message;
    }
    const report = await getArchiveReport(ctx.db, row.id);
    const sections: ReportSectionView[] = [];
    if (report) {
      const d = report.doc;
      for (const s of d.sections) {
        if (s.analysis === "summary" || !isAnalysisName(s.analysis)) continue;
        const results = d.results.slice(s.first, s.first + s.count);
        sections.push({
          analysis: s.analysis,
          title: s.title,
          error: s.error ?? null,
          elapsedMs: s.elapsedMs,
          view:
            s.error !== undefined
              ? null
              : analysisView(row.path, {
                  analysis: s.analysis,
                  results,
                  rowRanges: results.map(tableRowRanges),
                  events: d.summary.events,
                  discarded: d.summary.discarded,
                  beginNs: d.summary.firstEventNs,
                  endNs: d.summary.lastEventNs,
                  elapsedMs: s.elapsedMs,
                }),
        });
      }
    }
    return {
      archive: row,
      files: files.files,
      filesTruncated: files.truncated,
      filesError,
      summary: report?.doc.summary ?? null,
      reportElapsedMs: report?.elapsedMs ?? null,
      sections,
    };
  }),

  /** Scan the trace roots now rather than at the next tick. */
  rescan: operatorProcedure.mutation(async () => {
    await archiveService().indexer.scan();
    return { ok: true };
  }),
  /** Deletes the archive's directory and row (the page asks for confirmation; the call is audited). */
  delete: operatorProcedure
    .input(ById.extend({ confirm: z.literal(true, { error: "Confirm the deletion." }) }))
    .mutation(({ ctx, input }) => deleteArchive(ctx.db, input.id, { isBusy: (id) => archiveService().reports.isBusy(id) })),
  /** A session's retention policy (null: keep everything). */
  retention: protectedProcedure.input(z.object({ session: ZRecordedSessionName })).query(({ ctx, input }) => getRetentionPolicy(ctx.db, input.session)),
  /** Sets a session's retention policy (all limits null removes it) and applies it at once. */
  setRetention: operatorProcedure.input(ZRetentionPolicy).mutation(async ({ ctx, input }) => {
    const policy = await setRetentionPolicy(ctx.db, input);
    const deleted = policy ? await archiveService().retain(input.session) : [];
    return { policy, deleted };
  }),
  /** Build the archive's report again. */
  report: operatorProcedure.input(ById).mutation(async ({ ctx, input }) => {
    const row = await getArchiveRow(ctx.db, input.id);
    if (row.state !== "complete") throw new ArchiveError("BUSY", `Archive ${row.id} is ${row.state}: only a complete archive gets a report.`);
    await archiveService().reports.enqueue(row.id);
    return { queued: true };
  }),
});
