/**
 * Reading the archive index (no directory walk per request): session groups and archives,
 * filtered, sorted and paged; one archive with its report and files; and the one place that
 * turns an archive id (and a file inside it) into a path that stays under the trace roots.
 */
import type { Dirent } from "node:fs";
import { lstat, readdir, realpath } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import { z } from "zod";
import { config } from "../config";
import { ZHostName, ZRecordedSessionName, ZTriggerName } from "../lttng/schemas";
import type { Db } from "../db";
import { parseLamiJson } from "../analysis/lami/json";
import type { ArchiveReportDoc } from "./report";
import { brandDomainError } from "../shared/domain-error";

export type ArchiveErrorCode = "NOT_FOUND" | "INVALID_PATH" | "OUTSIDE_ROOTS" | "GONE" | "BUSY";

/** An archive request that cannot be served; `message` is meant for the user. */
export class ArchiveError extends Error {
  override name = "ArchiveError";
  constructor(
    readonly code: ArchiveErrorCode,
    message: string,
  ) {
    super(message);
  }
}
brandDomainError(ArchiveError, "ArchiveError");

export const ARCHIVE_KINDS = ["snapshot", "rotation", "session"] as const;
export const ARCHIVE_STATES = ["open", "complete", "missing", "corrupt"] as const;

/** Causes the index records; a trigger's and a spike's carry their name after a colon. */
const CAUSE_WORDS = /^(?:manual|unknown|trigger|spike|rotation|rotation-timer|rotation-size)$/;
const ZArchiveCause = z
  .string()
  .max(300)
  .refine((c) => {
    if (CAUSE_WORDS.test(c)) return true;
    const m = /^(?:trigger|spike):(.+)$/.exec(c);
    return m !== null && ZTriggerName.safeParse(m[1]).success;
  }, "A cause: manual, unknown, rotation, rotation-timer, rotation-size, trigger[:NAME] or spike[:ID]");

export const ZArchiveFilter = z
  .object({
    session: ZRecordedSessionName.optional(),
    host: ZHostName.optional(),
    kind: z.enum(ARCHIVE_KINDS).optional(),
    /** Exact cause, or a family: "trigger", "spike", "rotation". */
    cause: ZArchiveCause.optional(),
    state: z.enum(ARCHIVE_STATES).optional(),
    /** Written at or after / before (createdAt). */
    from: z.date().optional(),
    to: z.date().optional(),
  })
  .strict();
export type ArchiveFilter = z.infer<typeof ZArchiveFilter>;

export const ZArchiveGroupsInput = ZArchiveFilter.extend({
  page: z.number().int().min(0).max(100_000).default(0),
  pageSize: z.number().int().min(1).max(50).default(20),
});

export const ARCHIVE_SORTS = ["createdAt", "bytes", "events", "discarded"] as const;
export const ZArchiveListInput = ZArchiveFilter.extend({
  sort: z.enum(ARCHIVE_SORTS).default("createdAt"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  page: z.number().int().min(0).max(100_000).default(0),
  pageSize: z.number().int().min(1).max(100).default(10),
});

function where(f: ArchiveFilter) {
  const cause = f.cause === undefined ? undefined : ["trigger", "spike", "rotation"].includes(f.cause) ? { startsWith: f.cause } : f.cause;
  return {
    session: f.session,
    host: f.host,
    kind: f.kind,
    cause,
    state: f.state,
    createdAt: f.from || f.to ? { gte: f.from, lt: f.to } : undefined,
  };
}

const ROW = {
  id: true,
  path: true,
  session: true,
  host: true,
  kind: true,
  cause: true,
  domains: true,
  bytes: true,
  fileCount: true,
  firstEventNs: true,
  lastEventNs: true,
  events: true,
  discarded: true,
  lostPackets: true,
  createdAt: true,
  indexedAt: true,
  state: true,
  error: true,
  reportState: true,
  reportError: true,
} as const;

/** Sessions with archives matching the filter, newest activity first, one page of them. */
export async function archiveGroups(db: Db, input: z.input<typeof ZArchiveGroupsInput>) {
  const q = ZArchiveGroupsInput.parse(input);
  const w = where(q);
  const [groups, all] = await Promise.all([
    db.archive.groupBy({
      by: ["session"],
      where: w,
      _count: { _all: true },
      _sum: { bytes: true, events: true },
      _max: { createdAt: true },
      orderBy: [{ _max: { createdAt: "desc" } }, { session: "asc" }],
      skip: q.page * q.pageSize,
      take: q.pageSize,
    }),
    db.archive.groupBy({ by: ["session"], where: w }),
  ]);
  return {
    groups: groups.map((g) => ({ session: g.session, count: g._count._all, bytes: g._sum.bytes ?? 0n, events: g._sum.events ?? 0n, latest: g._max.createdAt })),
    totalGroups: all.length,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** Archives matching the filter, sorted and paged. */
export async function listIndexedArchives(db: Db, input: z.input<typeof ZArchiveListInput>) {
  const q = ZArchiveListInput.parse(input);
  const w = where(q);
  const [rows, total] = await Promise.all([
    db.archive.findMany({ where: w, select: ROW, orderBy: [{ [q.sort]: q.dir }, { id: q.dir }], skip: q.page * q.pageSize, take: q.pageSize }),
    db.archive.count({ where: w }),
  ]);
  return { archives: rows, total, page: q.page, pageSize: q.pageSize };
}

/** The report queue as the rows say it: building now and waiting. */
export async function reportQueueState(db: Db) {
  const [running, queued, failed] = await Promise.all([
    db.archive.findMany({ where: { reportState: "running" }, select: { id: true, session: true, path: true } }),
    db.archive.count({ where: { reportState: "queued" } }),
    db.archive.count({ where: { reportState: "failed" } }),
  ]);
  return { running, queued, failed };
}

export type ArchiveRow = Awaited<ReturnType<typeof listIndexedArchives>>["archives"][number];

export async function getArchiveRow(db: Db, id: number): Promise<ArchiveRow> {
  const row = await db.archive.findUnique({ where: { id }, select: ROW });
  if (!row) throw new ArchiveError("NOT_FOUND", `No archive with id ${id}.`);
  return row;
}

/** The archive's stored report, parsed (bigints kept), or null when none is stored yet. */
export async function getArchiveReport(db: Db, id: number): Promise<{ doc: ArchiveReportDoc; elapsedMs: number; createdAt: Date } | null> {
  const r = await db.archiveReport.findUnique({ where: { archiveId: id } });
  if (!r) return null;
  return { doc: parseLamiJson(r.lami) as ArchiveReportDoc, elapsedMs: r.elapsedMs, createdAt: r.createdAt };
}

function isUnder(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * The real directory of an indexed archive, checked against the roots configured now: a row
 * whose directory was replaced by a link out of the roots, or whose root was removed from the
 * configuration, is refused.
 */
export async function archiveDir(row: Pick<ArchiveRow, "path" | "id">, roots: readonly string[] = config().traceRoots): Promise<string> {
  const real = await realpath(row.path).catch(() => null);
  if (real === null) throw new ArchiveError("GONE", `Archive ${row.id}: its directory ${row.path} no longer exists.`);
  const realRoots = (await Promise.all(roots.map((r) => realpath(r).catch(() => null)))).filter((r): r is string => r !== null);
  if (!realRoots.some((r) => isUnder(r, real) && real !== r)) {
    throw new ArchiveError("OUTSIDE_ROOTS", `Archive ${row.id}: ${real} is outside the trace directories this server may open.`);
  }
  return real;
}

/** `rel` (a path inside the archive as the file list gives it) → a regular file inside `dir`, links resolved. */
export async function archiveFile(dir: string, rel: string): Promise<{ path: string; size: number }> {
  if (rel.length === 0 || rel.length > 1024 || rel.includes("\0") || isAbsolute(rel) || rel.split(/[\\/]/).includes("..")) {
    throw new ArchiveError("INVALID_PATH", `Invalid file name '${rel.slice(0, 200)}': give a path inside the archive, without '..'.`);
  }
  const real = await realpath(join(dir, rel)).catch(() => null);
  if (real === null) throw new ArchiveError("NOT_FOUND", `No file '${rel}' in this archive.`);
  if (!isUnder(dir, real)) throw new ArchiveError("OUTSIDE_ROOTS", `'${rel}' leads outside the archive.`);
  const st = await lstat(real);
  if (!st.isFile()) throw new ArchiveError("NOT_FOUND", `'${rel}' is not a file.`);
  return { path: real, size: st.size };
}

const MAX_FILES = 2000;

/** The archive's files (relative paths, bytes), links skipped, at most 2,000. */
export async function archiveFiles(dir: string): Promise<{ files: { path: string; bytes: number }[]; truncated: boolean }> {
  const files: { path: string; bytes: number }[] = [];
  let truncated = false;
  const walk = async (d: string, depth: number): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true }).catch(() => [] as Dirent[]);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (files.length >= MAX_FILES) {
        truncated = true;
        return;
      }
      const p = join(d, e.name);
      if (e.isDirectory() && depth < 8) await walk(p, depth + 1);
      else if (e.isFile()) files.push({ path: relative(dir, p), bytes: (await lstat(p).catch(() => null))?.size ?? 0 });
    }
  };
  await walk(dir, 0);
  return { files, truncated };
}
