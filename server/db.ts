import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { PrismaClient as PgPrismaClient } from "./generated/prisma-pg/client";
import { config, isPostgresUrl } from "./config";

/**
 * The database client type. Both generated clients come from one schema
 * (scripts/prisma-generate.mjs), so they expose the same models and queries.
 */
export type Db = PrismaClient;

function createDb(url: string): Db {
  if (url.startsWith("file:")) return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
  if (isPostgresUrl(url)) return new PgPrismaClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
  throw new Error(`Unsupported DATABASE_URL scheme '${url.split(":")[0]}': use file:… (SQLite) or postgres://…`);
}

// Next's dev server re-evaluates modules on every change; keep one client per process.
const g = globalThis as unknown as { tracedeckDb?: Db };

/** The process-wide database client. */
export function db(): Db {
  g.tracedeckDb ??= createDb(config().databaseUrl);
  return g.tracedeckDb;
}

/** A client on another database (tests use their own database). */
export function openDb(url: string): Db {
  return createDb(url);
}
