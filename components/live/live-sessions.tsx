"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { AvailableEvents } from "@/components/sessions/available-events";
import { sessionHref } from "@/components/sessions/host-href";
import { HostSelect } from "@/components/sessions/links";
import { useTRPC } from "@/components/trpc/provider";

/**
 * A live session in one step: name, UST events (typed or picked from what apps offer), live
 * timer, on `host` (absent: this machine; a traced host's live session streams to this
 * machine's relayd, so its page is the same).
 */
function CreateLiveSession({ host }: { host: string | undefined }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const [name, setName] = useState("");
  const [events, setEvents] = useState("tracedeck_demo:*");
  const [timerMs, setTimerMs] = useState(100);
  const [browse, setBrowse] = useState(false);
  const create = useMutation(
    trpc.live.create.mutationOptions({
      onSuccess: (r) => {
        void qc.invalidateQueries({ queryKey: trpc.sessions.list.queryKey() });
        router.push(`/live/${encodeURIComponent(r.name)}`);
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name: name.trim(), events: events.split(/[\s,]+/).filter(Boolean), liveTimerUs: Math.round(timerMs * 1000), ...(host ? { host } : {}) });
  };
  return (
    <section className="td-card space-y-2 p-4" aria-labelledby="live-create-title">
      <h2 id="live-create-title" className="font-semibold">
        New live session{host ? ` on ${host}` : ""}
      </h2>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2 text-sm">
        <label className="text-xs">
          Session name
          <input className="td-input block w-56" value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label className="text-xs">
          UST events
          <input className="td-input block w-72 font-mono" value={events} onChange={(e) => setEvents(e.target.value)} required />
        </label>
        <label className="text-xs">
          Live timer (ms)
          <input className="td-input block w-24" type="number" min={10} max={10000} value={timerMs} onChange={(e) => setTimerMs(Number(e.target.value))} />
        </label>
        <button type="submit" className="td-btn-primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create and watch"}
        </button>
        <button type="button" className="td-btn" onClick={() => setBrowse((b) => !b)} aria-expanded={browse}>
          {browse ? "Hide available events" : "Pick from available events"}
        </button>
      </form>
      {create.error && (
        <p role="alert" className="text-sm text-red-600">
          {create.error.message}
        </p>
      )}
      {browse && (
        <AvailableEvents
          domain="userspace"
          host={host}
          compact
          onPick={(_d, ev) => setEvents((cur) => (cur.split(/[\s,]+/).includes(ev) ? cur : [cur.trim(), ev].filter(Boolean).join(",")))}
        />
      )}
    </section>
  );
}

/** Live sessions known to the chosen host's session daemon, each opening its stream view, and the one-step creation. */
export function LiveSessions({ canOperate }: { canOperate: boolean }) {
  const trpc = useTRPC();
  const [host, setHost] = useState<string | undefined>(undefined);
  const sessions = useQuery(trpc.sessions.list.queryOptions(host ? { host } : undefined, { refetchInterval: 3_000 }));
  const live = (sessions.data ?? []).filter((s) => s.mode === "live");
  return (
    <>
      <div className="flex justify-end">
        <HostSelect value={host} onChange={setHost} id="live-host" />
      </div>
      {canOperate && <CreateLiveSession host={host} />}
      <section className="td-card p-4" aria-labelledby="live-title">
        <h2 id="live-title" className="mb-2 font-semibold">
          Live sessions
        </h2>
        {sessions.error ? (
          <p role="alert" className="text-sm text-red-600">
            {sessions.error.message}
          </p>
        ) : sessions.isPending ? (
          <p className="text-sm text-zinc-500">Asking the session daemon…</p>
        ) : live.length === 0 ? (
          <p className="text-sm text-zinc-500">
            No live session. Create one above, or in{" "}
            <Link className="text-sky-600 hover:underline" href="/sessions">
              Sessions
            </Link>{" "}
            (mode “live”): its events stream through lttng-relayd while it records.
          </p>
        ) : (
          <table className="td-table">
            <thead>
              <tr>
                <th>Session</th>
                <th>Live timer</th>
                <th>Active</th>
                <th>Relay URL</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {live.map((s) => (
                <tr key={s.name}>
                  <td>
                    <Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/live/${encodeURIComponent(s.name)}`}>
                      {s.name}
                    </Link>
                  </td>
                  <td>{s.liveTimerUs !== null ? `${s.liveTimerUs / 1000} ms` : "—"}</td>
                  <td>{s.active ? "recording" : "stopped"}</td>
                  <td className="font-mono text-xs">{s.path}</td>
                  <td>
                    <Link className="text-xs text-sky-600 hover:underline" href={sessionHref(s.name, host)}>
                      session →
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
