import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain ESM script without type declarations
import { migratePostgres } from "../scripts/migrate.mjs";
import { checkDatabase } from "./db-check";
import { openDb, type Db } from "./db";
import { tempDb } from "./testing/db";
import { findPostgres, freePort, postgresVersion, startPostgres, type PgServer } from "./testing/postgres";
import { NS_PER_SEC, SecondBuckets, queryRange, replaceBuckets } from "./spikes/history";
import { rollUp } from "./spikes/retention";
import { epochNs } from "./time";

const PRISMA_DIR = resolve(__dirname, "../prisma");
const POSTGRES_BIN = findPostgres();

/** The latency history's raw SQL (range read, minutes built for legacy seconds) on this database. */
async function exerciseLatencyHistory(db: Db): Promise<void> {
  const src = await db.latencySource.create({ data: { name: `lat${Date.now()}`, definition: "{}" } });
  const M0 = 1_779_999_960; // a whole minute
  const sb = new SecondBuckets();
  for (let s = 0; s < 120; s++) sb.add(M0 + s, 1000 + s);
  await replaceBuckets(db, src.id, M0, M0 + 119, sb.toStored());
  const q = async (width: number) =>
    (await queryRange(db, { sourceIds: [src.id], fromNs: epochNs(BigInt(M0) * NS_PER_SEC), toNs: epochNs(BigInt(M0 + 119) * NS_PER_SEC), width }))[0]!;
  const fine = await q(120);
  expect([fine.bucketNs, fine.points.map((p) => p.count)]).toEqual([NS_PER_SEC, new Array(120).fill(1)]);
  const coarse = await q(2);
  expect([coarse.bucketNs, coarse.points.map((p) => [p.count, p.min, p.max])]).toEqual([
    60n * NS_PER_SEC,
    [
      [60, 1000, 1059],
      [60, 1060, 1119],
    ],
  ]);
  // Seconds stored without their minute (a history from before minutes): built, then the old seconds go.
  await db.latencyBucket.deleteMany({ where: { sourceId: src.id, resolution: 60 } });
  expect(await rollUp(db, M0 + 60)).toEqual({ seconds: 60, minutes: 2 });
  expect(await q(2)).toEqual(coarse);
}

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
  await expect(
    db.user.create({ data: { username: "dup", passwordHash: "h" } }).then(() => db.user.create({ data: { username: "dup", passwordHash: "h" } })),
  ).rejects.toThrow();
}

interface PgServerKind {
  label: string;
  start(): Promise<PgServer>;
}

const pgliteServer: PgServerKind = {
  label: POSTGRES_BIN_LABEL("PGlite over the wire protocol"),
  async start() {
    const db = await PGlite.create();
    const port = await freePort();
    // The pg adapter pools connections; PGlite serialises their queries.
    const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections: 8 });
    await server.start();
    return {
      url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
      query: async <T>(sql: string) => (await db.query<T>(sql)).rows,
      stop: async () => {
        await server.stop();
        await db.close();
      },
    };
  },
};

function POSTGRES_BIN_LABEL(what: string): string {
  return POSTGRES_BIN === null ? `${what} (no postgres binary on this machine)` : what;
}

function realPostgresServer(bin: string): PgServerKind {
  return { label: `a real server (${postgresVersion(bin)})`, start: () => startPostgres(bin) };
}

describe("database", () => {
  it("SQLite: the migrated schema serves every model (and the latency history's raw SQL)", async () => {
    const t = tempDb();
    try {
      await exerciseAllModels(t.db);
      await exerciseLatencyHistory(t.db);
      expect(await checkDatabase(`file:${t.file}`, PRISMA_DIR)).toMatchObject({
        ok: true,
        detail: expect.stringMatching(/migration\(s\) applied/) as unknown as string,
      });
    } finally {
      await t.cleanup();
    }
  });

  // PGlite always; a real PostgreSQL server too when its binaries are on the machine.
  for (const server of [pgliteServer, ...(POSTGRES_BIN === null ? [] : [realPostgresServer(POSTGRES_BIN)])]) {
    describe(`PostgreSQL on ${server.label}`, () => {
      let pgs: PgServer;
      beforeAll(async () => {
        pgs = await server.start();
      }, 60_000);
      afterAll(async () => {
        await pgs?.stop();
      });

      it(`migrates with _prisma_migrations records and serves every model through the pg adapter (${server.label})`, async () => {
        const url = pgs.url;
        const applied = await (migratePostgres as (u: string) => Promise<string[]>)(url);
        expect(applied.length).toBeGreaterThan(0);
        expect(await (migratePostgres as (u: string) => Promise<string[]>)(url)).toEqual([]);
        const rows = await pgs.query<{ migration_name: string; checksum: string }>(
          `SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
        );
        expect(rows.map((r) => r.migration_name)).toEqual(applied);
        // The server is the one named.
        const [row] = await pgs.query<{ version: string }>("SELECT version()");
        expect(row?.version).toMatch(/^PostgreSQL /);
        // `tracedeck doctor`'s check on the same database, password kept out of its message.
        const check = await checkDatabase(url, PRISMA_DIR);
        expect(check).toMatchObject({ ok: true });
        expect(check.detail).toContain("postgres:***@");
        const db = openDb(url);
        try {
          await exerciseAllModels(db);
          await exerciseLatencyHistory(db);
        } finally {
          await db.$disconnect();
        }
      });
    });
  }
});
