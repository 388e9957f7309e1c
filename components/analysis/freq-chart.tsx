"use client";

import { useId, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { logBuckets, logCount, type FreqBucket } from "./freq-scale";
import { columnHeader, formatCell, formatDuration, formatSize } from "./lami-format";
import type { ResultTable, WireValue } from "./types";

function num(v: WireValue | undefined): number {
  if (v === null || v === undefined) return 0;
  if (v.class === "number") return v.value ?? 0;
  if (v.class === "duration" || v.class === "size" || v.class === "ratio") return v.value;
  return 0;
}

/** A bucket bound as shown: durations in their unit, anything else as LAMI formats it. */
function bound(v: WireValue | null, n: number): string {
  if (v?.class === "duration") return formatDuration(n);
  if (v?.class === "size") return formatSize(n);
  if (v?.class === "ratio") return formatCell({ ...v, value: n });
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: 3 }).format(n);
}

/** Bar colours of the series of one chart (periodfreq --freq-series: one series per group). */
const SERIES_COLORS = ["#0284c7", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#ec4899", "#14b8a6", "#84cc16"];

/**
 * A LAMI frequency table (lower bound, upper bound, then one count column per series:
 * "freq", "freq_duration", "freq_count", "freq_ratio" have one, periodfreq --freq-series
 * one per group) as a bar chart, one group of bars per bucket. Two toggles show it on log
 * scales: the count axis, and duration buckets merged geometrically (freq-scale.ts).
 */
export function FreqChart({ table, testId }: { table: ResultTable; testId?: string }) {
  const id = useId();
  const [logY, setLogY] = useState(false);
  const [logX, setLogX] = useState(false);
  const series = table.columns.slice(2).map((c, i) => ({ key: `s${i}`, title: columnHeader(c), color: SERIES_COLORS[i % SERIES_COLORS.length]! }));
  if (series.length === 0) series.push({ key: "s0", title: "Count", color: SERIES_COLORS[0]! });
  const kind = table.rows[0]?.[0] ?? null;
  const linear: FreqBucket[] = table.rows.map((r) => ({ lower: num(r[0]), upper: num(r[1]), counts: series.map((_, i) => num(r[2 + i])) }));
  const buckets = logX ? logBuckets(linear) : linear;
  const data = buckets.map((b) => {
    const point: Record<string, string | number | null> = {
      bucket: `${bound(kind, b.lower)} – ${bound(kind, b.upper)}`,
      lower: bound(kind, b.lower),
    };
    series.forEach((s, i) => (point[s.key] = logY ? logCount(b.counts[i] ?? 0) : (b.counts[i] ?? 0)));
    return point;
  });
  const titles = new Map(series.map((s) => [s.key, s.title]));
  const firstStep = linear[0] ? linear[0].upper - linear[0].lower : 0;
  return (
    <div>
      <div className="mb-1 flex flex-wrap items-center gap-4 text-xs text-zinc-600 dark:text-zinc-400" role="group" aria-label="Histogram scale">
        <label className="flex items-center gap-1" htmlFor={`${id}-logy`}>
          <input id={`${id}-logy`} type="checkbox" checked={logY} onChange={(e) => setLogY(e.target.checked)} />
          Log count axis
        </label>
        {kind?.class === "duration" && (
          <label className="flex items-center gap-1" htmlFor={`${id}-logx`}>
            <input id={`${id}-logx`} type="checkbox" checked={logX} onChange={(e) => setLogX(e.target.checked)} />
            Log duration buckets
          </label>
        )}
        {logX && (
          <span className="text-zinc-500">
            Adjacent buckets merged, each at least twice as wide; the first keeps the analysis&apos;s step ({formatDuration(firstStep)}): raise the frequency
            resolution to split it.
          </span>
        )}
      </div>
      <figure
        className="h-56 w-full"
        data-testid={testId}
        data-buckets={data.length}
        data-series={series.length}
        data-log-y={logY}
        data-log-x={logX}
        aria-label={`${table.title}: histogram`}
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 12, bottom: 4, left: 4 }} barCategoryGap={1}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.12} vertical={false} />
            <XAxis
              dataKey="lower"
              tick={{ fontSize: 11, fill: "currentColor" }}
              interval="preserveStartEnd"
              minTickGap={24}
              stroke="currentColor"
              strokeOpacity={0.4}
            />
            <YAxis
              tick={{ fontSize: 11, fill: "currentColor" }}
              width={48}
              allowDecimals={false}
              stroke="currentColor"
              strokeOpacity={0.4}
              // Below 1 so that a bucket of one event still shows a bar on the log axis.
              {...(logY
                ? {
                    scale: "log" as const,
                    domain: [0.5, "auto"] as [number, string],
                    allowDataOverflow: true,
                    tickFormatter: (v: number) => (v >= 1 ? String(Math.round(v)) : ""),
                  }
                : {})}
            />
            <Tooltip
              cursor={{ fill: "rgba(14,165,233,0.08)" }}
              contentStyle={{ fontSize: 12 }}
              labelFormatter={(_l, p) => (p[0]?.payload as { bucket?: string } | undefined)?.bucket ?? ""}
              formatter={(v, key) => [v === null ? "0" : String(v), titles.get(String(key)) ?? String(key)]}
            />
            {series.length > 1 && <Legend formatter={(key) => titles.get(String(key)) ?? String(key)} wrapperStyle={{ fontSize: 11 }} />}
            {series.map((s) => (
              <Bar key={s.key} dataKey={s.key} fill={s.color} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
