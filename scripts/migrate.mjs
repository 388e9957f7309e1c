#!/usr/bin/env node
// Applies the migrations that are not yet applied, recording each in Prisma's own
// `_prisma_migrations` table (same columns and checksum), so that the real `prisma migrate
// deploy` can take over wherever its schema engine can be installed. The engine cannot be
// downloaded on air-gapped hosts, which is where LTTng runs. SQLite: prisma/migrations/;
// PostgreSQL (DATABASE_URL=postgres://…): prisma/migrations-postgres/, same names.
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Database from "better-sqlite3";

const root = fileURLToPath(new URL("..", import.meta.url));

export const isPostgresUrl = (url) => /^postgres(ql)?:\/\//.test(url);

/** `file:/abs/path.db` or `file:./rel.db` → filesystem path; null for non-SQLite URLs. */
export function sqlitePath(url) {
  if (!url.startsWith("file:")) return null;
  return resolve(url.slice("file:".length));
}

export function listMigrations(dir = join(root, "prisma/migrations")) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/**
 * Migrates the SQLite database at `file`. Returns the names applied now. Refuses to go on when
 * an applied migration's file changed since, as Prisma does: a silent divergence would be worse.
 */
export function migrateSqlite(file, migrations = listMigrations()) {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL,
      "checksum" TEXT NOT NULL,
      "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL,
      "logs" TEXT,
      "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
    )`);
    const done = new Map(
      db
        .prepare(`SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`)
        .all()
        .map((r) => [r.migration_name, r]),
    );
    const applied = [];
    for (const m of migrations) {
      const prev = done.get(m.name);
      if (prev) {
        checkApplied(m, prev);
        continue;
      }
      const id = randomUUID();
      db.prepare(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES (?, ?, ?, ?)`).run(id, m.checksum, m.name, new Date().toISOString());
      // One transaction per migration: a failing step leaves the schema as it was.
      db.transaction(() => {
        db.exec(m.sql);
        db.prepare(`UPDATE "_prisma_migrations" SET finished_at = ?, applied_steps_count = 1 WHERE id = ?`).run(new Date().toISOString(), id);
      })();
      applied.push(m.name);
    }
    return applied;
  } finally {
    db.close();
  }
}

function checkApplied(m, prev) {
  if (prev.finished_at === null) throw new Error(`Migration ${m.name} failed earlier and was not resolved; fix the database, then delete its row in _prisma_migrations.`);
  if (prev.checksum !== m.checksum) throw new Error(`Migration ${m.name} was modified after it was applied (checksum differs).`);
}

/** Migrates a PostgreSQL database, each migration in its own transaction (DDL is transactional there). */
export async function migratePostgres(url, migrations = listMigrations(join(root, "prisma/migrations-postgres"))) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const { rows } = await client.query(`SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`);
    const done = new Map(rows.map((r) => [r.migration_name, r]));
    const applied = [];
    for (const m of migrations) {
      const prev = done.get(m.name);
      if (prev) {
        checkApplied(m, prev);
        continue;
      }
      const id = randomUUID();
      await client.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`, [id, m.checksum, m.name]);
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw err;
      }
      applied.push(m.name);
    }
    return applied;
  } finally {
    await client.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dataDir = resolve(process.env.TRACEDECK_DATA_DIR ?? "data");
  const url = process.env.DATABASE_URL ?? `file:${join(dataDir, "tracedeck.db")}`;
  const file = sqlitePath(url);
  if (file === null && !isPostgresUrl(url)) {
    console.error(`migrate: unsupported DATABASE_URL scheme '${url.split(":")[0]}' (file: or postgres://)`);
    process.exit(1);
  }
  try {
    const applied = file !== null ? migrateSqlite(file) : await migratePostgres(url);
    console.log(applied.length ? `migrate: applied ${applied.join(", ")}` : "migrate: database up to date");
  } catch (err) {
    console.error(`migrate: ${err.message}`);
    process.exit(1);
  }
}
