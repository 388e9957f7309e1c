import { resolve } from "node:path";
import { Piscina } from "piscina";
import type { PrintCompat } from "../ctf";
import { TraceCatalogError } from "../traces/catalog";
import type { RangeResult } from "./range";

let pool: Piscina | undefined;

function workerFile(): string {
  return process.env.TRACEDECK_RANGE_WORKER ?? resolve(process.cwd(), "dist/workers/range.mjs");
}

/**
 * Reads the events of a time range of the trace in `dir` in a worker thread; `signal` ends
 * the read early. `trace` is the path as the user gave it: a trace that does not decode
 * fails with TraceCatalogError UNREADABLE, naming files relative to it, never by the host's
 * absolute paths (the CTF reader's error loses its class crossing the thread anyway).
 */
export async function readRangeInWorker(
  req: { trace: string; dir: string; begin?: bigint; end?: bigint; limit: number; compat?: PrintCompat },
  signal?: AbortSignal,
): Promise<RangeResult> {
  pool ??= new Piscina({ filename: workerFile(), maxThreads: 1, idleTimeout: 30_000 });
  const task = { paths: [req.dir], limit: req.limit, compat: req.compat, begin: req.begin?.toString(), end: req.end?.toString() };
  try {
    return (await pool.run(task, { signal: signal ?? null })) as RangeResult;
  } catch (e) {
    if (signal?.aborted === true) throw e;
    const message = (e instanceof Error ? e.message : String(e)).replaceAll(`${req.dir}/`, "").replaceAll(req.dir, ".");
    throw new TraceCatalogError("UNREADABLE", `Cannot read the trace ${req.trace}: ${message}`, { path: req.trace }, { cause: e });
  }
}
