/**
 * Reading spikes: the Timeline's markers and the Spikes page. Each spike's snapshot is found in
 * the archive index by its cause (`spike:<id>`), so the link holds whether the index saw the
 * directory before or after the spike row was written, and survives a rescan.
 */
import type { z } from "zod";
import type { ArchiveReportDoc } from "../archives/report";
import { getArchiveReport } from "../archives/store";
import type { Db } from "../db";
import { spikeCause } from "./actions";
import type { ZSpikeListInput } from "./schema";

export interface SpikeView {
  id: number;
  ruleId: number | null;
  ruleName: string;
  sourceId: number;
  tsNs: bigint;
  valueNs: bigint;
  thresholdNs: bigint;
  detection: string;
  outcome: string;
  suppressed: number;
  snapshotName: string | null;
  archivePath: string | null;
  error: string | null;
  actionMs: number | null;
  detectedAt: Date;
  /** The snapshot in the archive index, once indexed. */
  archive: { id: number; state: string; reportState: string; bytes: bigint } | null;
}

type SpikeRow = Omit<SpikeView, "archive">;

async function withArchives(db: Db, rows: SpikeRow[]): Promise<SpikeView[]> {
  const causes = rows.filter((r) => r.archivePath !== null || r.outcome === "recording").map((r) => spikeCause(r.id));
  const archives =
    causes.length === 0
      ? []
      : await db.archive.findMany({
          where: { cause: { in: causes } },
          select: { id: true, cause: true, state: true, reportState: true, bytes: true },
        });
  const byCause = new Map(archives.map((a) => [a.cause, a]));
  return rows.map((r) => {
    const a = byCause.get(spikeCause(r.id));
    return { ...r, archive: a ? { id: a.id, state: a.state, reportState: a.reportState, bytes: a.bytes } : null };
  });
}

const SELECT = {
  id: true,
  ruleId: true,
  ruleName: true,
  sourceId: true,
  tsNs: true,
  valueNs: true,
  thresholdNs: true,
  detection: true,
  outcome: true,
  suppressed: true,
  snapshotName: true,
  archivePath: true,
  error: true,
  actionMs: true,
  detectedAt: true,
} as const;

/** Spikes in [fromNs, toNs], newest first, at most `limit`. */
export async function listSpikes(db: Db, q: z.output<typeof ZSpikeListInput>): Promise<SpikeView[]> {
  const rows = await db.spike.findMany({
    where: {
      tsNs: { gte: q.fromNs, lte: q.toNs },
      ...(q.sourceIds ? { sourceId: { in: q.sourceIds } } : {}),
      ...(q.ruleId !== undefined ? { ruleId: q.ruleId } : {}),
    },
    orderBy: { tsNs: "desc" },
    take: q.limit,
    select: SELECT,
  });
  return withArchives(db, rows);
}

export async function getSpike(db: Db, id: number): Promise<SpikeView | null> {
  const row = await db.spike.findUnique({ where: { id }, select: SELECT });
  return row ? ((await withArchives(db, [row]))[0] ?? null) : null;
}

/** The spike whose snapshot is archive `archiveId` (the report page's banner), or null. */
export async function spikeOfArchive(db: Db, archiveId: number): Promise<SpikeView | null> {
  const a = await db.archive.findUnique({ where: { id: archiveId }, select: { cause: true } });
  const m = a ? /^spike:(\d+)$/.exec(a.cause) : null;
  return m ? getSpike(db, Number(m[1])) : null;
}

/** Where a spike's own request sits in its snapshot's report: which "top" table, at which rank. */
export interface SpikeInReport {
  table: string;
  /** 1 = the first row of the table (the longest). */
  rank: number;
  beginNs: bigint | null;
  endNs: bigint | null;
}

/**
 * Finds the spike's request in the report's period "top" tables: the row whose duration is
 * the spike's value (the live stream and the trigger capture read the same field the period
 * analysis reads), the closest end time first when several have that duration.
 */
export function findSpikeInReport(doc: ArchiveReportDoc, spike: Pick<SpikeView, "valueNs" | "tsNs">): SpikeInReport | null {
  const value = Number(spike.valueNs);
  let best: SpikeInReport | null = null;
  let bestDistance = 0n;
  for (const section of doc.sections) {
    if (section.analysis !== "periodtop") continue;
    for (let t = section.first; t < section.first + section.count; t++) {
      const table = doc.results[t];
      if (!table) continue;
      // A table's class may be a predefined LAMI class name ("top"): read the cells' own classes.
      for (const [i, row] of table.data.entries()) {
        const d = row.find((c) => c?.class === "duration");
        if (!d || d.class !== "duration" || Math.abs(d.value - value) > 0.5) continue;
        const stamps = row.filter((c) => c?.class === "timestamp").map((c) => (c as { value: bigint }).value);
        const endNs = stamps[1] ?? stamps[0] ?? null;
        const b = stamps.length > 1 ? stamps[0]! : null;
        const distance = endNs === null ? 2n ** 62n : endNs > spike.tsNs ? endNs - spike.tsNs : spike.tsNs - endNs;
        if (best === null || distance < bestDistance) {
          best = { table: section.title, rank: i + 1, beginNs: b, endNs };
          bestDistance = distance;
        }
      }
    }
  }
  return best;
}

/**
 * The spike an archive was recorded for, and where its request sits in the archive's report
 * (`inReport` null and `reportReady` true: the report is built and its top tables do not hold it).
 */
export async function spikeOfArchiveWithReport(
  db: Db,
  archiveId: number,
): Promise<{ spike: SpikeView; inReport: SpikeInReport | null; reportReady: boolean } | null> {
  const spike = await spikeOfArchive(db, archiveId);
  if (!spike) return null;
  const report = await getArchiveReport(db, archiveId);
  return { spike, inReport: report ? findSpikeInReport(report.doc, spike) : null, reportReady: report !== null };
}
