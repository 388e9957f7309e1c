#!/usr/bin/env node
// Applies pending migrations to the configured database, then runs `next start` bound to
// TRACEDECK_HOST:TRACEDECK_PORT (127.0.0.1:3000). Used by `npm start` and by Playwright.
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isPostgresUrl, migratePostgres, migrateSqlite, sqlitePath } from "./migrate.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const dataDir = resolve(process.env.TRACEDECK_DATA_DIR ?? "data");
const url = process.env.DATABASE_URL ?? `file:${join(dataDir, "tracedeck.db")}`;
const file = sqlitePath(url);
const applied = file !== null ? migrateSqlite(file) : isPostgresUrl(url) ? await migratePostgres(url) : [];
if (applied.length) console.log(`migrate: applied ${applied.join(", ")}`);

const host = process.env.TRACEDECK_HOST ?? "127.0.0.1";
const port = process.env.TRACEDECK_PORT ?? "3000";
// Same process group as this script (no `detached`): whoever stops the group — Ctrl-C in a
// terminal, Playwright's SIGKILL of its web server — stops next-server with it.
const child = spawn(join(root, "node_modules/.bin/next"), ["start", "-H", host, "-p", port], {
  cwd: root,
  env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  stdio: "inherit",
});
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  child.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
process.on("exit", stop);
child.on("exit", (code, signal) => process.exit(stopping ? 0 : (code ?? (signal ? 1 : 0))));
