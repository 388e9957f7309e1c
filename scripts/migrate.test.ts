import { chmodSync, existsSync, mkdtempSync, mkdirSync, statSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error: plain ESM script without type declarations
import { listMigrations, migrateSqlite } from "./migrate.mjs";

type Migration = { name: string; sql: string; checksum: string };
const list = listMigrations as (dir?: string) => Migration[];
const migrate = migrateSqlite as (file: string, migrations?: Migration[]) => string[];

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), "td-migrate-"));
  dirs.push(d);
  return d;
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("SQL migrator", () => {
  it("applies the project's migrations once and records them like prisma migrate deploy", () => {
    const file = join(tmp(), "a.db");
    const applied = migrate(file);
    expect(applied).toEqual(list().map((m) => m.name));
    expect(migrate(file)).toEqual([]);
    const db = new Database(file);
    const rows = db.prepare(`SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations`).all() as Array<
      Record<string, unknown>
    >;
    expect(rows.map((r) => r.migration_name)).toEqual(applied);
    for (const r of rows) {
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(r.finished_at).not.toBeNull();
      expect(r.applied_steps_count).toBe(1);
    }
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type='table'`).all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(["User", "LoginSession", "SetupToken", "AuditEntry"]));
    db.close();
  });

  it("refuses a migration whose file changed after it was applied", () => {
    const d = tmp();
    mkdirSync(join(d, "m/001_a"), { recursive: true });
    writeFileSync(join(d, "m/001_a/migration.sql"), "CREATE TABLE t (x INTEGER);");
    const file = join(d, "b.db");
    expect(migrate(file, list(join(d, "m")))).toEqual(["001_a"]);
    writeFileSync(join(d, "m/001_a/migration.sql"), "CREATE TABLE t (x INTEGER, y TEXT);");
    expect(() => migrate(file, list(join(d, "m")))).toThrow(/modified after it was applied/);
  });

  it("rolls back a failing migration and leaves it marked unfinished", () => {
    const d = tmp();
    mkdirSync(join(d, "m/001_ok"), { recursive: true });
    mkdirSync(join(d, "m/002_bad"), { recursive: true });
    writeFileSync(join(d, "m/001_ok/migration.sql"), "CREATE TABLE ok (x INTEGER);");
    writeFileSync(join(d, "m/002_bad/migration.sql"), "CREATE TABLE half (x INTEGER); CREATE TABLE ok (y INTEGER);");
    const file = join(d, "c.db");
    expect(() => migrate(file, list(join(d, "m")))).toThrow();
    const db = new Database(file);
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type='table'`).all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).toContain("ok");
    expect(tables).not.toContain("half");
    db.close();
    expect(() => migrate(file, list(join(d, "m")))).toThrow(/failed earlier/);
  });
});

describe("database file mode (issue #9)", () => {
  it("creates the database readable by its owner only, and tightens an existing one", () => {
    const dir = mkdtempSync(join(tmpdir(), "td-mode-"));
    try {
      const fresh = join(dir, "fresh.db");
      migrateSqlite(fresh);
      const loose = join(dir, "loose.db");
      writeFileSync(loose, "");
      chmodSync(loose, 0o644);
      migrateSqlite(loose);
      for (const f of [fresh, `${fresh}-wal`, loose]) {
        if (existsSync(f)) expect([f, statSync(f).mode & 0o777]).toEqual([f, 0o600]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
