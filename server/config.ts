import { join, resolve } from "node:path";
import { z } from "zod";
import { findRepoRoot } from "./repo-root";

/**
 * The server's configuration, from the environment, checked once. Everything that names a
 * place on disk derives from `dataDir` so that one variable moves a whole installation.
 */
const EnvSchema = z.object({
  TRACEDECK_DATA_DIR: z.string().min(1).default("data"),
  DATABASE_URL: z.string().optional(),
  TRACEDECK_HOST: z.string().default("127.0.0.1"),
  TRACEDECK_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  TRACEDECK_RELAYD_CONTROL_PORT: z.coerce.number().int().min(1).max(65535).default(5342),
  TRACEDECK_RELAYD_DATA_PORT: z.coerce.number().int().min(1).max(65535).default(5343),
  TRACEDECK_RELAYD_LIVE_PORT: z.coerce.number().int().min(1).max(65535).default(5344),
  TRACEDECK_ADMIN_PASSWORD: z.string().min(8).optional(),
  TRACEDECK_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
  /** Extra directories whose traces may be opened (colon-separated), e.g. a shared trace store. */
  TRACEDECK_TRACE_ROOTS: z.string().default(""),
  /** More `host:port` values of the Host header to serve (comma-separated), e.g. a reverse proxy's public name. */
  TRACEDECK_ALLOWED_HOSTS: z.string().default(""),
  /**
   * PostgreSQL job queue: a job still running after this many seconds is taken as lost (its
   * worker died or was cut off) and given to another worker.
   */
  TRACEDECK_JOB_TIMEOUT_S: z.coerce.number().int().min(5).max(86_400).default(1_800),
});

export interface Config {
  /** Absolute path of the data directory (database, traces, relayd output, runtime files). */
  dataDir: string;
  /** Where sessions created by Tracedeck write local traces: `<tracesDir>/<session>`. */
  tracesDir: string;
  /** `lttng-relayd -o`: streaming, live and relayd snapshot output. */
  relaydOutputDir: string;
  /** pid files and logs of daemons Tracedeck started. */
  runDir: string;
  /** Traces fetched from traced hosts over SFTP: `<fetchedDir>/<host>/<directory>` (server/fleet/fetch.ts). */
  fetchedDir: string;
  /**
   * Every directory under which a user may open a trace: tracesDir, relaydOutputDir and the
   * TRACEDECK_TRACE_ROOTS entries. A path from a user is resolved and must stay under one.
   */
  traceRoots: string[];
  /**
   * The trace root of the sample kernel trace shipped in the checkout (samples/traces), or
   * null when the server runs without it. It is one of `traceRoots`.
   */
  sampleTracesDir: string | null;
  /**
   * Where archives are looked for: `traceRoots` less the shipped sample, which is a
   * read-only example and not something LTTng recorded on this host.
   */
  archiveRoots: string[];
  databaseUrl: string;
  host: string;
  port: number;
  relayd: { host: string; controlPort: number; dataPort: number; livePort: number };
  adminPassword: string | undefined;
  logLevel: string;
  /** Extra Host header values served (server/auth/host.ts). */
  allowedHosts: string[];
  /** Seconds after which a PostgreSQL queue job is retried elsewhere (server/jobs). */
  jobTimeoutS: number;
}

/** Marks the checkout's sample traces (samples/traces/PROVENANCE.md says what they are). */
const SAMPLE_MARKER = "samples/traces/PROVENANCE.md";

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`, { cause: parsed.error });
  }
  const e = parsed.data;
  const dataDir = resolve(e.TRACEDECK_DATA_DIR);
  const tracesDir = resolve(dataDir, "traces");
  const relaydOutputDir = resolve(dataDir, "relayd");
  const fetchedDir = resolve(dataDir, "fetched");
  const repo = findRepoRoot(SAMPLE_MARKER);
  const sampleTracesDir = repo === null ? null : join(/*turbopackIgnore: true*/ repo, "samples", "traces");
  const extraRoots = e.TRACEDECK_TRACE_ROOTS.split(":")
    .filter((p) => p.length > 0)
    .map((p) => resolve(p));
  const traceRoots = [...new Set([tracesDir, relaydOutputDir, fetchedDir, ...extraRoots, ...(sampleTracesDir ? [sampleTracesDir] : [])])];
  return {
    dataDir,
    tracesDir,
    relaydOutputDir,
    runDir: resolve(dataDir, "run"),
    fetchedDir,
    traceRoots,
    sampleTracesDir,
    archiveRoots: traceRoots.filter((r) => r !== sampleTracesDir),
    databaseUrl: e.DATABASE_URL ?? `file:${resolve(dataDir, "tracedeck.db")}`,
    host: e.TRACEDECK_HOST,
    port: e.TRACEDECK_PORT,
    relayd: {
      host: "127.0.0.1",
      controlPort: e.TRACEDECK_RELAYD_CONTROL_PORT,
      dataPort: e.TRACEDECK_RELAYD_DATA_PORT,
      livePort: e.TRACEDECK_RELAYD_LIVE_PORT,
    },
    adminPassword: e.TRACEDECK_ADMIN_PASSWORD,
    logLevel: e.TRACEDECK_LOG_LEVEL,
    allowedHosts: e.TRACEDECK_ALLOWED_HOSTS.split(",")
      .map((h) => h.trim())
      .filter((h) => h.length > 0),
    jobTimeoutS: e.TRACEDECK_JOB_TIMEOUT_S,
  };
}

let cached: Config | undefined;
/** The process-wide configuration (read from the environment on first use). */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}

/** A PostgreSQL `DATABASE_URL` (anything else must be SQLite's `file:`). */
export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);
