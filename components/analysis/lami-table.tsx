"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { useMemo, useRef, useState } from "react";
import { isCaptureColumn, parseCaptures, type CaptureField } from "./captures";
import { columnHeader, compareKeys, formatCell, isNumericColumn, sortKey } from "./lami-format";
import { timelineHref } from "./timeline-link";
import type { ResultTable } from "./types";

/** Above this many rows only the visible ones are in the DOM (iolog, schedlog: tens of thousands). */
const VIRTUAL_THRESHOLD = 200;
const ROW_HEIGHT = 29;

type Sort = { col: number; dir: 1 | -1 } | null;

/**
 * A LAMI result table: columns from the table class's column descriptions, values formatted
 * by class, sortable by any column, and a link per row to the time span the analysis gave it.
 */
export function LamiTable({ table, trace, testId }: { table: ResultTable; trace: string; testId?: string }) {
  const [sort, setSort] = useState<Sort>(null);
  const order = useMemo(() => {
    const idx = table.rows.map((_, i) => i);
    if (sort === null) return idx;
    const keys = table.rows.map((r) => sortKey(r[sort.col] ?? null));
    return idx.sort((a, b) => sort.dir * compareKeys(keys[a]!, keys[b]!) || a - b);
  }, [table.rows, sort]);
  const hasRanges = table.ranges.some((r) => r !== null);
  const captureCols = useMemo(() => table.columns.map(isCaptureColumn), [table.columns]);
  const virtual = table.rows.length > VIRTUAL_THRESHOLD;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: order.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
    enabled: virtual,
  });

  const clickSort = (col: number) =>
    setSort((s) => (s?.col !== col ? { col, dir: isNumericColumn(table.columns[col]!) ? -1 : 1 } : s.dir === -1 ? { col, dir: 1 } : { col, dir: -1 }));

  const items = virtual ? virtualizer.getVirtualItems() : null;
  const visible = items === null ? order.map((rowIndex, i) => ({ key: i, rowIndex })) : items.map((it) => ({ key: it.key, rowIndex: order[it.index]! }));
  const padTop = items !== null && items.length > 0 ? items[0]!.start : 0;
  const padBottom = items !== null && items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;
  const colSpan = table.columns.length + (hasRanges ? 1 : 0);

  if (table.rows.length === 0) return <p className="px-1 py-2 text-sm text-zinc-500">No rows.</p>;
  return (
    <div ref={scrollRef} className={virtual ? "max-h-[480px] overflow-auto" : "overflow-x-auto"} data-testid={testId} data-rows={table.rows.length}>
      <table className="td-table">
        <thead className={virtual ? "sticky top-0 z-10 bg-white dark:bg-zinc-900" : undefined}>
          <tr>
            {table.columns.map((c, i) => {
              const active = sort?.col === i;
              return (
                <th
                  key={i}
                  scope="col"
                  aria-sort={active ? (sort.dir === 1 ? "ascending" : "descending") : "none"}
                  className={isNumericColumn(c) ? "text-right" : undefined}
                >
                  <button type="button" className="inline-flex items-center gap-1 hover:text-zinc-900 dark:hover:text-white" onClick={() => clickSort(i)}>
                    {columnHeader(c)}
                    <span aria-hidden className="w-2 text-[10px]">
                      {active ? (sort.dir === 1 ? "▲" : "▼") : ""}
                    </span>
                  </button>
                </th>
              );
            })}
            {hasRanges && (
              <th scope="col">
                <span className="sr-only">Time range</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && (
            <tr aria-hidden style={{ height: padTop }}>
              <td colSpan={colSpan} className="border-0 p-0" />
            </tr>
          )}
          {visible.map(({ key, rowIndex }) => {
            const row = table.rows[rowIndex]!;
            const range = table.ranges[rowIndex] ?? null;
            return (
              <tr key={key} data-row={rowIndex} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50" style={virtual ? { height: ROW_HEIGHT } : undefined}>
                {table.columns.map((c, i) => {
                  const text = formatCell(row[i] ?? null);
                  const fields = captureCols[i] ? parseCaptures(text) : null;
                  if (fields !== null)
                    return (
                      <td key={i} className="max-w-[420px]" title={text}>
                        <CaptureChips fields={fields} />
                      </td>
                    );
                  return (
                    <td
                      key={i}
                      className={`${isNumericColumn(c) ? "text-right " : ""}max-w-[360px] truncate whitespace-nowrap${c.class === "path" ? " font-mono text-xs" : ""}`}
                      title={text}
                    >
                      {text}
                    </td>
                  );
                })}
                {hasRanges && (
                  <td className="whitespace-nowrap text-right">
                    {range !== null && (
                      <Link
                        prefetch={false}
                        className="text-xs text-sky-700 hover:underline dark:text-sky-400"
                        href={timelineHref(trace, range)}
                        title="Show this span on the timeline"
                      >
                        timeline ↗
                      </Link>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden style={{ height: padBottom }}>
              <td colSpan={colSpan} className="border-0 p-0" />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** Captured fields as name = value chips (LAMI and the CLI keep lttng-analyses' dict text). */
function CaptureChips({ fields }: { fields: CaptureField[] }) {
  if (fields.length === 0) return <span className="text-zinc-400">—</span>;
  return (
    <ul className="flex flex-wrap gap-1" data-testid="capture-chips">
      {fields.map((f, i) => (
        <li key={i} className="whitespace-nowrap rounded bg-sky-50 px-1.5 font-mono text-xs dark:bg-sky-950/50" data-capture={f.name}>
          <span className="text-zinc-500">{f.name}</span> <span>{f.value}</span>
        </li>
      ))}
    </ul>
  );
}
