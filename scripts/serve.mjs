#!/usr/bin/env node
// Applies pending migrations to the configured database, then runs `next start` bound to
// TRACEDECK_HOST:TRACEDECK_PORT (127.0.0.1:3000). Used by `npm start` and by Playwright.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { superviseChild } from "./child.mjs";
import { configuredDatabaseUrl, migrateUrl } from "./migrate.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const applied = await migrateUrl(configuredDatabaseUrl());
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
superviseChild(child);
