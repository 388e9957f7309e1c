"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/provider";

/** Processes registered with the session daemon (`lttng list -u` and `-p`), with their tracepoints. */
export function InstrumentedApps() {
  const trpc = useTRPC();
  const ust = useQuery(trpc.sessions.available.queryOptions({ domain: "userspace" }, { refetchInterval: 3_000 }));
  const python = useQuery(trpc.sessions.available.queryOptions({ domain: "python" }, { refetchInterval: 3_000 }));
  const rows = [
    ...(ust.data?.processes ?? []).map((p) => ({ ...p, domain: "user space" })),
    ...(python.data?.processes ?? []).map((p) => ({ ...p, domain: "python" })),
  ];
  const error = ust.error ?? python.error;
  return (
    <section className="td-card p-4" aria-labelledby="apps-title">
      <h2 id="apps-title" className="mb-2 font-semibold">
        Instrumented applications
      </h2>
      {error ? (
        <p role="alert" className="text-sm text-red-600">
          {error.message}
        </p>
      ) : rows.length === 0 ? (
        <p className="text-sm text-zinc-500">
          {ust.isPending ? "Asking the session daemon…" : "No process with LTTng instrumentation is registered with the session daemon."}
        </p>
      ) : (
        <table className="td-table">
          <thead>
            <tr>
              <th>PID</th>
              <th>Domain</th>
              <th>Command line</th>
              <th>Tracepoints / loggers</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={`${p.domain}-${p.pid}`} data-testid={`app-${p.pid}`}>
                <td className="font-mono">{p.pid}</td>
                <td>{p.domain}</td>
                <td className="max-w-[280px] truncate font-mono text-xs" title={p.name}>
                  {p.name}
                </td>
                <td className="font-mono text-xs">
                  {/* Chips that wrap inside the card: an application may register hundreds of tracepoints. */}
                  <ul className="flex max-h-32 flex-wrap gap-1 overflow-y-auto break-all" data-testid="app-tracepoints">
                    {p.events.map((e) => (
                      <li key={e.name} className="rounded bg-zinc-100 px-1.5 py-0.5 dark:bg-zinc-800">
                        {e.name}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
