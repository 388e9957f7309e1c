import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain ESM script without type declarations
import { migratePostgres } from "../scripts/migrate.mjs";
import { checkDatabase } from "./db-check";
import { openDb, type Db } from "./db";
import { tempDb } from "./testing/db";
import { NS_PER_SEC, SecondBuckets, queryRange, replaceBuckets } from "./spikes/history";
import { rollUp } from "./spikes/retention";
import { epochNs } from "./time";

const PRISMA_DIR = resolve(__dirname, "../prisma");
const POSTGRES_BIN = findPostgres();

/** Exercises every model through the generated client: the migrations must serve the schema. */
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

interface PgServer {
  url: string;
  query<T>(sql: string): Promise<T[]>;
  stop(): Promise<void>;
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

/** The directory of `initdb` and `postgres`, from PATH or Debian's /usr/lib/postgresql/N/bin; null when absent. */
function findPostgres(): string | null {
  for (const dir of (process.env.PATH ?? "").split(":")) if (dir && existsSync(join(dir, "initdb")) && existsSync(join(dir, "postgres"))) return dir;
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(base, v, "bin", "postgres")) && existsSync(join(base, v, "bin", "initdb"))) return join(base, v, "bin");
  return null;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => done(port));
    });
  });
}

/**
 * A private PostgreSQL cluster in a temp directory, on a free loopback port, trust auth,
 * stopped (by its own pid) and deleted afterwards. postgres refuses to run as root: as root
 * it runs as the `postgres` account.
 */
function realPostgresServer(bin: string): PgServerKind {
  const version = execFileSync(join(bin, "postgres"), ["--version"], { encoding: "utf8" }).trim();
  return {
    label: `a real server (${version})`,
    async start() {
      const dir = mkdtempSync(join(tmpdir(), "td-postgres-"));
      let owner: { uid: number; gid: number } | undefined;
      if (process.getuid?.() === 0) {
        owner = {
          uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" })),
          gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" })),
        };
        chownSync(dir, owner.uid, owner.gid);
      }
      const data = join(dir, "data");
      execFileSync(join(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"], { ...owner, cwd: dir, stdio: "pipe" });
      const port = await freePort();
      const child: ChildProcess = spawn(join(bin, "postgres"), ["-D", data, "-k", dir, "-h", "127.0.0.1", "-p", String(port), "-c", "fsync=off"], {
        ...owner,
        cwd: dir,
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      const url = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
      const stop = async () => {
        if (child.exitCode === null) {
          const exited = new Promise((r) => child.once("exit", r));
          child.kill("SIGINT"); // fast shutdown
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      };
      // Ready when it accepts a connection (bounded: 30 s).
      for (let i = 0; ; i++) {
        const c = new pg.Client({ connectionString: url });
        try {
          await c.connect();
          await c.end();
          break;
        } catch (e) {
          await c.end().catch(() => undefined);
          if (child.exitCode !== null || i >= 300) {
            await stop();
            throw new Error(`postgres did not start: ${String(e)}\n${stderr}`);
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      return {
        url,
        async query<T>(sql: string) {
          const c = new pg.Client({ connectionString: url });
          await c.connect();
          try {
            return (await c.query(sql)).rows as T[];
          } finally {
            await c.end();
          }
        },
        stop,
      };
    },
  };
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
