import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain ESM script without type declarations
import { migratePostgres } from "../scripts/migrate.mjs";
import { checkDatabase } from "./db-check";
import { openDb, type Db } from "./db";
import { tempDb } from "./testing/db";

const PRISMA_DIR = resolve(__dirname, "../prisma");

/** Exercises every model through the generated client: the migrations must serve the schema. */
async function exerciseAllModels(db: Db): Promise<void> {
  const u = await db.user.create({ data: { username: `u${Date.now()}`, passwordHash: "h", role: "operator" } });
  expect(u.role).toBe("operator");
  expect(u.createdAt).toBeInstanceOf(Date);
  await db.loginSession.create({ data: { id: `s${u.id}`, userId: u.id, expiresAt: new Date(Date.now() + 1000) } });
  await db.setupToken.create({ data: { tokenHash: `t${u.id}`, expiresAt: new Date() } });
  await db.auditEntry.create({ data: { userId: u.id, action: "sessions.create", input: "{}", ok: false, message: "Error: x" } });
  const withRel = await db.user.findUnique({ where: { id: u.id }, include: { sessions: true, audit: true } });
  expect(withRel?.sessions).toHaveLength(1);
  expect(withRel?.audit[0]).toMatchObject({ action: "sessions.create", ok: false });
  // Foreign-key actions from the migration: sessions cascade, audit entries survive their user.
  await db.user.delete({ where: { id: u.id } });
  expect(await db.loginSession.count({ where: { userId: u.id } })).toBe(0);
  const orphan = await db.auditEntry.findFirst({ where: { action: "sessions.create" } });
  expect(orphan?.userId).toBeNull();
  await expect(db.user.create({ data: { username: "dup", passwordHash: "h" } }).then(() => db.user.create({ data: { username: "dup", passwordHash: "h" } }))).rejects.toThrow();
}

describe("database", () => {
  it("SQLite: the migrated schema serves every model", async () => {
    const t = tempDb();
    try {
      await exerciseAllModels(t.db);
      expect(await checkDatabase(`file:${t.file}`, PRISMA_DIR)).toMatchObject({ ok: true, detail: expect.stringMatching(/migration\(s\) applied/) as unknown as string });
    } finally {
      await t.cleanup();
    }
  });

  describe("PostgreSQL (PGlite over the wire protocol)", () => {
    let pg: PGlite;
    let server: PGLiteSocketServer;
    let url: string;
    beforeAll(async () => {
      pg = await PGlite.create();
      const port = 45432 + (process.pid % 1000);
      // The pg adapter pools connections; PGlite serialises their queries.
      server = new PGLiteSocketServer({ db: pg, port, host: "127.0.0.1", maxConnections: 8 });
      await server.start();
      url = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
    });
    afterAll(async () => {
      await server?.stop();
      await pg?.close();
    });

    it("migrates with _prisma_migrations records and serves every model through the pg adapter", async () => {
      const applied = (await (migratePostgres as (u: string) => Promise<string[]>)(url));
      expect(applied.length).toBeGreaterThan(0);
      expect(await (migratePostgres as (u: string) => Promise<string[]>)(url)).toEqual([]);
      const rows = await pg.query<{ migration_name: string; checksum: string }>(`SELECT migration_name, checksum FROM "_prisma_migrations"`);
      expect(rows.rows.map((r) => r.migration_name)).toEqual(applied);
      // `tracedeck doctor`'s check on the same database, password kept out of its message.
      const check = await checkDatabase(url, PRISMA_DIR);
      expect(check).toMatchObject({ ok: true });
      expect(check.detail).toContain("postgres:***@");
      const db = openDb(url);
      try {
        await exerciseAllModels(db);
      } finally {
        await db.$disconnect();
      }
    });
  });
});
