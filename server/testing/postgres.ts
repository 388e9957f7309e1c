/**
 * A private, real PostgreSQL server for a test: its own cluster in a temp directory (initdb),
 * a free loopback port, trust authentication; stopped by its own pid and deleted afterwards.
 * Never the machine's own cluster. postgres refuses to run as root, so as root the cluster
 * belongs to, and the server runs as, the `postgres` account (Debian's package creates it).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export interface PgServer {
  url: string;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

/** The directory of `initdb` and `postgres`, from PATH or Debian's /usr/lib/postgresql/N/bin; null when absent. */
export function findPostgres(): string | null {
  for (const dir of (process.env.PATH ?? "").split(":")) if (dir && existsSync(join(dir, "initdb")) && existsSync(join(dir, "postgres"))) return dir;
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(base, v, "bin", "postgres")) && existsSync(join(base, v, "bin", "initdb"))) return join(base, v, "bin");
  return null;
}

/** As findPostgres, but a test that needs a real server fails here, saying what to install. */
export function requirePostgres(): string {
  const bin = findPostgres();
  if (bin === null) {
    throw new Error(
      "This test needs a real PostgreSQL server: no `initdb`/`postgres` on PATH nor under /usr/lib/postgresql/*/bin. " +
        "Install Debian's `postgresql` package (`npm test` does, as root).",
    );
  }
  return bin;
}

export function postgresVersion(bin: string): string {
  return execFileSync(join(bin, "postgres"), ["--version"], { encoding: "utf8" }).trim();
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => done(port));
    });
  });
}

/** Starts a cluster of its own with the binaries in `bin`; ready when it accepts a connection (bounded: 30 s). */
export async function startPostgres(bin: string): Promise<PgServer> {
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
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGINT"); // fast shutdown: clients are disconnected, not waited for
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
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
    async query<T>(sql: string, params: unknown[] = []) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query(sql, params)).rows as T[];
      } finally {
        await c.end();
      }
    },
    stop,
  };
}
