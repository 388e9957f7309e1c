import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import Database from "better-sqlite3";

export interface DbCheck {
  ok: boolean;
  detail: string;
}

/**
 * Whether the database answers and carries every migration in `migrationsDir`. Uses the driver
 * directly, not the Prisma client, so the CLI checks the database without loading the ORM.
 */
export async function checkDatabase(url: string, migrationsDir: string): Promise<DbCheck> {
  if (!url.startsWith("file:")) return { ok: false, detail: `unsupported database URL scheme '${url.split(":")[0]}'` };
  const file = url.slice("file:".length);
  if (!existsSync(file)) return { ok: false, detail: `${file} does not exist (run \`npm start\` or \`npm run migrate\`)` };
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const applied = new Set(
      (db.prepare(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`).all() as Array<{ migration_name: string }>).map((r) => r.migration_name),
    );
    const wanted = (await readdir(migrationsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    const pending = wanted.filter((m) => !applied.has(m));
    const users = (db.prepare(`SELECT COUNT(*) AS n FROM "User"`).get() as { n: number }).n;
    if (pending.length) return { ok: false, detail: `${file}: ${pending.length} migration(s) pending (${pending.join(", ")})` };
    return { ok: true, detail: `${file}: ${applied.size} migration(s) applied, ${users} user(s)` };
  } catch (e) {
    return { ok: false, detail: `${file}: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    db?.close();
  }
}
