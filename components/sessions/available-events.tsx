"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/provider";
import { CONTEXT_TYPES_BY_DOMAIN } from "@/server/shared/validators";

export type BrowserDomain = "userspace" | "kernel" | "jul" | "log4j" | "python";
export const DOMAIN_TABS: Array<{ id: BrowserDomain; label: string }> = [
  { id: "userspace", label: "User space" },
  { id: "kernel", label: "Kernel" },
  { id: "jul", label: "JUL" },
  { id: "log4j", label: "log4j" },
  { id: "python", label: "Python" },
];

/** Domains whose contexts LTTng 2.13 can add (`add-context` has no Python option). */
export const CONTEXT_DOMAIN_TABS = DOMAIN_TABS.filter((d) => CONTEXT_TYPES_BY_DOMAIN[d.id].length > 0);

/** The `<option>`s of a domain `<select>`, in the order of the tabs. */
export function DomainOptions({ domains = DOMAIN_TABS }: { domains?: typeof DOMAIN_TABS }) {
  return domains.map((d) => (
    <option key={d.id} value={d.id}>
      {d.label}
    </option>
  ));
}

export function DomainTabs({
  value,
  onChange,
  domains = DOMAIN_TABS,
}: {
  value: BrowserDomain;
  onChange: (d: BrowserDomain) => void;
  domains?: typeof DOMAIN_TABS;
}) {
  return (
    <div role="tablist" aria-label="Tracing domain" className="flex gap-0.5 border-b border-zinc-200 dark:border-zinc-800">
      {domains.map((d) => (
        <button
          key={d.id}
          type="button"
          role="tab"
          aria-selected={value === d.id}
          onClick={() => onChange(d.id)}
          className={`-mb-px border-b-2 px-3 py-1 text-[13px] font-medium ${value === d.id ? "border-sky-600 text-sky-700 dark:text-sky-400" : "border-transparent text-zinc-500 hover:text-zinc-800 dark:hover:text-zinc-200"}`}
        >
          {d.label}
        </button>
      ))}
    </div>
  );
}

/**
 * What the session daemon can record (`lttng list -u/-k/-j/-l/-p -f`): per instrumented process
 * (pid, command line) with each event's fields. The kernel tab shows LTTng's own answer when
 * the kernel tracer is not available. With `onPick`, each event gets an "Add" button.
 */
export function AvailableEvents({
  onPick,
  domain: fixed,
  compact,
  host,
}: {
  onPick?: (domain: BrowserDomain, name: string) => void;
  /** Whose instrumented applications (absent: this machine's). */
  host?: string;
  domain?: BrowserDomain;
  compact?: boolean;
}) {
  const [tab, setTab] = useState<BrowserDomain>(fixed ?? "userspace");
  const domain = fixed ?? tab;
  const trpc = useTRPC();
  const q = useQuery(trpc.sessions.available.queryOptions({ domain, fields: true, ...(host ? { host } : {}) }, { refetchInterval: 5_000, retry: false }));
  const [filter, setFilter] = useState("");
  const match = (n: string) => filter === "" || n.toLowerCase().includes(filter.toLowerCase());
  const groups = q.data
    ? q.data.processes.length > 0
      ? q.data.processes.map((p) => ({
          key: String(p.pid),
          title: (
            <>
              <span className="font-mono">{p.pid}</span> <span className="font-mono text-zinc-500">{p.name}</span>
            </>
          ),
          events: p.events,
        }))
      : q.data.events.length > 0
        ? [{ key: "kernel", title: <>Kernel tracepoints</>, events: q.data.events }]
        : []
    : [];
  return (
    <section className={compact ? "" : "td-card p-4"} aria-label="Available events" data-testid="available-events">
      {!fixed && <DomainTabs value={tab} onChange={setTab} />}
      <div className="my-2 flex items-center gap-2">
        <input
          className="td-input w-64"
          placeholder="Filter event names"
          aria-label="Filter event names"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        {q.isFetching && <span className="text-xs text-zinc-500">refreshing…</span>}
      </div>
      {q.error ? (
        <p role="alert" className="text-sm text-red-600" data-testid="available-error">
          {q.error.message}
        </p>
      ) : q.isPending ? (
        <p className="text-sm text-zinc-500">Asking the session daemon…</p>
      ) : groups.length === 0 ? (
        <p className="text-sm text-zinc-500">
          No {domain === "kernel" ? "kernel event" : "instrumented process is registered"} for this domain. Start an instrumented application (e.g. the demo
          workload on the overview page).
        </p>
      ) : (
        <div className={`space-y-3 ${compact ? "max-h-80 overflow-auto" : ""}`}>
          {groups.map((g) => {
            const events = g.events.filter((e) => match(e.name));
            return (
              <div key={g.key} data-testid={`available-${g.key}`}>
                <h3 className="mb-1 truncate text-xs font-semibold text-zinc-600 dark:text-zinc-400">
                  {g.title} · {g.events.length} event{g.events.length === 1 ? "" : "s"}
                </h3>
                <table className="td-table">
                  <thead>
                    <tr>
                      <th>Event{compact ? " and fields" : ""}</th>
                      {!compact && <th>Type</th>}
                      <th>Log level</th>
                      {!compact && <th>Fields</th>}
                      {onPick && <th />}
                    </tr>
                  </thead>
                  <tbody>
                    {events.map((e, i) => {
                      const fields = e.fields.length === 0 ? "—" : e.fields.map((f) => `${f.name}: ${f.type.toLowerCase()}`).join(", ");
                      return (
                        <tr key={`${e.name}-${i}`}>
                          <td className="font-mono text-xs">
                            <span className="break-all">{e.name}</span>
                            {compact && <div className="text-[11px] text-zinc-500 [overflow-wrap:anywhere]">{fields}</div>}
                          </td>
                          {!compact && <td className="text-xs">{e.type.toLowerCase()}</td>}
                          <td className="text-xs">{e.loglevel ?? "—"}</td>
                          {!compact && <td className="font-mono text-[11px] text-zinc-600 dark:text-zinc-400">{fields}</td>}
                          {onPick && (
                            <td className="text-right">
                              <button type="button" className="td-btn" onClick={() => onPick(domain, e.name)} aria-label={`Add ${e.name}`}>
                                Add
                              </button>
                            </td>
                          )}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
}
