import { resolve } from "node:path";
import { Piscina } from "piscina";
import type { PrintCompat } from "../ctf";
import type { RangeResult } from "./range";

let pool: Piscina | undefined;

function workerFile(): string {
  return process.env.TRACEDECK_RANGE_WORKER ?? resolve(process.cwd(), "dist/workers/range.mjs");
}

/** Reads the events of a time range in a worker thread; `signal` ends the read early. */
export async function readRangeInWorker(
  req: { paths: string[]; begin?: bigint; end?: bigint; limit: number; compat?: PrintCompat },
  signal?: AbortSignal,
): Promise<RangeResult> {
  pool ??= new Piscina({ filename: workerFile(), maxThreads: 1, idleTimeout: 30_000 });
  const task = { paths: req.paths, limit: req.limit, compat: req.compat, begin: req.begin?.toString(), end: req.end?.toString() };
  return (await pool.run(task, { signal: signal ?? null })) as RangeResult;
}
