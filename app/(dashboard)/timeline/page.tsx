import Link from "next/link";

export default function TimelinePage() {
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">Timeline</h1>
      <section className="td-card p-4 text-sm">
        <p>The latency timeline (per-pixel min/max/percentiles, spike markers linked to their snapshots) is not built yet.</p>
        <p className="mt-2 text-zinc-500">Latency over time of a recorded trace is available now as the log scatter of the <Link className="text-sky-600 hover:underline" href="/analyze">Analyze</Link> page.</p>
      </section>
    </div>
  );
}
