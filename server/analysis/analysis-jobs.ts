/**
 * Analyses as jobs of the PostgreSQL queue (server/jobs): with PostgreSQL the Analyze page's
 * run is sent to a `tracedeck worker` rather than run on the web server's threads. The job
 * carries the request and the trace paths the server resolved; the worker resolves them
 * again under its own trace roots, runs the same worker-thread code, reports progress with
 * NOTIFY, and completes the job with the browser's view as JSON text (made on the worker).
 * The server reads the job's state (cancel when the browser leaves, the time limit as the
 * job's expiry); an analysis error comes back as the same AnalysisError.
 */
import type PgBoss from "pg-boss";
import pg from "pg";
import { z } from "zod";
import { config } from "../config";
import { moduleLogger } from "../log";
import { ANALYSIS_JOB, maintenanceIntervalFor, openJobQueue } from "../jobs/queue";
import { jobBackendFor } from "../jobs/backend";
import { resolveTracePath, TraceCatalogError } from "../traces/catalog";
import { AnalysisError, type AnalysisErrorCode } from "./errors";
import type { AnalysisJobProgress } from "./job";
import type { AnalysisViewText, JsonText, AnalysisView } from "./lami/wire";
import { analysisNameSchema, analysisOptionsSchema } from "./options-schema";
import { runAnalysisView, type AnalysisRequest, type RunAnalysisHooks } from "./worker-pool";

const log = moduleLogger("analysis");

/** NOTIFY channel of progress messages: `{ id, events, fraction }`. */
export const PROGRESS_CHANNEL = "tracedeck_analysis_progress";
/** Progress messages per job per second at most. */
const PROGRESS_PER_S = 4;
/** How often the server reads a job's state, and a worker checks whether its job was cancelled. */
const POLL_MS = 300;

export const AnalysisJobData = z
  .object({
    analysis: analysisNameSchema,
    options: analysisOptionsSchema,
    paths: z.array(z.string().min(1).max(4096)).min(1).max(16),
    trace: z.string().min(1).max(4096),
    maxRows: z.number().int().min(1).max(10_000_000),
  })
  .strict();
export type AnalysisJobData = z.infer<typeof AnalysisJobData>;

/** What a job completes with: the view, or the analysis's own error as data (not a job failure: not retried). */
type AnalysisJobOutput = { ok: true; rows: number; json: string | null } | { ok: false; code: AnalysisErrorCode; message: string };

/** The web server's side: one pg-boss client and one LISTEN connection per process, opened on first use. */
export class AnalysisJobClient {
  private boss: Promise<PgBoss> | undefined;
  private listener: Promise<pg.Client> | undefined;
  private readonly progress = new Map<string, (p: AnalysisJobProgress) => void>();

  constructor(private readonly opts: { url: string; timeLimitS: number }) {}

  private queue(): Promise<PgBoss> {
    this.boss ??= openJobQueue(this.opts.url, { maintenanceIntervalS: maintenanceIntervalFor(this.opts.timeLimitS) }).catch((err: unknown) => {
      this.boss = undefined;
      throw err;
    });
    return this.boss;
  }

  /** Progress is best effort: without it the run still ends with its result. */
  private listen(): Promise<pg.Client> {
    this.listener ??= (async () => {
      const c = new pg.Client({ connectionString: this.opts.url });
      c.on("error", (err) => {
        log.warn({ err: err.message }, "analysis progress listener lost; progress resumes with the next run");
        this.listener = undefined;
      });
      c.on("notification", (n) => {
        try {
          const m = JSON.parse(n.payload ?? "") as { id: string; events: number; fraction: number | null };
          this.progress.get(m.id)?.({ events: m.events, fraction: m.fraction });
        } catch {
          // Not ours: ignore.
        }
      });
      await c.connect();
      await c.query(`LISTEN ${PROGRESS_CHANNEL}`);
      return c;
    })().catch((err: unknown) => {
      this.listener = undefined;
      throw err;
    });
    return this.listener;
  }

  async run(request: AnalysisRequest & { paths: string[]; trace: string; maxRows: number }, hooks: RunAnalysisHooks = {}): Promise<AnalysisViewText> {
    const data = AnalysisJobData.parse(request);
    const boss = await this.queue();
    await this.listen().catch((err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, "no analysis progress listener"));
    const id = await boss.send(ANALYSIS_JOB, data, { retryLimit: 1, retryDelay: 1, expireInSeconds: this.opts.timeLimitS });
    if (id === null) throw new AnalysisError("RUN_FAILED", "The job queue refused the analysis.");
    if (hooks.onProgress) this.progress.set(id, hooks.onProgress);
    try {
      for (;;) {
        if (hooks.signal?.aborted === true) {
          await boss.cancel(ANALYSIS_JOB, id).catch(() => undefined);
          const e = new Error("The analysis was cancelled.");
          e.name = "AbortError";
          throw e;
        }
        const job = await boss.getJobById<AnalysisJobData>(ANALYSIS_JOB, id);
        if (job === null) throw new AnalysisError("RUN_FAILED", "The analysis job vanished from the queue.");
        if (job.state === "completed") {
          const out = job.output as AnalysisJobOutput;
          if (!out.ok) throw new AnalysisError(out.code, out.message);
          return { rows: out.rows, json: out.json as JsonText<AnalysisView> | null };
        }
        if (job.state === "failed" || job.state === "cancelled") {
          const message = (job.output as { message?: unknown } | null)?.message;
          throw new AnalysisError("RUN_FAILED", typeof message === "string" ? `The analysis worker failed: ${message}` : `The analysis job was ${job.state}.`);
        }
        await new Promise<void>((r) => {
          const t = setTimeout(r, POLL_MS);
          hooks.signal?.addEventListener(
            "abort",
            () => {
              clearTimeout(t);
              r();
            },
            { once: true },
          );
        });
      }
    } finally {
      this.progress.delete(id);
    }
  }

  async close(): Promise<void> {
    const [b, l] = [this.boss, this.listener];
    this.boss = undefined;
    this.listener = undefined;
    await (await l?.catch(() => undefined))?.end();
    await (await b?.catch(() => undefined))?.stop({ graceful: false, close: true, wait: true });
  }
}

/**
 * The worker's side of one analysis job. The paths are resolved again under this machine's
 * trace roots (a path the server resolved must resolve to itself here). Stops when the job is
 * cancelled (the browser left).
 */
export async function runAnalysisJobHere(
  boss: PgBoss,
  job: { id: string; data: unknown },
  roots: readonly string[] = config().traceRoots,
): Promise<AnalysisJobOutput> {
  const data = AnalysisJobData.parse(job.data);
  const ac = new AbortController();
  const watch = setInterval(() => {
    void boss
      .getJobById(ANALYSIS_JOB, job.id)
      .then((j) => {
        if (j === null || j.state === "cancelled") ac.abort();
      })
      .catch(() => undefined);
  }, POLL_MS);
  let last = 0;
  const db = boss.getDb();
  try {
    const paths: string[] = [];
    for (const p of data.paths) {
      const real = await resolveTracePath(p, roots);
      if (real !== p)
        return {
          ok: false,
          code: "RUN_FAILED",
          message: `The trace ${p.slice(0, 300)} is ${real} on this worker: workers must see traces at the server's paths.`,
        };
      paths.push(real);
    }
    const view = await runAnalysisView(
      { analysis: data.analysis, options: data.options, paths, trace: data.trace, maxRows: data.maxRows },
      {
        signal: ac.signal,
        onProgress: (p) => {
          const now = Date.now();
          if (now - last < 1000 / PROGRESS_PER_S && p.fraction !== 1) return;
          last = now;
          void db
            .executeSql("SELECT pg_notify($1, $2)", [PROGRESS_CHANNEL, JSON.stringify({ id: job.id, events: p.events, fraction: p.fraction })])
            .catch(() => undefined);
        },
      },
    );
    return { ok: true, rows: view.rows, json: view.json };
  } catch (e) {
    if (e instanceof AnalysisError) return { ok: false, code: e.code, message: e.message };
    // A path this worker may not open: the user's error, not the worker's (not retried).
    if (e instanceof TraceCatalogError) return { ok: false, code: "RUN_FAILED", message: e.message };
    throw e;
  } finally {
    clearInterval(watch);
  }
}

const g = globalThis as unknown as { tracedeckAnalysisJobs?: AnalysisJobClient };

/**
 * The one entry of the Analyze page's runs: in the server's worker threads with SQLite, a
 * job for `tracedeck worker` with PostgreSQL. Same arguments, same answers, same errors.
 */
export function runAnalysisViewScheduled(
  request: AnalysisRequest & { paths: string[]; trace: string; maxRows: number },
  hooks: RunAnalysisHooks & { timeLimitMs: number },
): Promise<AnalysisViewText> {
  const url = config().databaseUrl;
  if (jobBackendFor(url) === "in-process") return runAnalysisView(request, hooks);
  // The caller stops the run at its time limit; the job outlives that by a minute only if
  // its worker died (pg-boss then fails it).
  g.tracedeckAnalysisJobs ??= new AnalysisJobClient({ url, timeLimitS: Math.ceil(hooks.timeLimitMs / 1000) + 60 });
  return g.tracedeckAnalysisJobs.run(request, hooks);
}
