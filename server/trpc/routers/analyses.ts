import { z } from "zod";
import {
  analysisMetadata,
  analysisNameSchema,
  analysisOptionsSchema,
  runAnalysis,
  type AnalysisJobProgress,
  type AnalysisName,
  type AnalysisResult,
  type LamiColumnDescription,
  type LamiResultTable,
  type LamiValue,
} from "../../analysis";
import { AnalysisError } from "../../analysis/errors";
import { analysisQuota, QuotaError } from "../../quota";
import { resolveTracePath } from "../../traces/catalog";
import { router, protectedProcedure } from "../init";
import { analysisDescriptors } from "./analyses.form";
import { ZTracePath } from "./traces";

/**
 * A LAMI cell as it crosses the wire: timestamps (epoch ns, beyond 2^53) as decimal strings
 * rather than bigints, because superjson records one meta entry per bigint and a log table has
 * tens of thousands of them. Everything else is the LAMI value unchanged.
 */
export type WireValue =
  | Exclude<LamiValue, { class: "timestamp" } | { class: "time-range" }>
  | { class: "timestamp"; value: string }
  | { class: "time-range"; begin: string; end: string };

/** JSON text of a `T`; the phantom property lets the client name `T` through AppRouter. */
export type JsonText<T> = string & { readonly __json?: T };

/** How the UI shows a table, from its LAMI table class. */
export type TableKind = "freq" | "log" | "stats" | "table";

export interface WireTable {
  /** The LAMI table class name (after `inherit`), e.g. "top-syscall", "freq", "log". */
  className: string;
  title: string;
  kind: TableKind;
  columns: LamiColumnDescription[];
  rowCount: number;
  /**
   * JSON text of the rows (`WireValue[][]`). Tables reach tens of thousands of rows (iolog,
   * syscallstats), and superjson walking every cell took longer than the analysis itself
   * (iolog on tc-many-threads: 1.9 s for 9 MB); JSON text crosses superjson as one string.
   */
  rowsJson: JsonText<WireValue[][]>;
  /**
   * JSON text of `([begin, end] | null)[]`: per row, the time span it covers as epoch-ns
   * strings, computed by the analysis (AnalysisResult.rowRanges), or null when it covers none.
   */
  rangesJson: JsonText<([string, string] | null)[]>;
  /** The table's own time range (epoch ns). */
  range: [string, string];
}

export interface AnalysisView {
  analysis: AnalysisName;
  trace: string;
  tables: WireTable[];
  events: number;
  discarded: number;
  beginNs: string | null;
  endNs: string | null;
  elapsedMs: number;
}

export type AnalysisStreamEvent =
  { type: "started"; trace: string } | { type: "progress"; events: number; fraction: number | null } | { type: "result"; result: AnalysisView };

function wireValue(v: LamiValue): WireValue {
  if (v === null) return null;
  if (v.class === "timestamp") return { class: "timestamp", value: v.value.toString() };
  if (v.class === "time-range") return { class: "time-range", begin: v.begin.value.toString(), end: v.end.value.toString() };
  return v;
}

function tableKind(className: string, columns: readonly LamiColumnDescription[]): TableKind {
  if (className.startsWith("freq")) return "freq";
  // periodfreq --freq-series: an inline class of bucket bounds then one count column per group.
  if (columns.length >= 3 && columns[0]!.title.endsWith("(lower bound)") && columns[1]!.title.endsWith("(upper bound)")) return "freq";
  if (className === "log" || className.endsWith("_log")) return "log";
  if (className.includes("stats")) return "stats";
  return "table";
}

/** Resolves a result table's class (a name, or an inline class inheriting one) against the analysis's metadata. */
function tableClass(name: AnalysisName, t: LamiResultTable): { className: string; title: string; columns: LamiColumnDescription[] } {
  const classes = analysisMetadata(name)["table-classes"];
  if (typeof t.class === "string") {
    const c = classes[t.class];
    return { className: t.class, title: c?.title ?? t.class, columns: c?.["column-descriptions"] ?? [] };
  }
  const base = t.class.inherit === undefined ? undefined : classes[t.class.inherit];
  return {
    className: t.class.inherit ?? "inline",
    title: t.class.title ?? base?.title ?? "",
    columns: t.class["column-descriptions"] ?? base?.["column-descriptions"] ?? [],
  };
}

export function analysisView(trace: string, r: AnalysisResult): AnalysisView {
  return {
    analysis: r.analysis,
    trace,
    tables: r.results.map((t, i) => {
      const c = tableClass(r.analysis, t);
      return {
        ...c,
        kind: tableKind(c.className, c.columns),
        rowCount: t.data.length,
        rowsJson: JSON.stringify(t.data.map((row) => row.map(wireValue))),
        rangesJson: JSON.stringify((r.rowRanges[i] ?? []).map((x) => (x === null ? null : [x.begin.toString(), x.end.toString()]))),
        range: [t["time-range"].begin.value.toString(), t["time-range"].end.value.toString()],
      };
    }),
    events: r.events,
    discarded: r.discarded,
    beginNs: r.beginNs?.toString() ?? null,
    endNs: r.endNs?.toString() ?? null,
    elapsedMs: r.elapsedMs,
  };
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
    let outcome: { ok: true; result: AnalysisResult } | { ok: false; error: unknown } | null = null;
    void runAnalysis(
      { analysis: input.analysis, options: input.options, paths: [trace] },
      {
        signal: ac.signal,
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
      const o = outcome as { ok: true; result: AnalysisResult } | { ok: false; error: unknown };
      if (!o.ok) {
        if (timedOut)
          throw new AnalysisError("TIME_LIMIT", `Analysis stopped after ${ANALYSIS_TIME_LIMIT_MS / 60_000} min (the limit); narrow the time range.`);
        if (isAbort(o.error)) return;
        throw o.error;
      }
      const rows = Math.max(0, ...o.result.results.map((t) => t.data.length));
      if (rows > MAX_RESULT_ROWS) {
        throw new AnalysisError(
          "RESULT_TOO_LARGE",
          `Analysis result too large: a table has ${rows} rows (limit ${MAX_RESULT_ROWS}); narrow the time range or raise the minimum duration.`,
        );
      }
      yield { type: "result", result: analysisView(trace, o.result) };
    } finally {
      clearTimeout(timer);
      slot.release();
      signal?.removeEventListener("abort", stop);
      // Also ends the worker when the generator is closed early (client gone).
      ac.abort();
    }
  }),
});
