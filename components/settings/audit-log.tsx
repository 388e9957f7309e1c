"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/provider";
import { auditResult } from "./audit-result";

export function AuditLog() {
  const trpc = useTRPC();
  const log = useQuery(trpc.auth.audit.queryOptions({ limit: 200 }, { refetchInterval: 5_000 }));
  return (
    <section className="td-card p-4">
      <h2 className="mb-2 font-semibold">Audit log</h2>
      <p className="mb-2 text-xs text-zinc-500">Every control action, who did it, and what LTTng answered.</p>
      {log.error && (
        <p role="alert" className="mb-2 text-sm text-red-600">
          {log.error.message}
        </p>
      )}
      <div className="max-h-[480px] overflow-auto">
        <table className="td-table" data-testid="audit-log">
          <thead>
            <tr>
              <th>Time (UTC)</th>
              <th>User</th>
              <th>Action</th>
              <th title="The traced host the action was for (— : this machine)">Host</th>
              <th>Result</th>
              <th>Input</th>
            </tr>
          </thead>
          <tbody>
            {log.data?.map((e) => {
              const r = auditResult(e.ok, e.message);
              return (
                <tr key={e.id} data-action={e.action}>
                  <td className="whitespace-nowrap font-mono text-xs">{e.at.toISOString().replace("T", " ").slice(0, 23)}</td>
                  <td>{e.user?.username ?? "—"}</td>
                  <td className="font-mono text-xs">{e.action}</td>
                  <td className="font-mono text-xs" data-testid="audit-host">
                    {e.host ?? "—"}
                  </td>
                  <td className={`max-w-[420px] ${e.ok ? "text-emerald-600" : "text-red-600"}`} data-testid="audit-result">
                    {r.sentence}
                    {r.json !== null && (
                      <details className="text-xs text-zinc-500">
                        <summary className="cursor-pointer">Details (JSON)</summary>
                        <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap rounded bg-zinc-100 p-1 font-mono dark:bg-zinc-950">{r.json}</pre>
                      </details>
                    )}
                  </td>
                  <td className="max-w-[420px] truncate font-mono text-xs" title={e.input}>
                    {e.input}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
