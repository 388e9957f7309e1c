"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useTRPC } from "@/components/trpc/provider";

// `warn`: a missing piece that is not a fault (the kernel tracer on a host without lttng-modules).
function Dot({ ok, warn = false }: { ok: boolean | null; warn?: boolean }) {
  const color = ok === null ? "bg-zinc-400" : ok ? "bg-emerald-500" : warn ? "bg-amber-500" : "bg-red-500";
  return <span className={`inline-block h-2 w-2 rounded-full ${color}`} aria-hidden />;
}

/** " · 3,354 / 20,000 fds": the descriptors a daemon holds against its limit. */
function fdText(fds: { open: number; limit: number | null } | null): string {
  if (!fds) return "";
  return ` · ${fds.open.toLocaleString("en-US")}${fds.limit !== null ? ` / ${fds.limit.toLocaleString("en-US")}` : ""} fds`;
}

/** Daemon health on every page: pushed over SSE when a daemon starts or dies, polled as a fallback. */
export function StatusBar({ canOperate }: { canOperate: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const health = useQuery(trpc.daemons.health.queryOptions(undefined, { refetchInterval: 10_000 }));
  // Refetched now and then: the kernel tracer line depends on the session daemon, which may come back.
  const info = useQuery(trpc.system.info.queryOptions(undefined, { staleTime: 30_000, refetchInterval: 30_000 }));
  useSubscription(
    trpc.daemons.watch.subscriptionOptions(undefined, {
      onData: (h) => qc.setQueryData(trpc.daemons.health.queryKey(), h),
    }),
  );
  const start = useMutation(
    trpc.daemons.start.mutationOptions({
      onSettled: () => qc.invalidateQueries({ queryKey: trpc.daemons.health.queryKey() }),
    }),
  );
  const h = health.data;
  const sessiondDown = h !== undefined && !h.sessiond.running;
  const relaydDown = h !== undefined && !h.relayd.running;
  // Until the first answer "…"; after a failed request, the server's message, never a blank.
  const pending = (error: { message: string } | null) => (error ? `unknown (${error.message})` : "…");
  const lttngCheck = info.data?.checks.find((c) => c.name === "lttng");
  return (
    <div>
      <div
        data-testid="status-bar"
        className="flex flex-wrap items-center gap-x-5 gap-y-1 border-b border-zinc-200 bg-zinc-100 px-4 py-1 text-xs text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900/60 dark:text-zinc-400"
      >
        <span className="flex items-center gap-1.5" data-testid="sessiond-health" data-ok={h ? String(h.sessiond.running) : "unknown"}>
          <Dot ok={h ? h.sessiond.running && !h.sessiond.fds?.nearLimit : null} warn={h?.sessiond.running} /> sessiond{" "}
          {h ? (h.sessiond.running ? `running · pid ${h.sessiond.pid}${fdText(h.sessiond.fds)}` : "not running") : pending(health.error)}
        </span>
        <span
          className="flex items-center gap-1.5"
          data-testid="relayd-health"
          data-ok={h ? String(h.relayd.running) : "unknown"}
          title={h?.relayd.fds?.nearLimit ? h.relayd.message : undefined}
        >
          <Dot ok={h ? h.relayd.running && !h.relayd.fds?.nearLimit : null} warn={h?.relayd.running} /> relayd{" "}
          {h ? (h.relayd.running ? `running · pid ${h.relayd.pid}${fdText(h.relayd.fds)}` : "not running") : pending(health.error)}
        </span>
        <span data-testid="lttng-version">LTTng {info.data ? (info.data.lttngVersion ?? lttngCheck?.detail ?? "version unknown") : pending(info.error)}</span>
        <span className="flex items-center gap-1.5" data-testid="kernel-tracer">
          <Dot ok={info.data ? info.data.kernelTracer.available : null} warn /> kernel tracer: {info.data?.kernelTracer.message ?? pending(info.error)}
        </span>
      </div>
      {h?.relayd.fds?.nearLimit && (
        <div
          role="alert"
          data-testid="relayd-fds"
          className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          {h.relayd.message}
        </div>
      )}
      {(sessiondDown || relaydDown) && (
        <div
          role="alert"
          className="flex items-center gap-3 border-b border-red-300 bg-red-50 px-4 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
        >
          <span className="font-medium">{sessiondDown ? "Session daemon not running" : "Relay daemon not running"}</span>
          <span className="text-xs">
            {sessiondDown
              ? "No session can be listed, created or controlled until lttng-sessiond runs."
              : "Streaming, live and relayd snapshots need lttng-relayd."}
          </span>
          {canOperate && (
            <button
              type="button"
              className="td-btn-danger ml-auto"
              disabled={start.isPending}
              onClick={() => start.mutate({ daemon: sessiondDown ? "sessiond" : "relayd" })}
            >
              {start.isPending ? "Starting…" : "Start"}
            </button>
          )}
          {start.error && <span className="text-xs">{start.error.message}</span>}
        </div>
      )}
    </div>
  );
}
