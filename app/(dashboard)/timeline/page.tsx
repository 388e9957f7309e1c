import Link from "next/link";
import { RangeEvents } from "@/components/timeline/range-events";

const digits = (v: string | string[] | undefined) => {
  const s = Array.isArray(v) ? v[0] : v;
  return s !== undefined && /^\d{1,20}$/.test(s) ? s : undefined;
};

/** `/timeline?trace=<dir>&begin=<epoch ns>&end=<epoch ns>` (components/analysis/timeline-link.ts). */
export default async function TimelinePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const q = await searchParams;
  const trace = (Array.isArray(q.trace) ? q.trace[0] : q.trace)?.slice(0, 4096);
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">Timeline</h1>
      {trace ? (
        <RangeEvents trace={trace} begin={digits(q.begin)} end={digits(q.end)} />
      ) : (
        <section className="td-card p-4 text-sm">
          <p>
            Open a time range from any row of an{" "}
            <Link className="text-sky-600 hover:underline" href="/analyze">
              analysis
            </Link>
            : its events are shown here.
          </p>
          <p className="mt-2 text-zinc-500">
            The continuous latency timeline (per-pixel min/max/percentiles, spike markers linked to their snapshots) is not built yet.
          </p>
        </section>
      )}
    </div>
  );
}
