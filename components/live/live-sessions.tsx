"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/provider";

/** Live sessions known to the session daemon; the per-session event stream view builds on this list. */
export function LiveSessions() {
  const trpc = useTRPC();
  const sessions = useQuery(trpc.sessions.list.queryOptions(undefined, { refetchInterval: 3_000 }));
  const live = (sessions.data ?? []).filter((s) => s.mode === "live");
  return (
    <section className="td-card p-4" aria-labelledby="live-title">
      <h2 id="live-title" className="mb-2 font-semibold">Live sessions</h2>
      {sessions.error ? (
        <p role="alert" className="text-sm text-red-600">{sessions.error.message}</p>
      ) : sessions.isPending ? (
        <p className="text-sm text-zinc-500">Asking the session daemon…</p>
      ) : live.length === 0 ? (
        <p className="text-sm text-zinc-500">
          No live session. Create one in <Link className="text-sky-600 hover:underline" href="/sessions">Sessions</Link> (mode “live”): its events stream through lttng-relayd while it records.
        </p>
      ) : (
        <table className="td-table">
          <thead><tr><th>Session</th><th>Live timer</th><th>Active</th><th>Relay URL</th></tr></thead>
          <tbody>
            {live.map((s) => (
              <tr key={s.name}>
                <td><Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/sessions/${encodeURIComponent(s.name)}`}>{s.name}</Link></td>
                <td>{s.liveTimerUs !== null ? `${s.liveTimerUs / 1000} ms` : "—"}</td>
                <td>{s.active ? "recording" : "stopped"}</td>
                <td className="font-mono text-xs">{s.path}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="mt-3 text-xs text-zinc-500">The in-browser event stream of a live session is not built yet; until then read it with <code>babeltrace2 --input-format=lttng-live</code>.</p>
    </section>
  );
}
