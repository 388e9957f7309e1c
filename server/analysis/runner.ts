/**
 * The web server's entry to the analyses: jobs run in worker threads (piscina), report
 * progress, and stop when their AbortSignal fires (the worker running them is ended).
 */
import { resolve } from "node:path";
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import type { AnalysisJobProgress, AnalysisResult } from "./execute";
import { analysisRequestSchema, type AnalysisRequest } from "./schema";
import type { AnalysisTask } from "./analysis.worker";
import type { AnalysisViewText } from "./lami/wire";

export interface RunAnalysisHooks {
  onProgress?: (p: AnalysisJobProgress) => void;
  signal?: AbortSignal;
}

let pool: Piscina | undefined;

/** The worker file: dist/workers/analysis.mjs (scripts/build.mjs), overridable for tests. */
export function analysisWorkerFile(): string {
  return process.env.TRACEDECK_ANALYSIS_WORKER ?? resolve(process.cwd(), "dist/workers/analysis.mjs");
}

export function analysisPool(): Piscina {
  pool ??= new Piscina({
    filename: analysisWorkerFile(),
    // Analyses are CPU-bound: one per core at most, and none kept idle for long.
    maxThreads: 2,
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
 * resolved and checked). Rejects with an AbortError when `signal` fires.
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
  try {
    return await analysisPool().run(task, { transferList: [channel.port2], signal: hooks.signal ?? null });
  } finally {
    channel.port1.close();
  }
}
