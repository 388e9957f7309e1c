"use client";

import { useRef, useState } from "react";
import { Area, CartesianGrid, ComposedChart, Line, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ChartPoint, TimelineMarker } from "./timeline-model";

const Y_AXIS_PX = 76;
export const PLOT_MARGIN = { top: 14, right: 16, bottom: 4, left: 4 };
/** Pixels of the plot area for a panel of `px` width (what the server is asked for). */
export const plotWidth = (px: number) => Math.max(1, Math.round(px - Y_AXIS_PX - PLOT_MARGIN.left - PLOT_MARGIN.right));

function fmtMs(v: number): string {
  if (!Number.isFinite(v)) return "";
  if (v >= 1000) return `${+(v / 1000).toFixed(2)} s`;
  if (v >= 1) return `${+v.toFixed(2)} ms`;
  return `${+(v * 1000).toFixed(1)} µs`;
}

function clockOf(ms: number, withDate: boolean): string {
  const iso = new Date(ms).toISOString();
  return withDate ? `${iso.slice(5, 10)} ${iso.slice(11, 19)}` : iso.slice(11, 19);
}

export interface LatencyPanelProps {
  title: string;
  subtitle: string;
  points: (ChartPoint | { t: number })[];
  /** The window, ms since the epoch. */
  fromMs: number;
  toMs: number;
  /** ns, or null. */
  threshold: number | null;
  markers: TimelineMarker[];
  /** A drag across the plot: zoom to [a, b] (ms). */
  onBrush: (aMs: number, bMs: number) => void;
  testId?: string;
}

/**
 * One source's latency over the shared time axis: the [min, max] band, the [p50, p99] band,
 * p50 and p99 lines, one point per pixel as the server merged them. Panels share the cursor
 * (syncId). Drag to zoom; markers (spikes, snapshots) show their label on hover and open
 * their link on click.
 */
export function LatencyPanel({ title, subtitle, points, fromMs, toMs, threshold, markers, onBrush, testId }: LatencyPanelProps) {
  const [sel, setSel] = useState<{ a: number; b: number } | null>(null);
  const withDate = toMs - fromMs > 86_400_000;
  const valued = points.filter((p): p is ChartPoint => "count" in p);
  const total = valued.reduce((n, p) => n + p.count, 0);
  const worst = valued.reduce((m, p) => Math.max(m, p.max), 0);
  const wrap = useRef<HTMLDivElement>(null);
  // The time under the pointer, from its pixel (the plot may have no point there).
  const timeAt = (clientX: number): number | null => {
    const r = wrap.current?.getBoundingClientRect();
    if (r === undefined) return null;
    const left = PLOT_MARGIN.left + Y_AXIS_PX;
    const w = r.width - left - PLOT_MARGIN.right;
    const f = (clientX - r.left - left) / w;
    return f < 0 || f > 1 ? null : fromMs + f * (toMs - fromMs);
  };
  return (
    <figure
      className="td-card p-3"
      data-testid={testId}
      data-points={valued.length}
      data-values={total}
      data-max-ms={worst}
      aria-label={`${title}: latency over time`}
    >
      <figcaption className="mb-1 flex flex-wrap items-baseline gap-x-3 text-sm">
        <span className="font-semibold">{title}</span>
        <span className="font-mono text-xs text-zinc-500">{subtitle}</span>
        <span className="ml-auto text-xs text-zinc-500">
          {total.toLocaleString("en-US")} values · max {fmtMs(worst)}
        </span>
      </figcaption>
      <div
        ref={wrap}
        className="h-56 w-full cursor-crosshair select-none"
        onMouseDown={(e) => {
          const x = timeAt(e.clientX);
          if (x !== null) setSel({ a: x, b: x });
        }}
        onMouseMove={(e) => {
          const x = timeAt(e.clientX);
          if (sel !== null && x !== null) setSel({ ...sel, b: x });
        }}
        onMouseUp={() => {
          // A click is not a zoom: at least 4 px.
          if (sel !== null && Math.abs(sel.a - sel.b) > ((toMs - fromMs) / (wrap.current?.clientWidth ?? 1000)) * 4)
            onBrush(Math.min(sel.a, sel.b), Math.max(sel.a, sel.b));
          setSel(null);
        }}
        onMouseLeave={() => setSel(null)}
      >
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={points} syncId="latency-timeline" margin={PLOT_MARGIN}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.12} />
            <XAxis
              type="number"
              dataKey="t"
              domain={[fromMs, toMs]}
              allowDataOverflow
              tick={{ fontSize: 11, fill: "currentColor" }}
              stroke="currentColor"
              strokeOpacity={0.4}
              tickFormatter={(v: number) => clockOf(v, withDate)}
            />
            <YAxis
              width={Y_AXIS_PX}
              tick={{ fontSize: 11, fill: "currentColor" }}
              stroke="currentColor"
              strokeOpacity={0.4}
              domain={[0, "auto"]}
              tickFormatter={(v: number) => fmtMs(v)}
            />
            <Tooltip
              isAnimationActive={false}
              content={({ payload }) => {
                const p = payload?.[0]?.payload as ChartPoint | { t: number } | undefined;
                if (p === undefined || !("count" in p)) return null;
                return (
                  <div className="rounded border border-zinc-200 bg-white px-2 py-1 text-xs shadow dark:border-zinc-700 dark:bg-zinc-900">
                    <div className="font-mono">{clockOf(p.t, true)} UTC</div>
                    <div>{p.count.toLocaleString("en-US")} values</div>
                    <div>
                      min {fmtMs(p.min)} · p50 {fmtMs(p.p50)} · p90 {fmtMs(p.p90)}
                    </div>
                    <div>
                      p99 {fmtMs(p.p99)} · <span className="font-medium">max {fmtMs(p.max)}</span>
                    </div>
                  </div>
                );
              }}
            />
            <Area dataKey="minMax" stroke="none" fill="#0284c7" fillOpacity={0.12} isAnimationActive={false} connectNulls={false} name="min–max" />
            <Area dataKey="p50p99" stroke="none" fill="#0284c7" fillOpacity={0.3} isAnimationActive={false} connectNulls={false} name="p50–p99" />
            <Line dataKey="p99" stroke="#d97706" strokeWidth={1} dot={false} isAnimationActive={false} connectNulls={false} name="p99" />
            <Line dataKey="p50" stroke="#0369a1" strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} name="p50" />
            {threshold !== null && (
              <ReferenceLine
                y={threshold / 1e6}
                stroke="#dc2626"
                strokeDasharray="6 3"
                ifOverflow="extendDomain"
                label={{ value: `threshold ${fmtMs(threshold / 1e6)}`, position: "insideTopRight", fontSize: 11, fill: "#dc2626" }}
              />
            )}
            {markers.map((m) => {
              const t = Number(BigInt(m.tNs) / 1_000_000n);
              if (t < fromMs || t > toMs) return null;
              const color = m.kind === "spike" ? "#dc2626" : "#7c3aed";
              return (
                <ReferenceLine
                  key={`${m.kind}-${m.tNs}`}
                  x={t}
                  stroke={color}
                  strokeOpacity={0.6}
                  label={(props: { viewBox?: { x?: number; y?: number } }) => {
                    const x = props.viewBox?.x ?? 0;
                    const y = props.viewBox?.y ?? 0;
                    const shape = (
                      <>
                        <title>{m.label}</title>
                        <path
                          d={
                            m.kind === "spike"
                              ? `M${x - 6},${y - 12} L${x + 6},${y - 12} L${x},${y} Z`
                              : `M${x},${y - 12} L${x + 6},${y - 6} L${x},${y} L${x - 6},${y - 6} Z`
                          }
                          fill={color}
                        />
                      </>
                    );
                    // A real link (SVG <a>): it opens on click, in a new tab on middle-click, and is
                    // not the start of a brush (that re-render would swallow the click).
                    return m.href ? (
                      <a
                        href={m.href}
                        data-testid={`marker-${m.kind}`}
                        aria-label={m.label}
                        className="cursor-pointer"
                        onMouseDown={(e) => e.stopPropagation()}
                      >
                        {shape}
                      </a>
                    ) : (
                      <g data-testid={`marker-${m.kind}`} aria-label={m.label}>
                        {shape}
                      </g>
                    );
                  }}
                />
              );
            })}
            {sel !== null && sel.a !== sel.b && <ReferenceArea x1={Math.min(sel.a, sel.b)} x2={Math.max(sel.a, sel.b)} fill="#0284c7" fillOpacity={0.15} />}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
