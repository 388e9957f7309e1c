"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTRPC } from "@/components/trpc/provider";
import { LatencyPanel, plotWidth } from "./latency-panel";
import { SourcesPanel } from "./sources-panel";
import {
  NOW,
  PRESETS,
  REFRESH_CHOICES,
  chartPoints,
  formatTimeRef,
  isFollowing,
  panned,
  parseThreshold,
  parseTimeRef,
  refreshMs,
  resolveTimeRef,
  stateFromParams,
  stateToQuery,
  withWindow,
  zoomed,
  type Refresh,
  type TimelineMarker,
  type TimelineState,
} from "./timeline-model";

const MAX_WIDTH = 4000;
const nowNs = () => BigInt(Date.now()) * 1_000_000n;

/**
 * The latency timeline, Grafana-like: sources on one shared time axis, the range and the
 * sources in the URL (a link reproduces the view), presets and "follow" (the window ends now
 * and refreshes), brush to zoom with back, pan, a threshold line, spike and snapshot markers.
 * Auto-refresh pauses while the pointer is over the charts (someone is reading them).
 * Spike markers link to their snapshot's report; snapshot markers to the archive.
 */
export function LatencyTimeline() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const state = useMemo(() => stateFromParams(new URLSearchParams(params.toString())), [params]);
  const [history, setHistory] = useState<TimelineState[]>([]);
  const [inspecting, setInspecting] = useState(false);
  const [tick, setTick] = useState(nowNs);
  // Unknown until the panels' box is laid out: no query at a guessed width (it would be drawn, then redrawn).
  const [width, setWidth] = useState<number | null>(null);
  const [thresholdDraft, setThresholdDraft] = useState(state.thresholdText);
  const box = useRef<HTMLDivElement>(null);

  const go = (next: TimelineState, remember = true) => {
    if (remember) setHistory((h) => [...h.slice(-19), state]);
    // Keep what else the URL carries (the range-events view's trace/begin/end).
    const q = new URLSearchParams(params.toString());
    for (const k of ["sources", "from", "to", "refresh", "threshold"]) q.delete(k);
    const extra = q.toString();
    router.replace(`${pathname}?${stateToQuery(next)}${extra ? `&${extra}` : ""}`, { scroll: false });
  };

  const following = isFollowing(state);
  const every = refreshMs(state.refresh);
  useEffect(() => {
    setTick(nowNs());
    if (every === false || inspecting || state.to.kind === "abs") return;
    const id = setInterval(() => setTick(nowNs()), every);
    return () => clearInterval(id);
  }, [every, inspecting, state.to.kind, state.from, state.to]);

  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const ro = new ResizeObserver(([e]) => e && setWidth(Math.min(MAX_WIDTH, plotWidth(e.contentRect.width))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const fromNs = resolveTimeRef(state.from, tick);
  const toNs = resolveTimeRef(state.to, tick);
  const sources = useQuery(trpc.spikes.sources.list.queryOptions());
  const history_ = useQuery({
    ...trpc.spikes.history.queryOptions({ sourceIds: state.sources, from: fromNs.toString(), to: toNs.toString(), width: width ?? 1 }),
    enabled: width !== null && state.sources.length > 0 && toNs > fromNs,
    placeholderData: keepPreviousData,
  });
  const shown = (sources.data ?? []).filter((s) => state.sources.includes(s.id));
  const sessions = [...new Set(shown.map((s) => s.sessionName).filter((s): s is string => s !== null))];
  const snapshots = useQuery({
    ...trpc.spikes.snapshots.queryOptions({ from: fromNs.toString(), to: toNs.toString(), sessions }),
    enabled: shown.length > 0,
    placeholderData: keepPreviousData,
  });
  const spikes = useQuery({
    ...trpc.spikeRules.spikes.queryOptions({ fromNs: fromNs.toString(), toNs: toNs.toString(), sourceIds: state.sources }),
    enabled: state.sources.length > 0 && toNs > fromNs,
    placeholderData: keepPreviousData,
  });
  const spikeMarkers: TimelineMarker[] = (spikes.data ?? []).map((sp) => ({
    tNs: sp.tsNs.toString(),
    kind: "spike",
    label: `${(Number(sp.valueNs) / 1e6).toFixed(1)} ms > ${(Number(sp.thresholdNs) / 1e6).toFixed(1)} ms: rule ${sp.ruleName} (${sp.detection}), ${sp.outcome}`,
    // Its snapshot's report, which opens at this spike's own request.
    href: sp.archive ? `/archives/${sp.archive.id}` : undefined,
    sourceId: sp.sourceId,
  }));
  const snapshotMarkers: TimelineMarker[] = (snapshots.data ?? []).map((a) => ({
    tNs: a.tNs.toString(),
    kind: "snapshot",
    label: `Snapshot of ${a.session} (${a.cause})`,
    href: `/archives/${a.id}`,
    sourceId: null,
  }));

  const fromMs = Number(fromNs / 1_000_000n);
  const toMs = Number(toNs / 1_000_000n);
  const btn = "rounded border border-zinc-300 px-2 py-0.5 text-xs hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800";
  const active = "bg-sky-600 text-white border-sky-600 hover:bg-sky-700";
  return (
    <div className="space-y-3">
      <div className="td-card flex flex-wrap items-center gap-2 p-2" role="toolbar" aria-label="Time range">
        {PRESETS.map((p) => {
          const on = following && formatTimeRef(state.from) === p.from;
          return (
            <button
              key={p.from}
              type="button"
              className={`${btn} ${on ? active : ""}`}
              onClick={() => go({ ...state, from: parseTimeRef(p.from)!, to: NOW, refresh: state.refresh === "off" ? "5s" : state.refresh })}
            >
              {p.label}
            </button>
          );
        })}
        <button
          type="button"
          className={`${btn} ${following ? active : ""}`}
          aria-pressed={following}
          onClick={() => {
            const span = toNs - fromNs;
            go({
              ...state,
              from: { kind: "rel", agoNs: span > 0n ? span : 300_000_000_000n },
              to: NOW,
              refresh: state.refresh === "off" ? "5s" : state.refresh,
            });
          }}
        >
          Follow
        </button>
        <span className="mx-1 h-4 w-px bg-zinc-300 dark:bg-zinc-700" />
        <button type="button" className={btn} aria-label="Pan back" onClick={() => go(withWindow(state, ...panned(fromNs, toNs, -0.5)))}>
          ◀
        </button>
        <button type="button" className={btn} aria-label="Zoom out" onClick={() => go(withWindow(state, ...zoomed(fromNs, toNs, 2)))}>
          Zoom out
        </button>
        <button type="button" className={btn} aria-label="Pan forward" onClick={() => go(withWindow(state, ...panned(fromNs, toNs, 0.5)))}>
          ▶
        </button>
        <button
          type="button"
          className={btn}
          disabled={history.length === 0}
          onClick={() => {
            const prev = history.at(-1);
            if (prev === undefined) return;
            setHistory((h) => h.slice(0, -1));
            go(prev, false);
          }}
        >
          Back
        </button>
        <span className="mx-1 h-4 w-px bg-zinc-300 dark:bg-zinc-700" />
        <label className="flex items-center gap-1 text-xs">
          Refresh
          <select
            className="rounded border border-zinc-300 bg-transparent text-xs dark:border-zinc-700"
            value={state.refresh}
            onChange={(e) => go({ ...state, refresh: e.target.value as Refresh }, false)}
          >
            {REFRESH_CHOICES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <form
          className="flex items-center gap-1 text-xs"
          onSubmit={(e) => {
            e.preventDefault();
            const ns = parseThreshold(thresholdDraft);
            go({ ...state, threshold: ns, thresholdText: ns === null ? "" : thresholdDraft.trim() }, false);
          }}
        >
          <label className="flex items-center gap-1">
            Threshold
            <input
              className="w-20 rounded border border-zinc-300 bg-transparent px-1 dark:border-zinc-700"
              value={thresholdDraft}
              onChange={(e) => setThresholdDraft(e.target.value)}
              placeholder="50ms"
              maxLength={16}
            />
          </label>
        </form>
        {/* A relative range is "now" on the server, then "now" again in the browser a moment later. */}
        <span className="ml-auto font-mono text-xs text-zinc-500" data-testid="timeline-range" suppressHydrationWarning>
          {new Date(fromMs).toISOString().slice(0, 19).replace("T", " ")} → {new Date(toMs).toISOString().slice(11, 19)} UTC
          {following ? (inspecting ? " · paused" : " · following") : ""}
        </span>
      </div>
      <SourcesPanel
        selected={state.sources}
        onToggle={(id, on) => go({ ...state, sources: on ? [...new Set([...state.sources, id])].slice(0, 8) : state.sources.filter((s) => s !== id) }, false)}
      />
      <div ref={box} className="space-y-3" onMouseEnter={() => setInspecting(true)} onMouseLeave={() => setInspecting(false)}>
        {history_.error && (
          <p role="alert" className="text-sm text-red-600">
            {history_.error.message}
          </p>
        )}
        {state.sources.length === 0 && <p className="text-sm text-zinc-500">Choose a latency source above to draw its latency over time.</p>}
        {shown.map((s) => {
          const series = history_.data?.series.find((x) => x.sourceId === s.id);
          return (
            <LatencyPanel
              key={s.id}
              testId={`latency-panel-${s.id}`}
              title={s.name}
              subtitle={`${s.label}${s.sessionName ? ` · ${s.sessionName}` : ""}`}
              points={series ? chartPoints(series.points, series.bucketNs) : []}
              fromMs={fromMs}
              toMs={toMs}
              threshold={state.threshold}
              markers={[...spikeMarkers.filter((m) => m.sourceId === null || m.sourceId === s.id), ...snapshotMarkers]}
              onBrush={(a, b) => go(withWindow(state, BigInt(Math.floor(a)) * 1_000_000n, BigInt(Math.ceil(b)) * 1_000_000n))}
            />
          );
        })}
      </div>
    </div>
  );
}
