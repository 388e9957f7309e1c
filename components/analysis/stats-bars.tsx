"use client";

import { formatCell, formatDuration } from "./lami-format";
import type { ResultTable, WireValue } from "./types";

/** Beyond this many rows (per-thread stats) the table alone reads better. */
const MAX_ROWS = 24;

function findColumn(table: ResultTable, re: RegExp): number {
  return table.columns.findIndex((c) => c.class === "duration" && re.test(c.title));
}

function ns(v: WireValue | undefined): number | null {
  return v !== null && v !== undefined && v.class === "duration" ? v.value : null;
}

/**
 * A stats table (min / avg / max / stdev duration columns, found by their LAMI titles) drawn
 * as one range per row: the min→max span, the avg ± stdev band, and the avg mark, all on the
 * same linear scale so that rows compare at a glance.
 */
export function StatsBars({ table }: { table: ResultTable }) {
  const cMin = findColumn(table, /^min/i);
  const cAvg = findColumn(table, /^av(g|erage)/i);
  const cMax = findColumn(table, /^max/i);
  const cStd = findColumn(table, /st(andar)?d(ard)?\s*dev/i);
  if (cMin < 0 || cAvg < 0 || cMax < 0 || table.rows.length > MAX_ROWS) return null;
  const labelCol = table.columns.findIndex((c) => c.class !== "duration" && c.class !== "number");
  const rows = table.rows
    .map((r, i) => ({
      i,
      label: labelCol >= 0 ? formatCell(r[labelCol] ?? null) : `#${i + 1}`,
      min: ns(r[cMin]),
      avg: ns(r[cAvg]),
      max: ns(r[cMax]),
      std: cStd >= 0 ? ns(r[cStd]) : null,
    }))
    .filter((r) => r.min !== null && r.avg !== null && r.max !== null);
  if (rows.length === 0) return null;
  const scale = Math.max(...rows.map((r) => r.max!), 1);
  const pct = (v: number) => `${Math.min(100, Math.max(0, (v / scale) * 100))}%`;
  return (
    <div
      className="mb-2 grid grid-cols-[minmax(80px,180px)_1fr_auto] items-center gap-x-2 gap-y-1 text-xs"
      data-testid="stats-bars"
      aria-label={`${table.title}: min, avg ± stdev, max`}
    >
      {rows.map((r) => (
        <div key={r.i} className="contents">
          <span className="truncate" title={r.label}>
            {r.label}
          </span>
          <div className="relative h-3 rounded bg-zinc-100 dark:bg-zinc-800">
            <div
              className="absolute inset-y-1 rounded bg-sky-200 dark:bg-sky-900"
              style={{ left: pct(r.min!), width: `calc(${pct(r.max!)} - ${pct(r.min!)})` }}
            />
            {r.std !== null && (
              <div
                className="absolute inset-y-0.5 rounded bg-sky-400/50"
                style={{
                  left: pct(Math.max(r.min!, r.avg! - r.std)),
                  width: `calc(${pct(Math.min(r.max!, r.avg! + r.std))} - ${pct(Math.max(r.min!, r.avg! - r.std))})`,
                }}
              />
            )}
            <div className="absolute inset-y-0 w-0.5 bg-sky-700 dark:bg-sky-300" style={{ left: pct(r.avg!) }} />
          </div>
          <span className="whitespace-nowrap text-zinc-500 tabular-nums">
            {formatDuration(r.min!)} · <span className="text-zinc-800 dark:text-zinc-200">{formatDuration(r.avg!)}</span>
            {r.std !== null ? ` ± ${formatDuration(r.std)}` : ""} · {formatDuration(r.max!)}
          </span>
        </div>
      ))}
    </div>
  );
}
