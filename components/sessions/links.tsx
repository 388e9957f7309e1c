"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/provider";

/** Which host a session page is about, beside its name (nothing for this machine). */
export function HostBadge({ host }: { host: string | undefined }) {
  if (!host) return null;
  return (
    <span
      data-testid="session-host"
      title="A traced host, controlled over SSH"
      className="rounded bg-violet-100 px-1.5 py-0.5 font-mono text-[11px] font-semibold text-violet-800 dark:bg-violet-950 dark:text-violet-300"
    >
      @{host}
    </span>
  );
}

/** Chooses the host whose sessions a page shows or creates (Settings → Hosts lists them). */
export function HostSelect({ value, onChange, id = "host-select" }: { value: string | undefined; onChange: (host: string | undefined) => void; id?: string }) {
  const trpc = useTRPC();
  const hosts = useQuery(trpc.fleet.hosts.queryOptions());
  const names = hosts.data?.map((h) => h.name) ?? ["local"];
  // A host named in the URL shows even before the list arrives (or if it was removed: the page then says so).
  if (value && !names.includes(value)) names.push(value);
  return (
    <label className="inline-flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400" htmlFor={id}>
      Host
      <select
        id={id}
        data-testid={id}
        className="td-input py-0.5 text-xs"
        value={value ?? "local"}
        onChange={(e) => onChange(e.target.value === "local" ? undefined : e.target.value)}
      >
        {names.map((n) => (
          <option key={n} value={n}>
            {n === "local" ? "local (this machine)" : n}
          </option>
        ))}
      </select>
    </label>
  );
}
