"use client";

import { useMutation } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useTRPC } from "@/components/trpc/provider";
import type { LiveMessage } from "@/server/live/wire";
import { fieldsLine, LiveModel, periodDefinition, showValue, type LatencySource, type LiveEvent, type LiveRows } from "./live-model";

const ROW_PX = 20;
const fmt = new Intl.NumberFormat("en-US");

type Status = Extract<LiveMessage, { kind: "status" }>;
type Stats = Extract<LiveMessage, { kind: "stats" }>;
type Gap = Extract<LiveMessage, { kind: "gap" }>;

function Sparkline({ counts }: { counts: number[] }) {
  const max = Math.max(1, ...counts);
  const pts = counts.map((c, i) => `${(i / Math.max(1, counts.length - 1)) * 100},${20 - (c / max) * 18}`).join(" ");
  return (
    <svg viewBox="0 0 100 20" preserveAspectRatio="none" className="h-5 w-28" aria-hidden>
      <polyline points={pts} fill="none" stroke="currentColor" strokeWidth="1.2" vectorEffect="non-scaling-stroke" />
    </svg>
  );
}

function FilterBar({ onApply }: { onApply: (f: { names: string[]; where: string }) => void }) {
  const [names, setNames] = useState("");
  const [where, setWhere] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply({ names: names.split(/[\s,]+/).filter(Boolean), where: where.trim() });
  };
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-2" aria-label="Live filter">
      <label className="text-xs">
        Event names (globs)
        <input className="td-input block w-72 font-mono" value={names} onChange={(e) => setNames(e.target.value)} placeholder="tracedeck_demo:request_*" />
      </label>
      <label className="text-xs">
        Field predicate
        <input
          className="td-input block w-96 font-mono"
          value={where}
          onChange={(e) => setWhere(e.target.value)}
          placeholder="$evt.status == 503 && $evt.latency_ns > 50000000"
        />
      </label>
      <button type="submit" className="td-btn">
        Apply filter
      </button>
    </form>
  );
}

function LatencyControls({
  source,
  threshold,
  onSource,
  onThreshold,
}: {
  source: LatencySource;
  threshold: number;
  onSource: (s: LatencySource) => void;
  onThreshold: (ms: number) => void;
}) {
  const [kind, setKind] = useState<LatencySource["kind"]>(source.kind);
  const [event, setEvent] = useState("tracedeck_demo:request_end");
  const [field, setField] = useState("latency_ns");
  const [unit, setUnit] = useState<"ns" | "us" | "ms">("ns");
  const [begin, setBegin] = useState("tracedeck_demo:request_begin");
  const [end, setEnd] = useState("tracedeck_demo:request_end");
  const [key, setKey] = useState("id");
  const apply = (e: FormEvent) => {
    e.preventDefault();
    onSource(kind === "field" ? { kind, event, field, unit } : kind === "pair" ? { kind, begin, end, key } : { kind: "none" });
  };
  return (
    <form onSubmit={apply} className="flex flex-wrap items-end gap-2 text-xs" aria-label="Latency source">
      <label>
        Latency source
        <select className="td-input block" value={kind} onChange={(e) => setKind(e.target.value as LatencySource["kind"])}>
          <option value="none">none</option>
          <option value="field">a duration field</option>
          <option value="pair">a begin/end pair</option>
        </select>
      </label>
      {kind === "field" && (
        <>
          <label>
            Event
            <input className="td-input block w-64 font-mono" value={event} onChange={(e) => setEvent(e.target.value)} />
          </label>
          <label>
            Field
            <input className="td-input block w-28 font-mono" value={field} onChange={(e) => setField(e.target.value)} />
          </label>
          <label>
            Unit
            <select className="td-input block" value={unit} onChange={(e) => setUnit(e.target.value as "ns" | "us" | "ms")}>
              <option>ns</option>
              <option>us</option>
              <option>ms</option>
            </select>
          </label>
        </>
      )}
      {kind === "pair" && (
        <>
          <label>
            Begin event
            <input className="td-input block w-64 font-mono" value={begin} onChange={(e) => setBegin(e.target.value)} />
          </label>
          <label>
            End event
            <input className="td-input block w-64 font-mono" value={end} onChange={(e) => setEnd(e.target.value)} />
          </label>
          <label>
            Paired by field
            <input className="td-input block w-20 font-mono" value={key} onChange={(e) => setKey(e.target.value)} />
          </label>
        </>
      )}
      <button type="submit" className="td-btn">
        Show latency
      </button>
      <label>
        Threshold (ms)
        <input
          className="td-input block w-20"
          type="number"
          min={0}
          step="any"
          value={threshold}
          onChange={(e) => onThreshold(Number(e.target.value))}
          aria-label="Threshold (ms)"
        />
      </label>
    </form>
  );
}

/** Reads the stream; re-subscribes when the input changes (a new filter). */
function StreamReader({
  input,
  onMessage,
  onError,
}: {
  input: { session: string; relay?: string; filter: { names: string[]; where: string } };
  onMessage: (m: LiveMessage) => void;
  onError: (msg: string) => void;
}) {
  const trpc = useTRPC();
  useSubscription(trpc.live.stream.subscriptionOptions(input, { onData: onMessage, onError: (e) => onError(e.message) }));
  return null;
}

/**
 * Keeps the Live page's latency source as a stored one of this session (server/spikes): its
 * values then go into the history the Timeline draws and spike rules watch, whether or not a
 * page is open. The page's own chart is computed in the browser from what it received.
 */
function RecordSource({ session, source }: { session: string; source: Exclude<LatencySource, { kind: "none" }> }) {
  const trpc = useTRPC();
  const save = useMutation(trpc.spikes.sources.upsert.mutationOptions());
  const definition =
    source.kind === "field"
      ? { kind: "field" as const, event: source.event, field: source.field, unit: source.unit }
      : { kind: "period" as const, definition: periodDefinition(source) };
  const name = (source.kind === "field" ? `${source.event}.${source.field}` : `${source.begin} → ${source.end}`).slice(0, 80);
  if (save.data)
    return (
      <p className="text-xs text-zinc-600 dark:text-zinc-400" role="status">
        Recorded as the latency source {save.data.name} of {session}:{" "}
        <Link className="text-sky-600 hover:underline" href={`/timeline?sources=${save.data.id}`}>
          Timeline
        </Link>
        ,{" "}
        <Link className="text-sky-600 hover:underline" href="/spikes">
          spike rules
        </Link>
        .
      </p>
    );
  return (
    <div className="flex flex-wrap items-center gap-2 text-xs">
      <button type="button" className="td-btn" disabled={save.isPending} onClick={() => save.mutate({ name, sessionName: session, definition })}>
        Record on the Timeline
      </button>
      <span className="text-zinc-500">keeps this latency per second while {session} streams, for the Timeline and spike rules</span>
      {save.error && (
        <p role="alert" className="w-full text-red-600">
          {save.error.message}
        </p>
      )}
    </div>
  );
}

/** `/live/<session>`: the session's events as they are recorded, with rates and a latency chart. */
export function LiveView({ session, relay, canOperate = false }: { session: string; relay?: string; canOperate?: boolean }) {
  const [filter, setFilter] = useState({ names: [] as string[], where: "" });
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<Status | null>(null);
  const [stats, setStats] = useState<Stats | null>(null);
  const [gaps, setGaps] = useState<Gap[]>([]);
  const [ended, setEnded] = useState<string | null>(null);
  const [paused, setPaused] = useState(false);
  const [follow, setFollow] = useState(true);
  const [selected, setSelected] = useState<LiveEvent | null>(null);
  const [source, setSource] = useState<LatencySource>({ kind: "none" });
  const [threshold, setThreshold] = useState(50);
  const [, setVersion] = useState(0);
  const model = useRef(new LiveModel());
  /** The rows as they were when the user paused (the model keeps receiving). */
  const [frozen, setFrozen] = useState<LiveRows | null>(null);
  const dirty = useRef(false);
  const receivedAtPause = useRef(0);

  // Re-render at most every 200 ms, whatever the event rate.
  useEffect(() => {
    const t = setInterval(() => {
      if (!dirty.current) return;
      dirty.current = false;
      setVersion((v) => v + 1);
    }, 200);
    return () => clearInterval(t);
  }, []);

  const onMessage = (m: LiveMessage) => {
    switch (m.kind) {
      case "events":
        model.current.add(m.events, m.skipped);
        dirty.current = true;
        return;
      case "status":
        setStatus(m);
        return;
      case "stats":
        setStats(m);
        return;
      case "gap":
        setGaps((g) => [...g.slice(-9), m]);
        return;
      case "end":
        setEnded(m.reason);
        return;
    }
  };

  const applyFilter = (f: { names: string[]; where: string }) => {
    setError(null);
    setEnded(null);
    model.current = new LiveModel(source);
    setFrozen(null);
    setPaused(false);
    setFilter(f);
  };

  const shown = paused && frozen ? frozen : model.current.rows;
  const togglePause = () => {
    if (paused) {
      setFrozen(null);
      setPaused(false);
    } else {
      setFrozen(model.current.rows.snapshot());
      receivedAtPause.current = model.current.received;
      setPaused(true);
    }
  };
  const parent = useRef<HTMLDivElement>(null);
  const virt = useVirtualizer({ count: shown.length, getScrollElement: () => parent.current, estimateSize: () => ROW_PX, overscan: 20 });
  const rowCount = shown.length;
  useEffect(() => {
    if (follow && !paused && rowCount > 0) virt.scrollToIndex(rowCount - 1, { align: "end" });
  });

  const input = useMemo(() => ({ session, filter, ...(relay ? { relay } : {}) }), [session, relay, filter]);
  const sparks = model.current.sparklines();
  const series = model.current.latencySeries();
  const aboveThreshold = series.filter((p) => p.max > threshold).length;
  const held = paused ? model.current.received - receivedAtPause.current : 0;

  return (
    <div className="space-y-3">
      {!ended && <StreamReader key={JSON.stringify(filter)} input={input} onMessage={onMessage} onError={setError} />}
      <section className="td-card space-y-2 p-4" aria-label="Stream">
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <span data-testid="live-state" data-state={error ? "error" : (status?.state ?? "connecting")} className="font-medium">
            {error ? "Error" : (status?.message ?? "Connecting…")}
          </span>
          {status?.liveTimerUs !== undefined && <span className="text-xs text-zinc-500">live timer {status.liveTimerUs / 1000} ms</span>}
          <span className="text-xs text-zinc-500" data-testid="live-counters">
            {fmt.format(model.current.received)} events received here
            {stats
              ? ` · ${fmt.format(stats.channel.receivedPerSecond)}/s at the server · delivered ${fmt.format(stats.subscriber.delivered)} · skipped ${fmt.format(stats.subscriber.skipped)} · discarded by the tracer ${fmt.format(stats.channel.discardedEvents)} · lost packets ${fmt.format(stats.channel.lostPackets)}`
              : ""}
          </span>
          <span className="ml-auto flex gap-2">
            <button type="button" className="td-btn" onClick={togglePause} aria-pressed={paused}>
              {paused ? "Resume" : "Pause"}
            </button>
            <label className="flex items-center gap-1 text-xs">
              <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
            </label>
          </span>
        </div>
        {error && (
          <p role="alert" className="text-sm text-red-600">
            {error}
          </p>
        )}
        {ended && (
          <p role="status" data-testid="live-ended" className="text-sm text-zinc-600">
            {ended}
          </p>
        )}
        {gaps.map((g, i) => (
          <p
            key={i}
            role="status"
            data-testid="live-gap"
            className="rounded border border-amber-300 bg-amber-50 px-2 py-1 text-xs text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
          >
            Gap of {(g.durationMs / 1000).toFixed(1)} s after {g.afterNs === null ? "the start" : `${g.afterNs}`}: {g.reason}
          </p>
        ))}
        <FilterBar onApply={applyFilter} />
      </section>

      <section className="td-card p-4" aria-label="Events per second">
        <h2 className="mb-1 text-sm font-semibold">Events per second, per name (last minute)</h2>
        <ul className="grid grid-cols-1 gap-x-6 gap-y-1 text-xs md:grid-cols-2" data-testid="live-rates">
          {sparks.map((s) => (
            <li key={s.name} className="flex items-center gap-2 text-sky-700 dark:text-sky-400" data-name={s.name}>
              <Sparkline counts={s.counts} />
              <span className="w-16 text-right text-zinc-700 dark:text-zinc-300">{fmt.format(s.perSecond)}/s</span>
              <span className="truncate font-mono text-zinc-700 dark:text-zinc-300">{s.name}</span>
            </li>
          ))}
          {sparks.length === 0 && <li className="text-zinc-500">No event yet.</li>}
        </ul>
      </section>

      <section className="td-card space-y-2 p-4" aria-label="Latency">
        <LatencyControls
          source={source}
          threshold={threshold}
          onSource={(s) => {
            model.current.setSource(s);
            setSource(s);
          }}
          onThreshold={setThreshold}
        />
        {source.kind !== "none" && (
          <>
            <p className="font-mono text-[11px] text-zinc-500">{periodDefinition(source)}</p>
            {/* The recorder reads this server's relay: a session on another relay cannot be recorded from here. */}
            {canOperate && relay === undefined && <RecordSource key={periodDefinition(source)} session={session} source={source} />}
            <div className="h-64" data-testid="latency-chart" data-points={series.length} data-above={aboveThreshold}>
              <ResponsiveContainer width="100%" height="100%">
                <LineChart data={series} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
                  <XAxis dataKey="sec" tickFormatter={(s: number) => new Date(s * 1000).toISOString().slice(11, 19)} fontSize={11} />
                  <YAxis fontSize={11} unit=" ms" />
                  <Tooltip labelFormatter={(s) => new Date(Number(s) * 1000).toISOString().slice(11, 19)} formatter={(v) => `${Number(v).toFixed(3)} ms`} />
                  <Legend />
                  <Line type="monotone" dataKey="p50" stroke="#0284c7" dot={false} isAnimationActive={false} />
                  <Line type="monotone" dataKey="p99" stroke="#d97706" dot={false} isAnimationActive={false} />
                  <Line type="monotone" dataKey="max" stroke="#dc2626" dot={false} isAnimationActive={false} />
                  <ReferenceLine
                    y={threshold}
                    stroke="#7c3aed"
                    strokeDasharray="6 3"
                    label={{ value: `threshold ${threshold} ms`, fontSize: 11, position: "insideTopRight" }}
                  />
                </LineChart>
              </ResponsiveContainer>
            </div>
            <p className="text-xs text-zinc-600" data-testid="latency-summary">
              {series.length} seconds · {aboveThreshold} with a maximum above {threshold} ms
            </p>
          </>
        )}
      </section>

      <section className="td-card p-4" aria-label="Events">
        <div className="mb-1 flex items-baseline gap-3 text-xs text-zinc-500">
          <span data-testid="live-row-count">{fmt.format(shown.length)} rows</span>
          {paused && <span data-testid="live-held">paused: {fmt.format(Math.max(held, 0))} new events held</span>}
          {model.current.dropped > 0 && <span>(oldest {fmt.format(model.current.dropped)} dropped from the table)</span>}
        </div>
        <div
          ref={parent}
          className="h-[420px] overflow-auto rounded border border-zinc-200 bg-zinc-50 font-mono text-[12px] dark:border-zinc-800 dark:bg-zinc-950"
          data-testid="live-events"
          onWheel={(e) => {
            if (e.deltaY < 0) setFollow(false);
          }}
        >
          <div style={{ height: virt.getTotalSize(), position: "relative" }}>
            {virt.getVirtualItems().map((v) => {
              const e = shown.at(v.index);
              return (
                <button
                  type="button"
                  key={e.seq}
                  data-testid="live-row"
                  data-name={e.name}
                  onClick={() => setSelected(e)}
                  className="absolute left-0 top-0 w-full truncate whitespace-pre px-2 text-left hover:bg-sky-100 dark:hover:bg-sky-950"
                  style={{ height: ROW_PX, transform: `translateY(${v.start}px)` }}
                >
                  [{e.time}] {e.name}: {`{ ${fieldsLine(e)} }`}
                </button>
              );
            })}
          </div>
        </div>
        {selected && (
          <div className="mt-2 rounded border border-zinc-200 p-2 text-xs dark:border-zinc-800" data-testid="live-row-details">
            <div className="mb-1 flex items-center gap-2">
              <span className="font-mono font-semibold">{selected.name}</span>
              <span className="font-mono">
                [{selected.time}] · {selected.tsNs.toString()} ns · cpu {selected.cpu}
              </span>
              <button type="button" className="td-btn ml-auto" onClick={() => setSelected(null)}>
                Close
              </button>
            </div>
            <table className="td-table">
              <tbody>
                {[
                  ...Object.entries(selected.context).map(([k, v]) => ["context", k, v] as const),
                  ...Object.entries(selected.payload).map(([k, v]) => ["payload", k, v] as const),
                ].map(([scope, k, v]) => (
                  <tr key={scope + k}>
                    <td className="text-zinc-500">{scope}</td>
                    <td className="font-mono">{k}</td>
                    <td className="font-mono">{showValue(v)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
