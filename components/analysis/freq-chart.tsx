"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { columnHeader, formatCell } from "./lami-format";
import type { ResultTable, WireValue } from "./types";

function num(v: WireValue | undefined): number {
  if (v === null || v === undefined) return 0;
  if (v.class === "number") return v.value ?? 0;
  if (v.class === "duration" || v.class === "size" || v.class === "ratio") return v.value;
  return 0;
}

/**
 * A LAMI frequency table (lower bound, upper bound, count: "freq", "freq_duration",
 * "freq_count", "freq_ratio") as a bar chart, one bar per bucket.
 */
export function FreqChart({ table, testId }: { table: ResultTable; testId?: string }) {
  const data = table.rows.map((r) => ({
    bucket: `${formatCell(r[0] ?? null)} – ${formatCell(r[1] ?? null)}`,
    lower: formatCell(r[0] ?? null),
    count: num(r[2]),
  }));
  const countTitle = table.columns[2] === undefined ? "Count" : columnHeader(table.columns[2]);
  return (
    <figure className="h-56 w-full" data-testid={testId} data-buckets={data.length} aria-label={`${table.title}: histogram`}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 12, bottom: 4, left: 4 }} barCategoryGap={1}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.12} vertical={false} />
          <XAxis dataKey="lower" tick={{ fontSize: 11, fill: "currentColor" }} interval="preserveStartEnd" minTickGap={24} stroke="currentColor" strokeOpacity={0.4} />
          <YAxis tick={{ fontSize: 11, fill: "currentColor" }} width={48} allowDecimals={false} stroke="currentColor" strokeOpacity={0.4} />
          <Tooltip
            cursor={{ fill: "rgba(14,165,233,0.08)" }}
            contentStyle={{ fontSize: 12 }}
            labelFormatter={(_l, p) => (p[0]?.payload as { bucket?: string } | undefined)?.bucket ?? ""}
            formatter={(v) => [String(v), countTitle]}
          />
          <Bar dataKey="count" fill="#0284c7" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
