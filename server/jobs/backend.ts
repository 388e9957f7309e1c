/**
 * Where background work (archive reports) runs, chosen by the database: with SQLite the web
 * server builds reports in its own worker pool (one machine by construction: SQLite is a
 * file); with PostgreSQL they become jobs in a queue in that database, taken by `tracedeck
 * worker` processes on any machine that reaches it and the archive storage.
 */
import { isPostgresUrl } from "../config";

export type JobBackend = "in-process" | "postgres";

export function jobBackendFor(databaseUrl: string): JobBackend {
  if (databaseUrl.startsWith("file:")) return "in-process";
  if (isPostgresUrl(databaseUrl)) return "postgres";
  throw new Error(`Unsupported DATABASE_URL scheme '${databaseUrl.split(":")[0]}': use file:… (SQLite) or postgres://…`);
}
