import { z } from "zod";
import { analysisNameSchema, analysisOptionsSchema, type AnalysisJobProgress } from "../../analysis";
import { AnalysisError } from "../../analysis/errors";
import type { AnalysisViewText } from "../../analysis/lami/wire";
import { runAnalysisViewScheduled } from "../../analysis/analysis-jobs";
import { analysisQuota, QuotaError } from "../../quota";
import { resolveTracePath } from "../../traces/catalog";
import { router, protectedProcedure } from "../init";
import { analysisDescriptors } from "./analyses.form";
import { ZTracePath } from "./traces";

import type { AnalysisView, JsonText } from "../../analysis/lami/wire";

export type { AnalysisView, JsonText, TableKind, WireTable, WireValue } from "../../analysis/lami/wire";
export { analysisView } from "../../analysis/lami/wire";

/**
 * The result comes as JSON text (made in the worker thread), in slices: the `json` of every
 * `result-part`, in order, then that of `result`, make the AnalysisView (see
 * joinResultParts). Each slice is one SSE message, and a macrotask separates two slices, so
 * the event loop answers other requests between them rather than after megabytes.
 */
export type AnalysisStreamEvent =
  | { type: "started"; trace: string }
  | { type: "progress"; events: number; fraction: number | null }
  | { type: "result-part"; json: string }
  | { type: "result"; json: JsonText<AnalysisView> };

/**
 * Characters of result JSON per SSE message. Small enough that each message's strings and
 * buffers (the slice JSON-escaped, then UTF-8 encoded) stay below V8's large-object size
 * (128 KiB) and die young: with 256 KiB slices each of a syscallstats result's 26 messages
 * (6.6 MB) made large objects that only the old generation's full collections free, and the
 * status bar's p99 under 5 analyses was 271 ms; with 64 KiB, 84 and 166 ms in two runs
 * (npm run bench -- load).
 */
export const RESULT_PART_CHARS = 64 * 1024;

/** The AnalysisView of a run's events (the browser does the same in components/analysis). */
export function joinResultParts(events: readonly AnalysisStreamEvent[]): AnalysisView | null {
  const last = events.at(-1);
  if (last?.type !== "result") return null;
  const parts = events.flatMap((e) => (e.type === "result-part" ? [e.json] : []));
  return JSON.parse(parts.join("") + last.json) as AnalysisView;
}

export const ZRunAnalysisInput = z.object({
  trace: ZTracePath,
  analysis: analysisNameSchema,
  options: analysisOptionsSchema.default({}),
});

/** An analysis running longer is stopped: a viewer must not be able to pin a core indefinitely. */
export const ANALYSIS_TIME_LIMIT_MS = 10 * 60_000;
/** Rows of one result table sent to a browser at most (an iolog of a big trace has millions). */
export const MAX_RESULT_ROWS = 200_000;

/** Resolves after pending I/O callbacks (other requests) have run. */
const macrotask = () => new Promise<void>((r) => setImmediate(r));

function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === "AbortError";
}

/** Latency analyses (lttng-analyses ports) on a trace from the catalog. */
export const analysesRouter = router({
  /** Every analysis with the option fields its form shows. */
  list: protectedProcedure.query(() => analysisDescriptors()),

  /**
   * Runs one analysis in a worker thread and streams `started`, `progress`… then `result`
   * (SSE). When the client unsubscribes, tRPC aborts `signal` and the worker is stopped.
   */
  run: protectedProcedure.input(ZRunAnalysisInput).subscription(async function* ({ ctx, input, signal }): AsyncGenerator<AnalysisStreamEvent> {
    const trace = await resolveTracePath(input.trace);
    if (signal?.aborted === true) return;
    const slot = analysisQuota.acquire(ctx.user.id);
    if (!slot.ok) throw new QuotaError(slot.message);
    const ac = new AbortController();
    const stop = () => ac.abort();
    signal?.addEventListener("abort", stop, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, ANALYSIS_TIME_LIMIT_MS);

    const pending: AnalysisJobProgress[] = [];
    let wake: (() => void) | null = null;
    let outcome: { ok: true; result: AnalysisViewText } | { ok: false; error: unknown } | null = null;
    void runAnalysisViewScheduled(
      { analysis: input.analysis, options: input.options, paths: [trace], trace, maxRows: MAX_RESULT_ROWS },
      {
        signal: ac.signal,
        timeLimitMs: ANALYSIS_TIME_LIMIT_MS,
        onProgress: (p) => {
          pending.push(p);
          wake?.();
        },
      },
    )
      .then(
        (result) => (outcome = { ok: true, result }),
        (error: unknown) => (outcome = { ok: false, error }),
      )
      .finally(() => wake?.());

    try {
      yield { type: "started", trace };
      for (;;) {
        // Only the latest progress matters to a progress bar.
        const last = pending.splice(0).pop();
        if (last !== undefined) yield { type: "progress", events: last.events, fraction: last.fraction };
        if (outcome !== null) break;
        await new Promise<void>((r) => (wake = r));
        wake = null;
      }
      const o = outcome as { ok: true; result: AnalysisViewText } | { ok: false; error: unknown };
      if (!o.ok) {
        if (timedOut)
          throw new AnalysisError("TIME_LIMIT", `Analysis stopped after ${ANALYSIS_TIME_LIMIT_MS / 60_000} min (the limit); narrow the time range.`);
        if (isAbort(o.error)) return;
        throw o.error;
      }
      const { rows, json } = o.result;
      if (json === null) {
        throw new AnalysisError(
          "RESULT_TOO_LARGE",
          `Analysis result too large: a table has ${rows} rows (limit ${MAX_RESULT_ROWS}); narrow the time range or raise the minimum duration.`,
        );
      }
      let at = 0;
      for (; at + RESULT_PART_CHARS < json.length; at += RESULT_PART_CHARS) {
        // Without it the parts run back to back in promise callbacks (superjson, the SSE
        // TextEncoderStream, the socket), which hold the event loop for the whole result: the
        // load bench's CPU profile showed 0.5-1.2 s stretches per big result, the status bar
        // waiting behind each.
        await macrotask();
        yield { type: "result-part", json: json.slice(at, at + RESULT_PART_CHARS) };
      }
      await macrotask();
      yield { type: "result", json: json.slice(at) };
    } finally {
      clearTimeout(timer);
      slot.release();
      signal?.removeEventListener("abort", stop);
      // Also ends the worker when the generator is closed early (client gone).
      ac.abort();
    }
  }),
});
