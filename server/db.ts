import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/prisma/client";
import { config } from "./config";

export type Db = PrismaClient;

function createDb(url: string): PrismaClient {
  if (!url.startsWith("file:")) {
    // The generated client is built for SQLite; PostgreSQL needs its own generated client.
    throw new Error(`Unsupported DATABASE_URL scheme '${url.split(":")[0]}': this build supports SQLite (file:...) URLs.`);
  }
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
}

// Next's dev server re-evaluates modules on every change; keep one client per process.
const g = globalThis as unknown as { tracedeckDb?: PrismaClient };

/** The process-wide database client. */
export function db(): PrismaClient {
  g.tracedeckDb ??= createDb(config().databaseUrl);
  return g.tracedeckDb;
}

/** A client on another database (tests use their own SQLite file). */
export function openDb(url: string): PrismaClient {
  return createDb(url);
}
