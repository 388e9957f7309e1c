"use client";

import { useQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { useRef } from "react";
import { useTRPC } from "@/components/trpc/provider";

const ROW_PX = 20;

/** Epoch ns (decimal string) → `HH:MM:SS.nnnnnnnnn` UTC, exact (no float rounding). */
function clock(ns: string): string {
  const n = BigInt(ns);
  const sec = n / 1_000_000_000n;
  const frac = (n % 1_000_000_000n).toString().padStart(9, "0");
  return `${new Date(Number(sec) * 1000).toISOString().slice(11, 19)}.${frac}`;
}

/**
 * The events of one time range of a trace, as babeltrace2 prints them: what the machine did
 * while an analysis row's request, syscall or IRQ was running. Long ranges are virtualised.
 */
export function RangeEvents({ trace, begin, end }: { trace: string; begin?: string; end?: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.timeline.events.queryOptions({ trace, begin, end, limit: 20_000 }, { staleTime: Infinity }));
  const parent = useRef<HTMLDivElement>(null);
  const lines = q.data?.lines ?? [];
  // Long lines (many fields) wrap: rows are measured once rendered, so a wrapped line takes its height.
  const virt = useVirtualizer({ count: lines.length, getScrollElement: () => parent.current, estimateSize: () => ROW_PX, overscan: 30 });
  const counts = Object.entries(q.data?.counts ?? {}).sort((a, b) => b[1] - a[1]);
  const total = counts.reduce((n, [, c]) => n + c, 0);
  return (
    <section className="td-card p-4" aria-labelledby="range-title">
      <div className="mb-2 flex flex-wrap items-baseline gap-x-3">
        <h2 id="range-title" className="font-semibold">
          Events {begin && end ? `${clock(begin)} → ${clock(end)} UTC` : "of the trace"}
        </h2>
        <span className="font-mono text-xs text-zinc-500" title={trace}>
          {trace}
        </span>
        <Link className="ml-auto text-xs text-sky-600 hover:underline" href={`/analyze?trace=${encodeURIComponent(trace)}`}>
          Analyze this trace →
        </Link>
      </div>
      {q.error ? (
        <p role="alert" className="text-sm text-red-600">
          {q.error.message}
        </p>
      ) : q.isPending ? (
        <div className="space-y-1" role="status">
          <p className="text-sm text-zinc-500">Decoding the range…</p>
          <div className="h-1 w-full overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800">
            <div className="h-1 w-1/3 animate-pulse bg-sky-500" />
          </div>
        </div>
      ) : (
        <>
          <p className="mb-2 text-xs text-zinc-600 dark:text-zinc-400" data-testid="range-summary">
            {total.toLocaleString("en-US")} events
            {q.data.truncated ? ` (first ${lines.length.toLocaleString("en-US")} shown)` : ""}
            {counts.length > 0 && ": "}
            {counts
              .slice(0, 12)
              .map(([name, c]) => `${name} ${c.toLocaleString("en-US")}`)
              .join(" · ")}
            {counts.length > 12 ? " · …" : ""}
          </p>
          <div
            ref={parent}
            className="h-[560px] overflow-y-auto overflow-x-hidden rounded border border-zinc-200 bg-zinc-50 font-mono text-[12px] dark:border-zinc-800 dark:bg-zinc-950"
            data-testid="range-events"
          >
            <div style={{ height: virt.getTotalSize(), position: "relative" }}>
              {virt.getVirtualItems().map((v) => (
                <div
                  key={v.key}
                  ref={virt.measureElement}
                  data-index={v.index}
                  className="absolute left-0 top-0 w-full whitespace-pre-wrap break-all px-2 pl-6 -indent-4"
                  style={{ minHeight: ROW_PX, transform: `translateY(${v.start}px)` }}
                >
                  {lines[v.index]}
                </div>
              ))}
            </div>
          </div>
        </>
      )}
    </section>
  );
}
