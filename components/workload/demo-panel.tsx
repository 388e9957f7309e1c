"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/provider";

const fmt = new Intl.NumberFormat("en-US");
const SHOWN_FIELDS = new Set(["rate", "threads", "duration", "slowEvery", "slowMs"]);

/** Start and stop the traced demo web server: events to record without instrumenting anything. */
export function DemoPanel({ canOperate }: { canOperate: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const status = useQuery(trpc.workload.status.queryOptions(undefined, { refetchInterval: 1_000 }));
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.workload.status.queryKey() });
  const start = useMutation(trpc.workload.start.mutationOptions({ onSettled: invalidate }));
  const stop = useMutation(trpc.workload.stop.mutationOptions({ onSettled: invalidate }));
  const [kind, setKind] = useState<"native" | "python">("native");
  const [rate, setRate] = useState("2000");
  const [threads, setThreads] = useState("2");
  const [duration, setDuration] = useState("0");
  const [slowEvery, setSlowEvery] = useState("2000");
  const [slowMs, setSlowMs] = useState("60");

  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate({ kind, rate: Number(rate), threads: Number(threads), duration: Number(duration), slowEvery: Number(slowEvery), slowMs: Number(slowMs) });
  };
  const fieldErrors = start.error?.data?.zodError?.fieldErrors as Record<string, string[] | undefined> | undefined;
  const num = (id: string, label: string, value: string, set: (v: string) => void, title: string) => (
    <div>
      <label className="td-label" htmlFor={id} title={title}>
        {label}
      </label>
      <input id={id} className="td-input w-24" inputMode="numeric" value={value} onChange={(e) => set(e.target.value)} />
      {fieldErrors?.[id.replace("demo-", "")] && <p className="text-xs text-red-600">{fieldErrors[id.replace("demo-", "")]?.join(" ")}</p>}
    </div>
  );
  const procs = status.data?.processes ?? [];
  return (
    <section className="td-card p-4" aria-labelledby="demo-title">
      <div className="mb-3">
        <h2 id="demo-title" className="font-semibold">
          Demo workload
        </h2>
        <p className="text-xs text-zinc-500">
          A simulated web server with lttng-ust tracepoints <code>tracedeck_demo:request_begin/request_end/io</code>; every Nth request is slow (real fsync +
          sleep).
        </p>
      </div>
      {canOperate && (
        <form onSubmit={submit} className="mb-3 flex flex-wrap items-end gap-3" aria-label="Start the demo workload">
          <div>
            <label className="td-label" htmlFor="demo-kind">
              Program
            </label>
            <select id="demo-kind" className="td-input" value={kind} onChange={(e) => setKind(e.target.value === "python" ? "python" : "native")}>
              <option value="native">C (lttng-ust)</option>
              <option value="python">Python (logging agent)</option>
            </select>
          </div>
          {num("demo-rate", "Requests/s", rate, setRate, "Requests per second over all threads")}
          {kind === "native" && num("demo-threads", "Threads", threads, setThreads, "Worker threads")}
          {num("demo-duration", "Duration (s)", duration, setDuration, "0 runs until stopped")}
          {num("demo-slowEvery", "Slow every", slowEvery, setSlowEvery, "Every Nth request is slow; 0 = never")}
          {num("demo-slowMs", "Slow (ms)", slowMs, setSlowMs, "How long a slow request lasts")}
          <button type="submit" className="td-btn-primary" disabled={start.isPending}>
            {start.isPending ? "Starting…" : "Start demo"}
          </button>
          {/* Field errors show beside the inputs they name; any other failure needs the message. */}
          {start.error && !Object.keys(fieldErrors ?? {}).some((k) => SHOWN_FIELDS.has(k)) && (
            <p role="alert" className="w-full text-sm text-red-600">
              {start.error.message}
            </p>
          )}
        </form>
      )}
      {status.error && (
        <p role="alert" className="text-sm text-red-600">
          {status.error.message}
        </p>
      )}
      {stop.error && (
        <p role="alert" className="text-sm text-red-600">
          {stop.error.message}
        </p>
      )}
      {procs.length === 0 ? (
        <p className="text-sm text-zinc-500">{status.isPending ? "Loading…" : "No demo process has run since the server started."}</p>
      ) : (
        <table className="td-table" data-testid="demo-processes">
          <thead>
            <tr>
              <th>PID</th>
              <th>Program</th>
              <th>State</th>
              <th className="text-right">Requests</th>
              <th className="text-right">Slow</th>
              <th className="text-right">Events emitted</th>
              <th>Started</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {procs.map((p) => (
              <tr key={p.id} data-state={p.state}>
                <td className="font-mono">{p.pid ?? "—"}</td>
                <td className="max-w-[320px] truncate font-mono text-xs" title={p.command}>
                  {p.kind === "python" ? "python agent demo" : "tracedeck-demo"} {p.options.rate}/s
                </td>
                <td>
                  {p.state}
                  {p.state === "exited" && (p.exitCode !== null ? ` (${p.exitCode})` : p.signal ? ` (${p.signal})` : "")}
                </td>
                <td className="text-right">{fmt.format(p.requests)}</td>
                <td className="text-right">{fmt.format(p.slowRequests)}</td>
                <td className="text-right">{fmt.format(p.eventsEmitted)}</td>
                <td className="whitespace-nowrap text-xs">{p.startedAt.toLocaleTimeString()}</td>
                <td className="text-right">
                  {canOperate && p.state === "running" && (
                    <button type="button" className="td-btn" onClick={() => stop.mutate({ id: p.id })} disabled={stop.isPending}>
                      Stop
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {procs.some((p) => p.state === "exited" && p.stderrTail) && (
        <details className="mt-2 text-xs">
          <summary>stderr of exited processes</summary>
          {procs
            .filter((p) => p.stderrTail)
            .map((p) => (
              <pre key={p.id} className="whitespace-pre-wrap font-mono">
                {p.stderrTail}
              </pre>
            ))}
        </details>
      )}
    </section>
  );
}
