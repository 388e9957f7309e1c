import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDb } from "../testing/db";
import { archiveDir, archiveFile, archiveFiles, archiveGroups, getArchiveRow, listIndexedArchives } from "./store";

const t = tempDb();
const root = mkdtempSync(join(tmpdir(), "td-store-root-"));
const outside = mkdtempSync(join(tmpdir(), "td-store-out-"));
const snap = join(root, "s", "snapshot-1-20261206-101010-0");

beforeAll(async () => {
  mkdirSync(join(snap, "ust", "uid", "0", "64-bit"), { recursive: true });
  writeFileSync(join(snap, "ust", "uid", "0", "64-bit", "metadata"), "m");
  writeFileSync(join(outside, "secret"), "s");
  symlinkSync(join(outside, "secret"), join(snap, "ust", "leak"));
  mkdirSync(join(outside, "elsewhere-20261206-101010-1", "ust"), { recursive: true });
  symlinkSync(join(outside, "elsewhere-20261206-101010-1"), join(root, "s", "linked-20261206-101010-1"));
  // 3 sessions × 5 archives, one day apart, for paging, grouping and filters.
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < 5; i++) {
      await t.db.archive.create({
        data: {
          path: `/x/s${s}/${i}`,
          root: "/x",
          session: `s${s}`,
          host: s === 2 ? "other" : "vm",
          kind: i % 2 ? "rotation" : "snapshot",
          cause: i % 2 ? "rotation-timer" : "trigger:slow",
          state: "complete",
          bytes: BigInt(1000 * (i + 1)),
          events: BigInt(i),
          createdAt: new Date(Date.UTC(2026, 11, 1 + i, s)),
        },
      });
    }
  }
});

afterAll(async () => {
  await t.cleanup();
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe("archive paths", () => {
  it("serves an archive under a root, and refuses links out of the roots, vanished directories and unknown ids with a sentence", async () => {
    expect(await archiveDir({ id: 1, path: snap }, [root])).toBe(snap);
    await expect(archiveDir({ id: 2, path: join(root, "s", "linked-20261206-101010-1") }, [root])).rejects.toMatchObject({
      code: "OUTSIDE_ROOTS",
      message: expect.stringContaining("outside the trace directories"),
    });
    await expect(archiveDir({ id: 3, path: join(root, "gone") }, [root])).rejects.toMatchObject({
      code: "GONE",
      message: expect.stringContaining("no longer exists"),
    });
    // The root itself is not an archive.
    await expect(archiveDir({ id: 4, path: root }, [root])).rejects.toMatchObject({ code: "OUTSIDE_ROOTS" });
    await expect(getArchiveRow(t.db, 999_999)).rejects.toMatchObject({ code: "NOT_FOUND", message: "No archive with id 999999." });
  });

  it("serves one file inside the archive and refuses '..', absolute paths and links that leave it", async () => {
    expect(await archiveFile(snap, "ust/uid/0/64-bit/metadata")).toEqual({ path: join(snap, "ust/uid/0/64-bit/metadata"), size: 1 });
    for (const bad of ["../s/x", "ust/../../../etc/passwd", "/etc/passwd", "", "a\0b"]) {
      await expect(archiveFile(snap, bad), bad).rejects.toMatchObject({ code: "INVALID_PATH", message: expect.stringMatching(/Invalid file name/) });
    }
    await expect(archiveFile(snap, "ust/leak")).rejects.toMatchObject({ code: "OUTSIDE_ROOTS", message: "'ust/leak' leads outside the archive." });
    await expect(archiveFile(snap, "ust/nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(archiveFile(snap, "ust")).rejects.toMatchObject({ code: "NOT_FOUND", message: "'ust' is not a file." });
    // The file list never shows the link.
    expect((await archiveFiles(snap)).files.map((f) => f.path)).toEqual(["ust/uid/0/64-bit/metadata"]);
  });
});

describe("archive listing", () => {
  it("groups by session, newest first, paged", async () => {
    const p0 = await archiveGroups(t.db, { page: 0, pageSize: 2 });
    expect(p0.totalGroups).toBe(3);
    // s2's newest archive is the latest (same day, later hour).
    expect(p0.groups.map((g) => [g.session, g.count, g.bytes])).toEqual([
      ["s2", 5, 15000n],
      ["s1", 5, 15000n],
    ]);
    expect((await archiveGroups(t.db, { page: 1, pageSize: 2 })).groups.map((g) => g.session)).toEqual(["s0"]);
    expect((await archiveGroups(t.db, { host: "other" })).groups.map((g) => g.session)).toEqual(["s2"]);
  });

  it("filters by kind, cause family and time range, sorts and pages", async () => {
    const r = await listIndexedArchives(t.db, { session: "s0", kind: "rotation", sort: "bytes", dir: "asc" });
    expect(r.archives.map((a) => a.bytes)).toEqual([2000n, 4000n]);
    expect((await listIndexedArchives(t.db, { session: "s1", cause: "trigger" })).total).toBe(3);
    expect((await listIndexedArchives(t.db, { session: "s1", from: new Date(Date.UTC(2026, 11, 2)), to: new Date(Date.UTC(2026, 11, 4)) })).total).toBe(2);
    const page1 = await listIndexedArchives(t.db, { session: "s1", page: 1, pageSize: 2 });
    expect(page1).toMatchObject({ total: 5, page: 1 });
    expect(page1.archives.map((a) => a.events)).toEqual([2n, 1n]);
    await expect(listIndexedArchives(t.db, { pageSize: 1000 })).rejects.toThrow();
  });
});
