"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/provider";
import { ModeBadge } from "@/components/sessions/mode-badge";

/**
 * Current recording sessions as LTTng reports them, refreshed every few seconds, with the
 * output the Sessions page shows (a snapshot session's is its snapshot output).
 */
export function SessionsOverview() {
  const trpc = useTRPC();
  // The table comes from `lttng list` at once; the outputs of snapshot sessions (their snapshot
  // output, which `list` does not give) follow from the overview.
  const sessions = useQuery(trpc.sessions.list.queryOptions(undefined, { refetchInterval: 3_000 }));
  const overview = useQuery(trpc.sessions.overview.queryOptions(undefined, { refetchInterval: 3_000 }));
  const outputOf = (s: { name: string; mode: string; path: string }) =>
    overview.data?.find((r) => r.summary.name === s.name)?.state?.output ?? (s.mode === "snapshot" ? "…" : s.path || "no output");
  return (
    <section className="td-card p-4" aria-labelledby="sessions-title">
      <div className="mb-2 flex items-center">
        <h2 id="sessions-title" className="font-semibold">
          Recording sessions
        </h2>
        <Link href="/sessions" className="ml-auto text-xs text-sky-600 hover:underline">
          Manage sessions →
        </Link>
      </div>
      {sessions.error ? (
        <p role="alert" className="text-sm text-red-600">
          {sessions.error.message}
        </p>
      ) : sessions.data === undefined || sessions.data.length === 0 ? (
        <p className="text-sm text-zinc-500">
          {sessions.data === undefined ? "Asking the session daemon…" : "No recording session. Create one from the Sessions page."}
        </p>
      ) : (
        <table className="td-table" data-testid="sessions-overview">
          <thead>
            <tr>
              <th>Name</th>
              <th>Mode</th>
              <th>Active</th>
              <th>Output</th>
            </tr>
          </thead>
          <tbody>
            {sessions.data.map((s) => (
              <tr key={s.name} data-testid={`overview-${s.name}`}>
                <td>
                  <Link
                    prefetch={false}
                    className="font-medium text-sky-700 hover:underline dark:text-sky-400"
                    href={`/sessions/${encodeURIComponent(s.name)}`}
                  >
                    {s.name}
                  </Link>
                </td>
                <td>
                  <ModeBadge mode={s.mode} liveTimerUs={s.liveTimerUs} />
                </td>
                <td>{s.active ? <span className="text-emerald-600">● recording</span> : <span className="text-zinc-500">○ stopped</span>}</td>
                <td className="max-w-[420px] truncate font-mono text-xs" title={outputOf(s)}>
                  {outputOf(s)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
