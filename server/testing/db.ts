import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error: plain ESM script without type declarations
import { migrateSqlite } from "../../scripts/migrate.mjs";
import { openDb, type Db } from "../db";

/** A real, migrated SQLite database in a temporary directory, for one test file. */
export function tempDb(): { db: Db; file: string; cleanup: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), "tracedeck-db-"));
  const file = join(dir, "test.db");
  (migrateSqlite as (f: string) => string[])(file);
  const db = openDb(`file:${file}`);
  return {
    db,
    file,
    cleanup: async () => {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
