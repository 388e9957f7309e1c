import { Suspense } from "react";
import { LatencyTimeline } from "@/components/timeline/latency-timeline";
import { RangeEvents } from "@/components/timeline/range-events";

const digits = (v: string | string[] | undefined) => {
  const s = Array.isArray(v) ? v[0] : v;
  return s !== undefined && /^\d{1,20}$/.test(s) ? s : undefined;
};

/**
 * `/timeline?sources=1,2&from=now-1h&to=now&refresh=5s&threshold=50ms`: latency over time.
 * `/timeline?trace=<dir>&begin=<epoch ns>&end=<epoch ns>` (components/analysis/timeline-link.ts):
 * the events of a range, under the chart.
 */
export default async function TimelinePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const q = await searchParams;
  const trace = (Array.isArray(q.trace) ? q.trace[0] : q.trace)?.slice(0, 4096);
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">Timeline</h1>
      <Suspense>
        <LatencyTimeline />
      </Suspense>
      {trace && <RangeEvents trace={trace} begin={digits(q.begin)} end={digits(q.end)} />}
    </div>
  );
}
