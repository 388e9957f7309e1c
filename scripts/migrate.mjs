#!/usr/bin/env node
// Applies the migrations that are not yet applied, recording each in Prisma's own
// `_prisma_migrations` table (same columns and checksum), so that the real `prisma migrate
// deploy` can take over wherever its schema engine can be installed. The engine cannot be
// downloaded on air-gapped hosts, which is where LTTng runs. SQLite: prisma/migrations/;
// PostgreSQL (DATABASE_URL=postgres://…): prisma/migrations-postgres/, same names.
import { createHash, randomUUID } from "node:crypto";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync } from "node:fs";
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
 * The migrations not applied yet, in order. Throws when an applied one failed or its file
 * changed since, as Prisma does: a silent divergence would be worse.
 * `applied`: rows of `_prisma_migrations` (migration_name, checksum, finished_at).
 */
function pendingMigrations(migrations, applied) {
  const done = new Map(applied.map((r) => [r.migration_name, r]));
  return migrations.filter((m) => {
    const prev = done.get(m.name);
    if (!prev) return true;
    if (prev.finished_at === null)
      throw new Error(`Migration ${m.name} failed earlier and was not resolved; fix the database, then delete its row in _prisma_migrations.`);
    if (prev.checksum !== m.checksum) throw new Error(`Migration ${m.name} was modified after it was applied (checksum differs).`);
    return false;
  });
}

const APPLIED_SQL = `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`;

/** Migrates the SQLite database at `file`. Returns the names applied now. */
export function migrateSqlite(file, migrations = listMigrations()) {
  mkdirSync(dirname(file), { recursive: true });
  // The database holds password hashes and login tokens: owner only, set before SQLite
  // creates its -wal and -shm files (which copy the database file's mode).
  if (!existsSync(file)) closeSync(openSync(file, "a", 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
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
    const applied = [];
    for (const m of pendingMigrations(migrations, db.prepare(APPLIED_SQL).all())) {
      const id = randomUUID();
      db.prepare(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES (?, ?, ?, ?)`).run(
        id,
        m.checksum,
        m.name,
        new Date().toISOString(),
      );
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
    const { rows } = await client.query(APPLIED_SQL);
    const applied = [];
    for (const m of pendingMigrations(migrations, rows)) {
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

/** The database `npm start` uses: DATABASE_URL, else SQLite under TRACEDECK_DATA_DIR (as server/config.ts). */
export function configuredDatabaseUrl(env = process.env) {
  return env.DATABASE_URL ?? `file:${join(resolve(env.TRACEDECK_DATA_DIR ?? "data"), "tracedeck.db")}`;
}

/** Migrates the database at `url` (file: or postgres://); returns the names applied now. */
export async function migrateUrl(url) {
  const file = sqlitePath(url);
  if (file !== null) return migrateSqlite(file);
  if (isPostgresUrl(url)) return migratePostgres(url);
  throw new Error(`unsupported DATABASE_URL scheme '${url.split(":")[0]}' (file: or postgres://)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    const applied = await migrateUrl(configuredDatabaseUrl());
    console.log(applied.length ? `migrate: applied ${applied.join(", ")}` : "migrate: database up to date");
  } catch (err) {
    console.error(`migrate: ${err.message}`);
    process.exit(1);
  }
}
