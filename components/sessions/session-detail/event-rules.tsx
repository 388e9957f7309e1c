"use client";

import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/provider";
import { FieldError } from "@/components/form/field";
import { ActionButton, errorField } from "../action-ui";
import { DomainOptions, type BrowserDomain } from "../available-events";
import { FilterEditor } from "../filter-editor";
import { useSessionAction } from "../session-actions";
import { DOMAIN_LABEL, MI_DOMAIN, Section, type Actions, type Session } from "./section";

/** The event rules of every domain and channel; enable, disable, add. */
export function EventRules({ s, actions, canOperate }: { s: Session; actions: Actions; canOperate: boolean }) {
  const trpc = useTRPC();
  const disable = useSessionAction(trpc.sessions.disableEvent, { pending: "Disabling the event rule…", ok: () => "Event rule disabled." });
  const enable = useSessionAction(trpc.sessions.enableEvent, { pending: "Enabling the event rule…", ok: () => "Event rule enabled." });
  const rows = s.domains.flatMap((d) => [
    ...d.channels.flatMap((c) => (c.events ?? []).map((e) => ({ ...e, domain: d.type, channel: c.name as string | null }))),
    ...d.events.map((e) => ({ ...e, domain: d.type, channel: null as string | null })),
  ]);
  return (
    <Section title="Event rules">
      {rows.length === 0 ? (
        <p className="text-sm text-zinc-500">No event rule.</p>
      ) : (
        <table className="td-table" data-testid="event-rules">
          <thead>
            <tr>
              <th>Domain</th>
              <th>Channel</th>
              <th>Name</th>
              <th>Type</th>
              <th>State</th>
              <th>Filter</th>
              <th>Log level</th>
              <th>Exclusions</th>
              {canOperate && <th />}
            </tr>
          </thead>
          <tbody>
            {rows.map((e, i) => {
              const domain = MI_DOMAIN[e.domain] ?? "userspace";
              const kind = e.type === "SYSCALL" ? ("syscall" as const) : ("tracepoint" as const);
              return (
                <tr key={i} data-testid={`rule-${e.name}`}>
                  <td>{DOMAIN_LABEL[e.domain]}</td>
                  <td className="font-mono text-xs">{e.channel ?? "—"}</td>
                  <td className="font-mono text-xs">{e.name}</td>
                  <td className="text-xs">{e.type.toLowerCase()}</td>
                  <td>{e.enabled ? "enabled" : <span className="text-zinc-500">disabled</span>}</td>
                  <td className="max-w-[320px] truncate font-mono text-xs" title={e.filter ?? ""}>
                    {e.filter ?? "—"}
                  </td>
                  <td className="text-xs">
                    {e.loglevel ? `${e.loglevelType === "SINGLE" ? "only " : e.loglevelType === "RANGE" ? "≥ " : ""}${e.loglevel}` : "any"}
                  </td>
                  <td className="font-mono text-xs">{e.exclusions.join(", ") || "—"}</td>
                  {canOperate && (
                    <td className="text-right">
                      {e.enabled ? (
                        <ActionButton
                          state={actions.disableEvent}
                          pending={disable.isPending}
                          onClick={() => disable.mutate({ session: s.name, domain, channel: e.channel ?? undefined, names: [e.name], kind })}
                        >
                          Disable
                        </ActionButton>
                      ) : (
                        <ActionButton
                          state={actions.enableEvent}
                          pending={enable.isPending}
                          onClick={() =>
                            // The same rule again (LTTng matches a rule by name, filter, log level and exclusions).
                            enable.mutate({
                              session: s.name,
                              domain,
                              channel: e.channel ?? undefined,
                              names: [e.name],
                              kind,
                              filter: e.filter ?? undefined,
                              loglevel: e.loglevel && e.loglevelType !== "ALL" ? e.loglevel : undefined,
                              loglevelOnly: e.loglevelType === "SINGLE" || undefined,
                              exclude: e.exclusions.length ? e.exclusions : undefined,
                            })
                          }
                        >
                          Enable
                        </ActionButton>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {canOperate && <AddEventRule s={s} />}
    </Section>
  );
}

function AddEventRule({ s }: { s: Session }) {
  const trpc = useTRPC();
  const [domain, setDomain] = useState<BrowserDomain>("userspace");
  const [names, setNames] = useState("");
  const [channel, setChannel] = useState("");
  const [filter, setFilter] = useState("");
  const [loglevel, setLoglevel] = useState("");
  const add = useSessionAction(trpc.sessions.enableEvent, {
    pending: "Enabling the event rule…",
    ok: (d) => `Event rule ${d.map((x) => x.name).join(", ")} enabled.`,
    after: () => {
      setNames("");
      setFilter("");
      setLoglevel("");
    },
  });
  const field = errorField(add.error);
  // Sorted: sessiond lists channels in its hash table's order, which changes with each daemon.
  const channels = s.domains
    .filter((d) => MI_DOMAIN[d.type] === domain)
    .flatMap((d) => d.channels.map((c) => c.name))
    .sort();
  const hasChannels = domain === "userspace" || domain === "kernel";
  // LTTng puts a rule without --channel in `channel0`, and refuses when the session has other
  // channels but no channel0: the only channel is chosen for the user, several must be chosen.
  const defaultOk = channels.length === 0 || channels.includes("channel0");
  const chosen = channel !== "" ? channel : !defaultOk && channels.length === 1 ? channels[0]! : "";
  const channelMissing = hasChannels && chosen === "" && !defaultOk;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (channelMissing) return;
    add.mutate({
      session: s.name,
      domain,
      names: names
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
      channel: (hasChannels && chosen) || undefined,
      filter: filter.trim() || undefined,
      loglevel: loglevel.trim() || undefined,
    });
  };
  return (
    <form onSubmit={submit} className="mt-3 space-y-1 rounded border border-zinc-200 p-2 dark:border-zinc-800" aria-label="Add an event rule">
      <div className="flex flex-wrap items-start gap-2">
        <select
          aria-label="Event domain"
          className="td-input"
          value={domain}
          onChange={(e) => {
            setDomain(e.target.value as BrowserDomain);
            setChannel("");
          }}
        >
          <DomainOptions />
        </select>
        <div>
          <input
            aria-label="Event names"
            className="td-input w-72 font-mono"
            placeholder="provider:event, provider:*"
            value={names}
            onChange={(e) => setNames(e.target.value)}
          />
          <FieldError message={field === "names" ? add.error?.message : null} />
        </div>
        {hasChannels && (
          <div>
            <select aria-label="Event channel" className="td-input" value={chosen} onChange={(e) => setChannel(e.target.value)}>
              {defaultOk ? (
                <option value="">{channels.length === 0 ? "default channel (channel0, created)" : "default channel (channel0)"}</option>
              ) : (
                channels.length > 1 && <option value="">choose a channel…</option>
              )}
              {channels.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
            <FieldError
              message={
                channelMissing
                  ? `Choose the channel: this session's ${DOMAIN_LABEL[domain === "kernel" ? "KERNEL" : "UST"]} channels are ${channels.join(", ")}, and LTTng has no default channel (channel0) here.`
                  : field === "channel"
                    ? add.error?.message
                    : null
              }
            />
          </div>
        )}
        {domain !== "kernel" && (
          <input
            aria-label="Log level"
            className="td-input w-32 font-mono"
            placeholder="log level"
            value={loglevel}
            onChange={(e) => setLoglevel(e.target.value)}
          />
        )}
        <button type="submit" className="td-btn" disabled={add.isPending || !names.trim() || channelMissing}>
          Enable event rule
        </button>
      </div>
      <FilterEditor id="add-rule-filter" value={filter} onChange={setFilter} error={field === "filter" ? add.error?.message : null} />
    </form>
  );
}
