"use client";

import { FieldError, TextField } from "@/components/form/field";
import { AvailableEvents, DomainOptions, DomainTabs, DOMAIN_TABS, type BrowserDomain } from "../available-events";
import { FilterEditor } from "../filter-editor";
import type { EventDraft } from "./wizard-state";
import { ChannelSelect, Field, type StepProps } from "./step";

/** Step 3: event rules, picked from the available events or typed, each with a filter editor. */
export function EventsStep({ state, dispatch, issue, server, host }: StepProps) {
  const { events, channels, pickDomain, typed } = state;
  const patch = (index: number, p: Partial<Omit<EventDraft, "domain">>) => dispatch({ type: "patchEvent", index, patch: p });
  return (
    <section className="td-card space-y-3 p-4" aria-label="Events">
      <div className="grid gap-4 xl:grid-cols-2">
        <div>
          <h3 className="mb-1 text-sm font-semibold">Event rules</h3>
          {events.length === 0 && <p className="text-xs text-zinc-500">No event rule yet: pick from the available events, or type a name or pattern below.</p>}
          <div className="space-y-2">
            {events.map((e, i) => (
              <fieldset key={i} className="rounded border border-zinc-200 p-2 dark:border-zinc-800" aria-label={`Event rule ${i + 1}`}>
                <div className="flex flex-wrap items-start gap-2">
                  <Field label="Domain" id={`ev-${i}-domain`}>
                    <select
                      id={`ev-${i}-domain`}
                      className="td-input"
                      value={e.domain}
                      onChange={(x) => dispatch({ type: "setEventDomain", index: i, domain: x.target.value as BrowserDomain })}
                    >
                      <DomainOptions />
                    </select>
                  </Field>
                  {e.domain === "kernel" && (
                    <Field label="Kind" id={`ev-${i}-kind`}>
                      <select
                        id={`ev-${i}-kind`}
                        className="td-input"
                        value={e.kind}
                        onChange={(x) => patch(i, { kind: x.target.value === "syscall" ? "syscall" : "tracepoint" })}
                      >
                        <option value="tracepoint">tracepoint</option>
                        <option value="syscall">system call</option>
                      </select>
                    </Field>
                  )}
                  <TextField
                    narrow
                    label="Names (comma-separated, * wildcard)"
                    id={`ev-${i}-names`}
                    inputClassName="td-input w-64 font-mono"
                    value={e.names}
                    onChange={(names) => patch(i, { names })}
                    error={issue(`events.${i}.names`, e.names)}
                  />
                  {(e.domain === "userspace" || e.domain === "kernel") && (
                    <ChannelSelect
                      label="Channel"
                      id={`ev-${i}-channel`}
                      value={e.channel}
                      onChange={(channel) => patch(i, { channel })}
                      channels={channels}
                      domain={e.domain}
                      none="default (channel0)"
                    />
                  )}
                  {e.domain !== "kernel" && (
                    <TextField
                      narrow
                      label="Log level (and more severe)"
                      id={`ev-${i}-loglevel`}
                      inputClassName="td-input w-32 font-mono"
                      value={e.loglevel}
                      onChange={(loglevel) => patch(i, { loglevel })}
                      placeholder="any"
                      error={issue(`events.${i}.loglevel`, e.loglevel)}
                    />
                  )}
                  <button
                    type="button"
                    className="td-btn mt-5"
                    onClick={() => dispatch({ type: "removeEvent", index: i })}
                    aria-label={`Remove event rule ${i + 1}`}
                  >
                    Remove
                  </button>
                </div>
                <FilterEditor id={`ev-${i}-filter`} value={e.filter} onChange={(f) => patch(i, { filter: f })} error={issue(`events.${i}.filter`, e.filter)} />
                <FieldError message={server.field?.startsWith(`events.${i}`) && server.field !== `events.${i}.filter` ? server.message : null} />
              </fieldset>
            ))}
          </div>
          <form
            className="mt-2 flex items-end gap-2"
            onSubmit={(x) => {
              x.preventDefault();
              dispatch({ type: "addTypedEvent" });
            }}
          >
            <TextField
              label={`Type an event name or pattern (${DOMAIN_TABS.find((d) => d.id === pickDomain)?.label})`}
              id="ev-typed"
              inputClassName="td-input w-72 font-mono"
              value={typed}
              onChange={(value) => dispatch({ type: "setText", field: "typed", value })}
              placeholder="provider:event or provider:*"
            />
            <button type="submit" className="td-btn">
              Add rule
            </button>
          </form>
        </div>
        <div>
          <h3 className="mb-1 text-sm font-semibold">Available events</h3>
          <DomainTabs value={pickDomain} onChange={(domain) => dispatch({ type: "pickDomain", domain })} />
          <AvailableEvents host={host} domain={pickDomain} onPick={(domain, names) => dispatch({ type: "addEvent", domain, names })} compact />
        </div>
      </div>
    </section>
  );
}
