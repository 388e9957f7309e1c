"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/provider";

type Which = "sessiond" | "relayd";

const LABEL: Record<Which, string> = { sessiond: "Session daemon (lttng-sessiond)", relayd: "Relay daemon (lttng-relayd)" };

/**
 * The LTTng daemons and the one place where an operator may stop them. They keep running when
 * the dashboard stops or crashes; stopping one is deliberate, confirmed, and limited to daemons
 * Tracedeck started.
 */
export function DaemonsPanel({ canOperate }: { canOperate: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const health = useQuery(trpc.daemons.health.queryOptions(undefined, { refetchInterval: 10_000 }));
  const sessions = useQuery(trpc.sessions.list.queryOptions(undefined, { enabled: canOperate, retry: false }));
  const [confirming, setConfirming] = useState<Which | null>(null);
  const stop = useMutation(
    trpc.daemons.stop.mutationOptions({
      onSettled: () => {
        void qc.invalidateQueries({ queryKey: trpc.daemons.health.queryKey() });
        void qc.invalidateQueries({ queryKey: trpc.sessions.list.queryKey() });
      },
    }),
  );
  const h = health.data;
  const sessionCount = sessions.data?.length;
  const consequence: Record<Which, string> = {
    sessiond: `Every recording session on this host${sessionCount === undefined ? "" : ` (${sessionCount} now)`} is destroyed with its ring buffers, unsaved snapshot history and triggers. Trace files already written stay on disk.`,
    relayd:
      "Streaming, live and relayd-snapshot sessions lose their destination: what they record from then on is dropped. Files the relay already wrote stay on disk.",
  };
  return (
    <section className="td-card p-4" aria-label="LTTng daemons">
      <h2 className="mb-1 font-semibold">LTTng daemons</h2>
      <p className="mb-2 text-xs text-zinc-500">
        The daemons hold every recording session, so they keep running when the dashboard stops or crashes. Stopping one is only ever done here (or with{" "}
        <code>tracedeck daemons stop … --yes</code>), and only for a daemon Tracedeck started.
      </p>
      {health.error && (
        <p role="alert" className="text-sm text-red-600">
          {health.error.message}
        </p>
      )}
      {h && (
        <table className="td-table" data-testid="daemons">
          <thead>
            <tr>
              <th>Daemon</th>
              <th>State</th>
              <th>Version</th>
              <th>Started by</th>
              {canOperate && <th />}
            </tr>
          </thead>
          <tbody>
            {(["sessiond", "relayd"] as const).map((w) => {
              const d = h[w];
              return (
                <tr key={w} data-testid={`daemon-${w}`}>
                  <td>{LABEL[w]}</td>
                  <td>{d.message}</td>
                  <td>{d.version ?? "—"}</td>
                  <td>{d.running ? (d.ownedByTracedeck ? "Tracedeck" : "someone else") : "—"}</td>
                  {canOperate && (
                    <td className="text-right">
                      <button
                        type="button"
                        className="td-btn"
                        disabled={!d.running || !d.ownedByTracedeck || stop.isPending}
                        title={d.running && !d.ownedByTracedeck ? "Not started by Tracedeck: stop it the way it was started." : undefined}
                        onClick={() => setConfirming(w)}
                      >
                        Stop…
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {confirming && (
        <div className="mt-2 flex flex-wrap items-center gap-2" role="group" aria-label={`Confirm stopping ${confirming}`}>
          <span className="text-xs text-red-600">
            Stop the {LABEL[confirming].toLowerCase()}? {consequence[confirming]}
          </span>
          <button
            type="button"
            className="td-btn-danger"
            onClick={() => {
              stop.mutate({ daemon: confirming, confirm: true });
              setConfirming(null);
            }}
          >
            Stop {confirming}
          </button>
          <button type="button" className="td-btn" onClick={() => setConfirming(null)}>
            Cancel
          </button>
        </div>
      )}
      {stop.error && (
        <p role="alert" className="mt-2 text-xs text-red-600">
          {stop.error.message}
        </p>
      )}
      {stop.isSuccess && (
        <p role="status" className="mt-2 text-xs text-emerald-700">
          {stop.data.message}
        </p>
      )}
    </section>
  );
}
