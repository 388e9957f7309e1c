"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/provider";

const STATE_CLASS = { up: "text-emerald-700", down: "text-red-600", unknown: "text-zinc-500" } as const;

/**
 * Every traced host at a glance (the server refreshes them in the background, each within its
 * own time limit, so a dead host shows as down without slowing the page), and bulk actions
 * with a result per host: the fleet-wide snapshot an on-call engineer wants when one host spikes.
 */
export function FleetView({ canOperate }: { canOperate: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const overview = useQuery(trpc.fleet.overview.queryOptions(undefined, { refetchInterval: 5_000 }));
  const refresh = useMutation(trpc.fleet.refresh.mutationOptions({ onSuccess: (d) => qc.setQueryData(trpc.fleet.overview.queryKey(), d) }));
  const snapshot = useMutation(trpc.fleet.snapshot.mutationOptions());
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [session, setSession] = useState("");
  const hosts = overview.data ?? [];
  const toggle = (h: string) =>
    setPicked((p) => {
      const n = new Set(p);
      if (n.has(h)) n.delete(h);
      else n.add(h);
      return n;
    });

  return (
    <div className="space-y-4">
      <section className="td-card p-4" aria-label="Hosts">
        <div className="mb-2 flex items-center justify-between">
          <p className="text-xs text-zinc-500">
            {hosts.length} host{hosts.length === 1 ? "" : "s"}; add or remove them in{" "}
            <Link className="text-sky-600 hover:underline" href="/settings">
              Settings
            </Link>
            .
          </p>
          {canOperate && (
            <button type="button" className="td-btn" disabled={refresh.isPending} onClick={() => refresh.mutate()}>
              {refresh.isPending ? "Asking every host…" : "Refresh now"}
            </button>
          )}
        </div>
        {overview.error && (
          <p role="alert" className="text-sm text-red-600">
            {overview.error.message}
          </p>
        )}
        <table className="td-table" data-testid="fleet">
          <thead>
            <tr>
              {canOperate && <th aria-label="Select" />}
              <th>Host</th>
              <th>State</th>
              <th>LTTng</th>
              <th>Kernel tracer</th>
              <th>Sessions</th>
              <th>Checked</th>
            </tr>
          </thead>
          <tbody>
            {hosts.map((h) => (
              <tr key={h.host} data-testid={`fleet-${h.host}`} data-state={h.state}>
                {canOperate && (
                  <td>
                    <input type="checkbox" aria-label={`Select ${h.host}`} checked={picked.has(h.host)} onChange={() => toggle(h.host)} />
                  </td>
                )}
                <td className="font-medium">{h.host}</td>
                <td className={STATE_CLASS[h.state]} title={h.error ?? undefined}>
                  {h.state}
                  {h.error && <span className="block max-w-xs truncate text-[11px]">{h.error}</span>}
                </td>
                <td>{h.lttngVersion ?? "—"}</td>
                <td>{h.kernelTracer === null ? "—" : h.kernelTracer ? "available" : "not available"}</td>
                <td>
                  {h.sessions.length === 0
                    ? "—"
                    : h.sessions.map((s) => (
                        <span key={s.name} className="mr-2 inline-block font-mono text-[11px]">
                          {s.name}{" "}
                          <span className="text-zinc-500">
                            ({s.mode}, {s.active ? "recording" : "stopped"})
                          </span>
                        </span>
                      ))}
                </td>
                <td className="text-[11px] text-zinc-500">{h.checkedAt ? `${new Date(h.checkedAt).toLocaleTimeString()} (${h.tookMs} ms)` : "not yet"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {canOperate && (
        <section className="td-card p-4" aria-label="Snapshot on every selected host">
          <h2 className="mb-2 font-semibold">Record a snapshot on every selected host</h2>
          <form
            className="flex flex-wrap items-center gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              snapshot.mutate({ hosts: [...picked], session });
            }}
          >
            <input
              className="td-input"
              aria-label="Snapshot session"
              placeholder="snapshot session name"
              value={session}
              onChange={(e) => setSession(e.target.value)}
              maxLength={255}
              required
            />
            <button type="submit" className="td-btn-primary" disabled={picked.size === 0 || snapshot.isPending}>
              {snapshot.isPending ? "Recording…" : `Snapshot ${picked.size} host${picked.size === 1 ? "" : "s"}`}
            </button>
          </form>
          {snapshot.error && (
            <p role="alert" className="mt-2 text-xs text-red-600">
              {snapshot.error.message}
            </p>
          )}
          {snapshot.data && (
            <table className="td-table mt-2" data-testid="bulk-results">
              <tbody>
                {snapshot.data.map((r) => (
                  <tr key={r.host} data-testid={`bulk-${r.host}`} data-ok={r.ok}>
                    <td className="font-medium">{r.host}</td>
                    <td className={r.ok ? "text-emerald-700" : "text-red-600"}>{r.ok ? "ok" : "failed"}</td>
                    <td className="text-xs">{r.message}</td>
                    <td className="font-mono text-[11px]">{r.snapshot?.path ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </div>
  );
}
