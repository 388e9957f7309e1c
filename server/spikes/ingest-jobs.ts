/**
 * On-demand ingest of a stored trace or archive into a latency source's history: the reading
 * runs in the analysis worker pool (analysis.worker.ts `ingestLatency`), progress is kept
 * here for the page to poll, and the buckets replace the source's 1 s buckets of the trace's
 * window once the worker is done.
 */
import { randomUUID } from "node:crypto";
import { MessageChannel } from "node:worker_threads";
import type { Db } from "../db";
import type { LatencyIngestTask } from "../analysis/analysis.worker";
import { analysisPool } from "../analysis/worker-pool";
import { replaceBuckets } from "./history";
import type { IngestProgress, IngestResult } from "./ingest";
import type { LatencySource } from "./sources";
import { brandDomainError } from "../shared/domain-error";

export interface IngestJob {
  id: string;
  sourceId: number;
  /** What was read, as the user named it (trace path or archive). */
  label: string;
  state: "running" | "done" | "failed";
  events: number;
  fraction: number;
  values: number;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

/** Jobs remembered (the newest); older finished ones are forgotten. */
const KEEP = 32;
/** Jobs running at once: the pool is shared with the analyses. */
export const MAX_RUNNING = 2;

const g = globalThis as unknown as { tracedeckIngestJobs?: Map<string, IngestJob> };
function jobs(): Map<string, IngestJob> {
  return (g.tracedeckIngestJobs ??= new Map());
}

/** Too many ingest jobs at once: the caller may retry later. */
export class IngestBusyError extends Error {
  override readonly name = "IngestBusyError";
}
brandDomainError(IngestBusyError, "IngestBusyError");

export function listIngestJobs(): IngestJob[] {
  return [...jobs().values()].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
}

/** Reads the traces in a worker; `paths` are already resolved under the trace roots. */
export function runIngestInWorker(paths: string[], source: LatencySource, onProgress?: (p: IngestProgress) => void): Promise<IngestResult> {
  const channel = new MessageChannel();
  if (onProgress !== undefined) channel.port1.on("message", (p: IngestProgress) => onProgress(p));
  const task: LatencyIngestTask = { paths, source, port: channel.port2 };
  return (analysisPool().run(task, { name: "ingestLatency", transferList: [channel.port2] }) as Promise<IngestResult>).finally(() => channel.port1.close());
}

/** Starts a job and returns it at once; `done` settles when its buckets are stored. */
export function startIngest(db: Db, sourceId: number, source: LatencySource, paths: string[], label: string): { job: IngestJob; done: Promise<void> } {
  const all = jobs();
  if ([...all.values()].filter((j) => j.state === "running").length >= MAX_RUNNING)
    throw new IngestBusyError(`${MAX_RUNNING} ingests are already running; try again when one is done`);
  const job: IngestJob = {
    id: randomUUID(),
    sourceId,
    label,
    state: "running",
    events: 0,
    fraction: 0,
    values: 0,
    error: null,
    startedAt: new Date(),
    finishedAt: null,
  };
  all.set(job.id, job);
  for (const old of listIngestJobs().slice(KEEP)) if (old.state !== "running") all.delete(old.id);
  const done = (async () => {
    try {
      const r = await runIngestInWorker(paths, source, (p) => {
        job.events = p.events;
        job.fraction = p.fraction;
      });
      if (r.fromSec !== null && r.toSec !== null) await replaceBuckets(db, sourceId, r.fromSec, r.toSec, r.buckets);
      job.events = r.events;
      job.values = r.values;
      job.fraction = 1;
      job.state = "done";
    } catch (e) {
      job.state = "failed";
      job.error = e instanceof Error ? e.message : String(e);
    } finally {
      job.finishedAt = new Date();
    }
  })();
  return { job, done };
}
