"use client";

import { useMemo, useState } from "react";
import { FreqChart } from "./freq-chart";
import { formatTimestamp } from "./lami-format";
import { LamiTable } from "./lami-table";
import { LogScatter } from "./log-scatter";
import { StatsBars } from "./stats-bars";
import { decodeTable, type AnalysisView, type WireTable } from "./types";

/** Tables shown before "Show all" (syscallstats makes one table per thread). */
const FIRST_TABLES = 12;
const fmt = new Intl.NumberFormat("en-US");

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function TableSection({ wire, index, trace }: { wire: WireTable; index: number; trace: string }) {
  // Parsed when shown: a run may return thousands of tables (syscallstats: one per thread).
  const table = useMemo(() => decodeTable(wire), [wire]);
  const id = `t${index}-${slug(table.title)}`;
  return (
    <section className="td-card p-3" aria-labelledby={id} data-testid="result-table" data-kind={table.kind} data-class={table.className}>
      <div className="mb-2 flex flex-wrap items-baseline gap-x-3">
        <h3 id={id} className="font-semibold">
          {table.title}
        </h3>
        <span className="text-xs text-zinc-500">
          {fmt.format(table.rows.length)} rows · {formatTimestamp(table.range[0], true)} → {formatTimestamp(table.range[1])} UTC
        </span>
      </div>
      {table.kind === "freq" && table.rows.length > 0 && <FreqChart table={table} testId="freq-chart" />}
      {table.kind === "log" && table.rows.length > 0 && <LogScatter table={table} trace={trace} testId="log-scatter" />}
      {table.kind === "stats" && table.rows.length > 0 && <StatsBars table={table} />}
      {table.kind === "freq" ? (
        <details className="mt-2">
          <summary className="cursor-pointer text-xs text-zinc-500">Buckets as a table</summary>
          <LamiTable table={table} trace={trace} testId="lami-table" />
        </details>
      ) : (
        <LamiTable table={table} trace={trace} testId="lami-table" />
      )}
    </section>
  );
}

/** Every result table of one run, with a filter over their titles when there are many. */
export function ResultsView({ result }: { result: AnalysisView }) {
  const [filter, setFilter] = useState("");
  const [showAll, setShowAll] = useState(false);
  const matching = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return result.tables.map((t, i) => ({ t, i })).filter(({ t }) => f === "" || t.title.toLowerCase().includes(f));
  }, [result.tables, filter]);
  const shown = showAll ? matching : matching.slice(0, FIRST_TABLES);
  return (
    <div className="space-y-3" data-testid="analysis-results">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-zinc-500">
        <span data-testid="result-summary">
          <span className="font-medium text-zinc-700 dark:text-zinc-300">{result.analysis}</span> · {fmt.format(result.events)} events · {result.tables.length}{" "}
          table{result.tables.length === 1 ? "" : "s"} · {(result.elapsedMs / 1000).toFixed(2)} s
        </span>
        {result.beginNs !== null && result.endNs !== null && (
          <span>
            {formatTimestamp(result.beginNs, true)} → {formatTimestamp(result.endNs)} UTC
          </span>
        )}
        {result.discarded > 0 && <span className="text-amber-600">{fmt.format(result.discarded)} events discarded by the tracer</span>}
        {result.tables.length > FIRST_TABLES && (
          <input
            className="td-input ml-auto w-56"
            placeholder="Filter tables by title"
            aria-label="Filter tables"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        )}
      </div>
      {result.tables.length === 0 && <p className="td-card p-4 text-sm text-zinc-500">No results: the trace has no events this analysis uses.</p>}
      {shown.map(({ t, i }) => (
        <TableSection key={i} wire={t} index={i} trace={result.trace} />
      ))}
      {shown.length < matching.length && (
        <button type="button" className="td-btn" onClick={() => setShowAll(true)}>
          Show all {matching.length} tables
        </button>
      )}
    </div>
  );
}
