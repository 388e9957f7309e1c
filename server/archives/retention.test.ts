import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { tempDb } from "../testing/db";
import { applyRetention, archivesOverPolicy, deleteArchive, setRetentionPolicy } from "./retention";

const t = tempDb();
const root = mkdtempSync(join(tmpdir(), "td-retention-"));
const outside = mkdtempSync(join(tmpdir(), "td-retention-out-"));
const HOUR = 3_600_000;
const now = new Date(Date.UTC(2026, 11, 6, 12));

afterAll(async () => {
  await t.cleanup();
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

/** An archive directory of `bytes` bytes written `ageHours` ago, and its row. */
async function archive(session: string, i: number, bytes: number, ageHours: number, state = "complete"): Promise<{ id: number; dir: string }> {
  const dir = join(root, session, `snapshot-1-20261206-1000${String(i).padStart(2, "0")}-${i}`);
  mkdirSync(join(dir, "ust"), { recursive: true });
  writeFileSync(join(dir, "ust", "data"), Buffer.alloc(bytes));
  const r = await t.db.archive.create({
    data: { path: dir, root, session, kind: "snapshot", state, bytes: BigInt(bytes), createdAt: new Date(now.getTime() - ageHours * HOUR) },
    select: { id: true },
  });
  return { id: r.id, dir };
}

const free = { isBusy: () => false, roots: [root] };

beforeEach(async () => {
  await t.db.archive.deleteMany();
  await t.db.retentionPolicy.deleteMany();
});

describe("retention", () => {
  it("keeps exactly the newest N, within the byte budget, younger than the age limit", () => {
    const a = [0, 1, 2, 3, 4, 5].map((i) => ({ id: i, bytes: 100n, createdAt: new Date(now.getTime() - i * HOUR) }));
    expect(archivesOverPolicy(a, { keepLast: 4, maxBytes: null, maxAgeHours: null }, now)).toEqual([4, 5]);
    // 100 + 100 + 100 = 300 fits 350; the 4th would make 400.
    expect(archivesOverPolicy(a, { keepLast: null, maxBytes: 350n, maxAgeHours: null }, now)).toEqual([3, 4, 5]);
    // Older than 2 h: written 3, 4 and 5 hours ago.
    expect(archivesOverPolicy(a, { keepLast: null, maxBytes: null, maxAgeHours: 2 }, now)).toEqual([3, 4, 5]);
    expect(archivesOverPolicy(a, { keepLast: 5, maxBytes: 10_000n, maxAgeHours: 4 }, now)).toEqual([5]);
  });

  it("applies a session's policy: deletes directories and rows beyond it, audited, and nothing of other sessions", async () => {
    const s = [];
    for (let i = 0; i < 5; i++) s.push(await archive("s1", i, 1000, i));
    const other = await archive("s2", 9, 1000, 100);
    await setRetentionPolicy(t.db, { session: "s1", keepLast: 3, maxBytes: null, maxAgeHours: null });
    expect(await applyRetention(t.db, "s1", free, now)).toEqual([s[3]!.id, s[4]!.id]);
    expect(s.map((x) => existsSync(x.dir))).toEqual([true, true, true, false, false]);
    expect((await t.db.archive.findMany({ where: { session: "s1" }, select: { id: true } })).map((r) => r.id).sort()).toEqual(
      [s[0]!.id, s[1]!.id, s[2]!.id].sort(),
    );
    expect(existsSync(other.dir)).toBe(true);
    const audit = await t.db.auditEntry.findMany({ where: { action: "archives.retention" } });
    expect(audit).toHaveLength(2);
    expect(audit[0]!.message).toBe("Deleted by the retention policy of s1.");
    // No policy: nothing happens.
    expect(await applyRetention(t.db, "s2", free, now)).toEqual([]);
  });

  it("never deletes an archive being written, being reported, or outside the trace roots", async () => {
    const open = await archive("s3", 0, 10, 50, "open");
    const busy = await archive("s3", 1, 10, 50);
    const out = join(outside, "snapshot-1-20261206-100002-2");
    mkdirSync(join(out, "ust"), { recursive: true });
    writeFileSync(join(out, "ust", "data"), "precious");
    const linkPath = join(root, "s3", "snapshot-1-20261206-100002-2");
    symlinkSync(out, linkPath);
    const linked = await t.db.archive.create({
      data: { path: linkPath, root, session: "s3", kind: "snapshot", state: "complete", bytes: 8n, createdAt: new Date(now.getTime() - 50 * HOUR) },
      select: { id: true },
    });
    const old = await archive("s3", 3, 10, 50);
    await setRetentionPolicy(t.db, { session: "s3", keepLast: null, maxBytes: null, maxAgeHours: 1 });
    const guards = { isBusy: (id: number) => id === busy.id, roots: [root] };
    expect(await applyRetention(t.db, "s3", guards, now)).toEqual([old.id]);
    expect(existsSync(open.dir)).toBe(true);
    expect(existsSync(busy.dir)).toBe(true);
    expect(existsSync(join(out, "ust", "data"))).toBe(true);
    expect(await t.db.archive.count({ where: { id: { in: [open.id, busy.id, linked.id] } } })).toBe(3);

    await expect(deleteArchive(t.db, open.id, guards)).rejects.toMatchObject({ code: "BUSY", message: expect.stringContaining("still being written") });
    await expect(deleteArchive(t.db, busy.id, guards)).rejects.toMatchObject({ code: "BUSY", message: expect.stringContaining("report is being built") });
    await expect(deleteArchive(t.db, linked.id, guards)).rejects.toMatchObject({ code: "OUTSIDE_ROOTS" });
    await expect(deleteArchive(t.db, 999_999, guards)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("deletes one archive on request, and only the row of one that vanished", async () => {
    const a = await archive("s4", 0, 10, 0);
    expect(await deleteArchive(t.db, a.id, free)).toMatchObject({ id: a.id, path: a.dir });
    expect(existsSync(a.dir)).toBe(false);
    const gone = await archive("s4", 1, 10, 0, "missing");
    rmSync(gone.dir, { recursive: true });
    await deleteArchive(t.db, gone.id, free);
    expect(await t.db.archive.count({ where: { session: "s4" } })).toBe(0);
  });

  it("removes a policy when every limit is cleared", async () => {
    await setRetentionPolicy(t.db, { session: "s5", keepLast: 2, maxBytes: 1n << 40n, maxAgeHours: 24 });
    expect(await t.db.retentionPolicy.findUnique({ where: { session: "s5" } })).toMatchObject({ keepLast: 2, maxBytes: 1n << 40n, maxAgeHours: 24 });
    expect(await setRetentionPolicy(t.db, { session: "s5", keepLast: null, maxBytes: null, maxAgeHours: null })).toBeNull();
    expect(await t.db.retentionPolicy.count()).toBe(0);
  });
});
