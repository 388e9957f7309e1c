"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { columnHeader, formatCell } from "./lami-format";
import type { ResultTable, WireValue } from "./types";

function num(v: WireValue | undefined): number {
  if (v === null || v === undefined) return 0;
  if (v.class === "number") return v.value ?? 0;
  if (v.class === "duration" || v.class === "size" || v.class === "ratio") return v.value;
  return 0;
}

/** Bar colours of the series of one chart (periodfreq --freq-series: one series per group). */
const SERIES_COLORS = ["#0284c7", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#ec4899", "#14b8a6", "#84cc16"];

/**
 * A LAMI frequency table (lower bound, upper bound, then one count column per series:
 * "freq", "freq_duration", "freq_count", "freq_ratio" have one, periodfreq --freq-series
 * one per group) as a bar chart, one group of bars per bucket.
 */
export function FreqChart({ table, testId }: { table: ResultTable; testId?: string }) {
  const series = table.columns.slice(2).map((c, i) => ({ key: `s${i}`, title: columnHeader(c), color: SERIES_COLORS[i % SERIES_COLORS.length]! }));
  if (series.length === 0) series.push({ key: "s0", title: "Count", color: SERIES_COLORS[0]! });
  const data = table.rows.map((r) => {
    const point: Record<string, string | number> = {
      bucket: `${formatCell(r[0] ?? null)} – ${formatCell(r[1] ?? null)}`,
      lower: formatCell(r[0] ?? null),
    };
    series.forEach((s, i) => (point[s.key] = num(r[2 + i])));
    return point;
  });
  const titles = new Map(series.map((s) => [s.key, s.title]));
  return (
    <figure className="h-56 w-full" data-testid={testId} data-buckets={data.length} data-series={series.length} aria-label={`${table.title}: histogram`}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 12, bottom: 4, left: 4 }} barCategoryGap={1}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.12} vertical={false} />
          <XAxis dataKey="lower" tick={{ fontSize: 11, fill: "currentColor" }} interval="preserveStartEnd" minTickGap={24} stroke="currentColor" strokeOpacity={0.4} />
          <YAxis tick={{ fontSize: 11, fill: "currentColor" }} width={48} allowDecimals={false} stroke="currentColor" strokeOpacity={0.4} />
          <Tooltip
            cursor={{ fill: "rgba(14,165,233,0.08)" }}
            contentStyle={{ fontSize: 12 }}
            labelFormatter={(_l, p) => (p[0]?.payload as { bucket?: string } | undefined)?.bucket ?? ""}
            formatter={(v, key) => [String(v), titles.get(String(key)) ?? String(key)]}
          />
          {series.length > 1 && <Legend formatter={(key) => titles.get(String(key)) ?? String(key)} wrapperStyle={{ fontSize: 11 }} />}
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
