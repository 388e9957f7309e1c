#!/usr/bin/env node
// Generates the Prisma clients: server/generated/prisma (SQLite, the default) and
// server/generated/prisma-pg (PostgreSQL, when DATABASE_URL is a postgres URL). Prisma ties a
// generated client to one provider, so the PostgreSQL schema is derived from prisma/schema.prisma
// here rather than kept as a second hand-edited copy. Skips when the schema has not changed.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const schemaPath = join(root, "prisma/schema.prisma");
const schema = readFileSync(schemaPath, "utf8");
const stamp = join(root, "server/generated/.schema-hash");
const hash = createHash("sha256")
  .update(schema)
  .update(readFileSync(fileURLToPath(import.meta.url)))
  .digest("hex");
if (!process.argv.includes("--force") && existsSync(stamp) && readFileSync(stamp, "utf8") === hash) {
  console.log("prisma: clients up to date");
  process.exit(0);
}

const pgSchema = schema
  .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
  .replace(/output\s*=\s*"\.\.\/server\/generated\/prisma"/, 'output   = "./prisma-pg"');
if (pgSchema === schema) throw new Error("prisma-generate: could not derive the PostgreSQL schema");
mkdirSync(join(root, "server/generated"), { recursive: true });
const pgSchemaPath = join(root, "server/generated/schema.postgres.prisma");
writeFileSync(pgSchemaPath, `// Generated from prisma/schema.prisma by scripts/prisma-generate.mjs. Do not edit.\n${pgSchema}`);

// The CLI only checks that a schema engine exists; generating a client does not run it.
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/usr/bin/false", CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" };
for (const s of [schemaPath, pgSchemaPath]) {
  const r = spawnSync(join(root, "node_modules/.bin/prisma"), ["generate", "--schema", s], { cwd: root, env, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
writeFileSync(stamp, hash);
