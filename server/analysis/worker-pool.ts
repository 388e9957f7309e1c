/**
 * The web server's entry to the analyses: jobs run in worker threads (piscina), report
 * progress, and stop when their AbortSignal fires (the worker running them is ended).
 */
import { resolve } from "node:path";
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import type { AnalysisJobProgress, AnalysisResult } from "./job";
import { z } from "zod";
import { analysisNameSchema, analysisOptionsSchema } from "./options-schema";
import type { AnalysisTask, AnalysisTaskOutcome } from "./analysis.worker";
import { AnalysisError } from "./errors";
import type { AnalysisViewText } from "./lami/wire";

/** One analysis run as a browser asks for it (the trace is resolved by the tRPC layer, never from here). */
export const analysisRequestSchema = z.object({
  analysis: analysisNameSchema,
  options: analysisOptionsSchema.default({}),
});

export type AnalysisRequest = z.infer<typeof analysisRequestSchema>;

export interface RunAnalysisHooks {
  onProgress?: (p: AnalysisJobProgress) => void;
  signal?: AbortSignal;
}

let pool: Piscina | undefined;
/** Analyses are CPU-bound: one per core at most (a 2-core web server's default). */
let maxThreads = 2;

/**
 * Threads of the pool, before its first use: `tracedeck worker --concurrency N` runs N jobs
 * at once on a machine of its own, where no web server needs a core kept free.
 */
export function setAnalysisPoolThreads(n: number): void {
  if (pool !== undefined) throw new Error("The analysis pool is already running: set its size before the first job.");
  maxThreads = Math.max(1, Math.floor(n));
}

/** The worker file: dist/workers/analysis.mjs (scripts/build.mjs), overridable for tests. */
export function analysisWorkerFile(): string {
  return process.env.TRACEDECK_ANALYSIS_WORKER ?? resolve(process.cwd(), "dist/workers/analysis.mjs");
}

export function analysisPool(): Piscina {
  pool ??= new Piscina({
    filename: analysisWorkerFile(),
    // None kept idle for long.
    maxThreads,
    // Waiting jobs beyond this are refused ("Task queue is at limit") rather than piled up.
    maxQueue: 8,
    idleTimeout: 30_000,
  });
  return pool;
}

export async function closeAnalysisPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.destroy();
}

/**
 * Runs `request` on the traces under `paths` (directories the caller has already
 * resolved and checked). Rejects with an AbortError when `signal` fires, else with an
 * AnalysisError: the job's own, or RUN_FAILED with the message of whatever else stopped it.
 */
export async function runAnalysis(request: AnalysisRequest & { paths: string[] }, hooks: RunAnalysisHooks = {}): Promise<AnalysisResult> {
  return (await runInPool(request, hooks)) as AnalysisResult;
}

/**
 * As runAnalysis, but answers with the browser's view of the result as JSON text, made in
 * the worker (none when a table has more than `maxRows` rows): the web server only passes
 * the text on.
 */
export async function runAnalysisView(
  request: AnalysisRequest & { paths: string[]; trace: string; maxRows: number },
  hooks: RunAnalysisHooks = {},
): Promise<AnalysisViewText> {
  return (await runInPool(request, hooks, { trace: request.trace, maxRows: request.maxRows })) as AnalysisViewText;
}

async function runInPool(request: AnalysisRequest & { paths: string[] }, hooks: RunAnalysisHooks, view?: AnalysisTask["view"]): Promise<unknown> {
  const { analysis, options } = analysisRequestSchema.parse({ analysis: request.analysis, options: request.options });
  const channel = new MessageChannel();
  if (hooks.onProgress !== undefined) {
    const cb = hooks.onProgress;
    channel.port1.on("message", (p: AnalysisJobProgress) => cb(p));
  }
  const task: AnalysisTask = { job: { analysis, options, paths: request.paths }, port: channel.port2, ...(view === undefined ? {} : { view }) };
  let outcome: AnalysisTaskOutcome;
  try {
    outcome = (await analysisPool().run(task, { transferList: [channel.port2], signal: hooks.signal ?? null })) as AnalysisTaskOutcome;
  } catch (e) {
    if (hooks.signal?.aborted === true || (e instanceof Error && e.name === "AbortError")) throw e;
    throw new AnalysisError("RUN_FAILED", e instanceof Error ? e.message : String(e), { cause: e });
  } finally {
    channel.port1.close();
  }
  if (!outcome.ok) throw new AnalysisError(outcome.code, outcome.message);
  return "view" in outcome ? outcome.view : outcome.result;
}
