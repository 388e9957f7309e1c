/**
 * An analysis result as the browser receives it (AnalysisView), made where the result is:
 * in the worker thread for the Analyze page (JSON text, so that the web server's event loop
 * neither clones nor walks tens of thousands of LAMI objects), on the server for stored
 * archive reports.
 */
import type { AnalysisResult } from "../job";
import { analysisMetadata, type AnalysisName } from "../catalog";
import type { LamiColumnDescription, LamiResultTable, LamiValue } from "./types";

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

/** The Analyze page's result, made in the worker thread: the largest table's row count, and the view as JSON text unless that exceeds `maxRows`. */
export interface AnalysisViewText {
  rows: number;
  json: JsonText<AnalysisView> | null;
}

export function analysisViewText(trace: string, r: AnalysisResult, maxRows: number): AnalysisViewText {
  const rows = Math.max(0, ...r.results.map((t) => t.data.length));
  return { rows, json: rows > maxRows ? null : JSON.stringify(analysisView(trace, r)) };
}
