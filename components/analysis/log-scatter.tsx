"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from "recharts";
import { formatDuration, formatTimestamp } from "./lami-format";
import { timelineHref } from "./timeline-link";
import type { ResultTable } from "./types";

/** More SVG points than this make the page sluggish: keep the slowest row per time bucket. */
const MAX_POINTS = 2_000;

interface Point {
  /** ms since the table's begin. */
  x: number;
  /** µs. */
  y: number;
  row: number;
}

/**
 * A LAMI log table (iolog, schedlog, irqlog, periodlog) as latency against time. Each point is
 * a row: x is the start of the row's range, y its first duration column (else the length of
 * its range); both come from the analysis result. Clicking a point opens its span on the timeline.
 */
export function LogScatter({ table, trace, testId }: { table: ResultTable; trace: string; testId?: string }) {
  const router = useRouter();
  // Latencies span orders of magnitude (µs syscalls, ms outliers): a log axis shows both.
  const [logScale, setLogScale] = useState(false);
  const durationCol = table.columns.findIndex((c) => c.class === "duration");
  const { points, total } = useMemo(() => {
    const origin = BigInt(table.range[0]);
    const all: Point[] = [];
    table.rows.forEach((row, i) => {
      const range = table.ranges[i];
      if (range === null || range === undefined) return;
      const begin = BigInt(range[0]);
      const cell = durationCol >= 0 ? row[durationCol] : null;
      const ns = cell?.class === "duration" ? cell.value : Number(BigInt(range[1]) - begin);
      all.push({ x: Number(begin - origin) / 1e6, y: ns / 1e3, row: i });
    });
    if (all.length <= MAX_POINTS) return { points: all, total: all.length };
    let span = 1e-9;
    for (const p of all) if (p.x > span) span = p.x;
    const buckets = new Map<number, Point>();
    for (const p of all) {
      const b = Math.min(MAX_POINTS - 1, Math.floor((p.x / span) * MAX_POINTS));
      const cur = buckets.get(b);
      if (cur === undefined || p.y > cur.y) buckets.set(b, p);
    }
    return { points: [...buckets.values()], total: all.length };
  }, [table, durationCol]);

  const open = (p: Point | undefined) => {
    const range = p === undefined ? null : table.ranges[p.row];
    if (range) router.push(timelineHref(trace, range));
  };
  return (
    <figure className="w-full" data-testid={testId} data-points={points.length} aria-label={`${table.title}: latency over time`}>
      <div className="h-60 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <ScatterChart margin={{ top: 8, right: 12, bottom: 4, left: 4 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.12} />
            <XAxis
              type="number"
              dataKey="x"
              name="Time"
              unit=" ms"
              tick={{ fontSize: 11, fill: "currentColor" }}
              stroke="currentColor"
              strokeOpacity={0.4}
              domain={["dataMin", "dataMax"]}
              tickFormatter={(v: number) => v.toFixed(1)}
            />
            <YAxis
              type="number"
              dataKey="y"
              name="Latency"
              tick={{ fontSize: 11, fill: "currentColor" }}
              stroke="currentColor"
              strokeOpacity={0.4}
              width={72}
              scale={logScale ? "log" : "auto"}
              domain={logScale ? ["auto", "auto"] : [0, "auto"]}
              allowDataOverflow={logScale}
              tickFormatter={(v: number) => (v >= 1000 ? `${+(v / 1000).toFixed(2)} ms` : `${+v.toFixed(1)} µs`)}
            />
            <ZAxis range={[14, 14]} />
            <Tooltip
              cursor={{ strokeDasharray: "3 3" }}
              contentStyle={{ fontSize: 12 }}
              content={({ payload }) => {
                const p = payload?.[0]?.payload as Point | undefined;
                const range = p === undefined ? null : table.ranges[p.row];
                if (p === undefined || !range) return null;
                return (
                  <div className="rounded border border-zinc-200 bg-white px-2 py-1 text-xs shadow dark:border-zinc-700 dark:bg-zinc-900">
                    <div>{formatTimestamp(range[0])} UTC</div>
                    <div className="font-medium">{formatDuration(p.y * 1e3)}</div>
                    <div className="text-zinc-500">click: open on the timeline</div>
                  </div>
                );
              }}
            />
            <Scatter
              data={logScale ? points.filter((p) => p.y > 0) : points}
              fill="#0284c7"
              fillOpacity={0.7}
              isAnimationActive={false}
              onClick={(d) => open((d as { payload?: Point }).payload)}
              className="cursor-pointer"
            />
          </ScatterChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="flex flex-wrap items-center gap-x-3 text-xs text-zinc-500">
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} /> Log scale
        </label>
        <span>
          Latency of each row against the time it started (ms since {formatTimestamp(table.range[0])} UTC)
          {points.length < total ? `; ${points.length} of ${total} rows shown, the slowest in each time slice` : ""}.
        </span>
      </figcaption>
    </figure>
  );
}
