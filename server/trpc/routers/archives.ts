import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { tableRowRanges } from "../../analysis/rows";
import { isAnalysisName } from "../../analysis/registry";
import { archiveService } from "../../archives/service";
import {
  ArchiveError, archiveDir, archiveFiles, archiveGroups, getArchiveReport, getArchiveRow, listIndexedArchives, reportQueueState,
  ZArchiveGroupsInput, ZArchiveListInput, type ArchiveErrorCode,
} from "../../archives/store";
import { router, protectedProcedure, operatorProcedure } from "../init";
import { analysisView, type AnalysisView } from "./analyses";

const CODES: Record<ArchiveErrorCode, TRPCError["code"]> = {
  NOT_FOUND: "NOT_FOUND",
  INVALID_PATH: "BAD_REQUEST",
  OUTSIDE_ROOTS: "FORBIDDEN",
  GONE: "NOT_FOUND",
  BUSY: "CONFLICT",
};

async function archiveCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ArchiveError) throw new TRPCError({ code: CODES[e.code], message: e.message, cause: e });
    throw e;
  }
}

const ById = z.object({ id: z.number().int().positive().max(2 ** 31 - 1) });

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
  get: protectedProcedure.input(ById).query(({ ctx, input }) =>
    archiveCall(async () => {
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
      return { archive: row, files: files.files, filesTruncated: files.truncated, filesError, summary: report?.doc.summary ?? null, reportElapsedMs: report?.elapsedMs ?? null, sections };
    }),
  ),

  /** Scan the trace roots now rather than at the next tick. */
  rescan: operatorProcedure.mutation(async () => {
    await archiveService().indexer.scan();
    return { ok: true };
  }),
  /** Build the archive's report again. */
  report: operatorProcedure.input(ById).mutation(({ ctx, input }) =>
    archiveCall(async () => {
      const row = await getArchiveRow(ctx.db, input.id);
      if (row.state !== "complete") throw new ArchiveError("BUSY", `Archive ${row.id} is ${row.state}: only a complete archive gets a report.`);
      await archiveService().reports.enqueue(row.id);
      return { queued: true };
    }),
  ),
});
