"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/provider";

/** /metrics token and Grafana annotation push. Tokens are write-only: the server says only whether one is set. */
export function InteropPanel({ canOperate }: { canOperate: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const q = useQuery(trpc.spikeRules.interop.queryOptions());
  const [metricsToken, setMetricsToken] = useState("");
  const [grafanaUrl, setGrafanaUrl] = useState<string | null>(null);
  const [grafanaToken, setGrafanaToken] = useState("");
  const save = useMutation(
    trpc.spikeRules.setInterop.mutationOptions({
      onSuccess: () => {
        setMetricsToken("");
        setGrafanaToken("");
        void qc.invalidateQueries({ queryKey: trpc.spikeRules.interop.queryKey() });
      },
    }),
  );
  const d = q.data;
  return (
    <section className="td-card p-4 text-sm" aria-label="Metrics and Grafana">
      <h2 className="font-semibold">Metrics and Grafana</h2>
      <p className="mt-1 text-zinc-500">
        Prometheus scrapes <code>/metrics</code> with <code>Authorization: Bearer &lt;token&gt;</code> ({d?.metricsTokenSet ? "token set" : "off: no token"}).
        Each spike is annotated in Grafana when a URL is set{d?.grafanaUrl ? ` (now ${d.grafanaUrl}, token ${d.grafanaTokenSet ? "set" : "not set"})` : ""}.
      </p>
      {canOperate && (
        <form
          className="mt-2 flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({
              ...(metricsToken ? { metricsToken } : {}),
              ...(grafanaUrl !== null ? { grafanaUrl } : {}),
              ...(grafanaToken ? { grafanaToken } : {}),
            });
          }}
        >
          <label className="flex flex-col">
            New metrics token
            <input className="td-input" type="password" autoComplete="off" value={metricsToken} onChange={(e) => setMetricsToken(e.target.value)} />
          </label>
          <label className="flex flex-col">
            Grafana URL
            <input
              className="td-input"
              value={grafanaUrl ?? d?.grafanaUrl ?? ""}
              onChange={(e) => setGrafanaUrl(e.target.value)}
              placeholder="http://127.0.0.1:3001"
            />
          </label>
          <label className="flex flex-col">
            New Grafana token
            <input className="td-input" type="password" autoComplete="off" value={grafanaToken} onChange={(e) => setGrafanaToken(e.target.value)} />
          </label>
          <button type="submit" className="td-btn" disabled={save.isPending}>
            Save
          </button>
          {save.error && (
            <p role="alert" className="w-full text-red-600">
              {save.error.message}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
