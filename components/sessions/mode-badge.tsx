const STYLES: Record<string, { label: string; cls: string; title: string }> = {
  local: { label: "local", cls: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200", title: "Records to a local directory" },
  network: { label: "streaming", cls: "bg-indigo-100 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-300", title: "Streams to lttng-relayd" },
  live: {
    label: "live",
    cls: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
    title: "Live: readable while recording, through the relay",
  },
  snapshot: {
    label: "snapshot",
    cls: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
    title: "In-memory ring buffer; written on `snapshot record`",
  },
  "no-output": { label: "no output", cls: "bg-zinc-100 text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400", title: "Created with --no-output" },
};

export function ModeBadge({ mode, liveTimerUs, rotation }: { mode: string; liveTimerUs?: number | null; rotation?: string | null }) {
  const s = STYLES[mode] ?? { label: mode, cls: "bg-zinc-100", title: mode };
  return (
    <span className="inline-flex items-center gap-1 whitespace-nowrap">
      <span title={s.title} className={`rounded px-1.5 py-0.5 text-[11px] font-semibold uppercase tracking-wide ${s.cls}`}>
        {s.label}
        {mode === "live" && liveTimerUs ? ` · ${liveTimerUs >= 1_000_000 ? `${liveTimerUs / 1_000_000} s` : `${liveTimerUs / 1000} ms`}` : ""}
      </span>
      {rotation && (
        <span className="rounded bg-sky-100 px-1.5 py-0.5 text-[11px] font-semibold uppercase tracking-wide text-sky-800 dark:bg-sky-950 dark:text-sky-300">
          rotation · {rotation}
        </span>
      )}
    </span>
  );
}
