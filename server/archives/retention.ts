/**
 * Deleting archives: one by an operator, or by a session's retention policy (keep the last N,
 * at most so many bytes, nothing older than so many hours) applied after each new archive.
 * Never deleted: an archive still being written ("open"), one whose report is queued or being
 * built, and one whose directory is not under a trace root now (a link out, a root removed
 * from the configuration). A vanished ("missing") archive only loses its row.
 */
import { rm } from "node:fs/promises";
import { z } from "zod";
import { audit } from "../audit";
import { config } from "../config";
import { ZRecordedSessionName } from "../lttng/schemas";
import type { Db } from "../db";
import { moduleLogger } from "../log";
import { ArchiveError, archiveDir } from "./store";

const log = moduleLogger("archives");

export const ZRetentionPolicy = z
  .object({
    session: ZRecordedSessionName,
    keepLast: z.number().int().min(1).max(1_000_000).nullable(),
    maxBytes: z
      .bigint()
      .min(1n)
      .max(2n ** 62n)
      .nullable(),
    maxAgeHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 365 * 20)
      .nullable(),
  })
  .strict();
export type RetentionPolicyInput = z.infer<typeof ZRetentionPolicy>;

export interface DeleteGuards {
  /** True while the archive's report is queued or being built (with PostgreSQL, read from the row). */
  isBusy: (id: number) => boolean | Promise<boolean>;
  roots?: readonly string[];
}

/** Deletes the archive's directory and row. Throws ArchiveError (BUSY, OUTSIDE_ROOTS, NOT_FOUND) with the reason. */
export async function deleteArchive(db: Db, id: number, guards: DeleteGuards): Promise<{ id: number; path: string; bytes: bigint }> {
  const row = await db.archive.findUnique({ where: { id }, select: { id: true, path: true, state: true, bytes: true } });
  if (!row) throw new ArchiveError("NOT_FOUND", `No archive with id ${id}.`);
  if (row.state === "open") throw new ArchiveError("BUSY", `Archive ${id} is still being written by LTTng; stop or rotate the session first.`);
  if (await guards.isBusy(id)) throw new ArchiveError("BUSY", `Archive ${id}'s report is being built; delete it once the report is done.`);
  if (row.state !== "missing") {
    let dir: string;
    try {
      dir = await archiveDir(row, guards.roots ?? config().traceRoots);
    } catch (e) {
      // Already gone: only the row is left to remove.
      if (!(e instanceof ArchiveError && e.code === "GONE")) throw e;
      dir = "";
    }
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  }
  await db.archive.delete({ where: { id } });
  return { id, path: row.path, bytes: row.bytes };
}

/** Which of a session's archives (newest first) the policy removes; pure, for the tests and the UI's preview. */
export function archivesOverPolicy(
  archives: readonly { id: number; bytes: bigint; createdAt: Date }[],
  policy: Pick<RetentionPolicyInput, "keepLast" | "maxBytes" | "maxAgeHours">,
  now: Date,
): number[] {
  const out: number[] = [];
  let total = 0n;
  archives.forEach((a, i) => {
    total += a.bytes;
    const tooMany = policy.keepLast !== null && i >= policy.keepLast;
    const tooBig = policy.maxBytes !== null && total > policy.maxBytes;
    const tooOld = policy.maxAgeHours !== null && now.getTime() - a.createdAt.getTime() > policy.maxAgeHours * 3_600_000;
    if (tooMany || tooBig || tooOld) out.push(a.id);
  });
  return out;
}

/**
 * Applies `session`'s policy, if it has one. Archives it may not delete (open, being reported,
 * outside the roots) are skipped, and still count towards the limits: what the operator sees
 * kept is what the policy allows, never more deleted to make room. Each deletion is audited.
 */
export async function applyRetention(db: Db, session: string, guards: DeleteGuards, now = new Date()): Promise<number[]> {
  const policy = await db.retentionPolicy.findUnique({ where: { session } });
  if (!policy) return [];
  const archives = await db.archive.findMany({
    where: { session, state: { in: ["complete", "corrupt", "open"] } },
    select: { id: true, bytes: true, createdAt: true, state: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  const over = archivesOverPolicy(archives, policy, now);
  const deleted: number[] = [];
  for (const id of over) {
    try {
      const d = await deleteArchive(db, id, guards);
      deleted.push(id);
      await audit(db, null, "archives.retention", { session, id, path: d.path, bytes: d.bytes }, true, `Deleted by the retention policy of ${session}.`);
    } catch (e) {
      if (!(e instanceof ArchiveError)) throw e;
      log.info({ session, id, reason: e.message }, "retention kept an archive it may not delete");
    }
  }
  return deleted;
}

export async function getRetentionPolicy(db: Db, session: string) {
  return db.retentionPolicy.findUnique({ where: { session } });
}

/** Sets (or, with every limit null, removes) a session's policy. */
export async function setRetentionPolicy(db: Db, input: RetentionPolicyInput) {
  const p = ZRetentionPolicy.parse(input);
  if (p.keepLast === null && p.maxBytes === null && p.maxAgeHours === null) {
    await db.retentionPolicy.deleteMany({ where: { session: p.session } });
    return null;
  }
  const data = { keepLast: p.keepLast, maxBytes: p.maxBytes, maxAgeHours: p.maxAgeHours };
  return db.retentionPolicy.upsert({ where: { session: p.session }, create: { session: p.session, ...data }, update: data });
}
