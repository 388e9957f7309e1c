import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { isPostgresUrl } from "./config";

export interface DbCheck {
  ok: boolean;
  detail: string;
}

const APPLIED = `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
const USERS = `SELECT COUNT(*) AS n FROM "User"`;

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for messages. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}

async function verdict(where: string, applied: Set<string>, users: number, migrationsDir: string): Promise<DbCheck> {
  const wanted = (await readdir(migrationsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  const pending = wanted.filter((m) => !applied.has(m));
  if (pending.length) return { ok: false, detail: `${where}: ${pending.length} migration(s) pending (${pending.join(", ")})` };
  return { ok: true, detail: `${where}: ${applied.size} migration(s) applied, ${users} user(s)` };
}

/**
 * Whether the database answers and carries every migration of its kind
 * (`<prismaDir>/migrations` for SQLite, `<prismaDir>/migrations-postgres` for PostgreSQL).
 * Uses the drivers directly, not the Prisma client, so the CLI checks the database without
 * loading the ORM.
 */
export async function checkDatabase(url: string, prismaDir: string): Promise<DbCheck> {
  if (isPostgresUrl(url)) {
    const where = redactUrl(url);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      const applied = new Set((await client.query<{ migration_name: string }>(APPLIED)).rows.map((r) => r.migration_name));
      const users = Number((await client.query<{ n: string }>(USERS)).rows[0]?.n ?? 0);
      return await verdict(where, applied, users, join(prismaDir, "migrations-postgres"));
    } catch (e) {
      return { ok: false, detail: `${where}: ${e instanceof Error ? e.message : String(e)}` };
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (!url.startsWith("file:")) return { ok: false, detail: `unsupported database URL scheme '${url.split(":")[0]}'` };
  const file = url.slice("file:".length);
  if (!existsSync(file)) return { ok: false, detail: `${file} does not exist (run \`npm start\` or \`npm run migrate\`)` };
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const applied = new Set((db.prepare(APPLIED).all() as Array<{ migration_name: string }>).map((r) => r.migration_name));
    const users = (db.prepare(USERS).get() as { n: number }).n;
    return await verdict(file, applied, users, join(prismaDir, "migrations"));
  } catch (e) {
    return { ok: false, detail: `${file}: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    db?.close();
  }
}
