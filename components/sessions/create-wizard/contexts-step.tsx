"use client";

import { TextField } from "@/components/form/field";
import { CONTEXT_TYPES_BY_DOMAIN } from "@/server/shared/validators";
import { CONTEXT_DOMAIN_TABS, DomainOptions, type BrowserDomain } from "../available-events";
import type { ContextDraft } from "./wizard-state";
import { ChannelSelect, Field, type StepProps } from "./step";

/** Step 4: context fields recorded with every event, per domain and channel. */
export function ContextsStep({ state, dispatch, issue }: StepProps) {
  const { contexts, channels } = state;
  const patch = (index: number, p: Partial<Omit<ContextDraft, "domain">>) => dispatch({ type: "patchContexts", index, patch: p });
  return (
    <section className="td-card space-y-3 p-4" aria-label="Contexts">
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        Context fields are recorded with every event of the channel (they cost space and time: add only what the analysis needs).
      </p>
      {contexts.map((c, i) => (
        <fieldset key={i} className="rounded border border-zinc-200 p-2 dark:border-zinc-800" aria-label={`Contexts ${i + 1}`}>
          <div className="mb-2 flex flex-wrap items-end gap-2">
            <Field label="Domain" id={`ctx-${i}-domain`}>
              <select
                id={`ctx-${i}-domain`}
                className="td-input"
                value={c.domain}
                onChange={(x) => dispatch({ type: "setContextsDomain", index: i, domain: x.target.value as BrowserDomain })}
              >
                <DomainOptions domains={CONTEXT_DOMAIN_TABS} />
              </select>
            </Field>
            {(c.domain === "userspace" || c.domain === "kernel") && (
              <ChannelSelect
                label="Channel"
                id={`ctx-${i}-channel`}
                value={c.channel}
                onChange={(channel) => patch(i, { channel })}
                channels={channels}
                domain={c.domain}
                none="all channels"
              />
            )}
            <TextField
              narrow
              label="Other types (perf:thread:…, $app.PROVIDER:TYPE)"
              id={`ctx-${i}-extra`}
              inputClassName="td-input w-72 font-mono"
              value={c.extra}
              onChange={(extra) => patch(i, { extra })}
              error={issue(`contexts.${i}.types`, c.extra || (c.types.length ? "x" : ""))}
            />
            <button type="button" className="td-btn" onClick={() => dispatch({ type: "removeContexts", index: i })}>
              Remove
            </button>
          </div>
          <div className="grid grid-cols-3 gap-x-3 gap-y-0.5 sm:grid-cols-5 xl:grid-cols-8" data-testid={`ctx-${i}-types`}>
            {CONTEXT_TYPES_BY_DOMAIN[c.domain].map((t) => (
              <label key={t} className="flex items-center gap-1 font-mono text-xs">
                <input
                  type="checkbox"
                  checked={c.types.includes(t)}
                  onChange={(x) => patch(i, { types: x.target.checked ? [...c.types, t] : c.types.filter((y) => y !== t) })}
                />
                {t}
              </label>
            ))}
          </div>
        </fieldset>
      ))}
      <button type="button" className="td-btn" onClick={() => dispatch({ type: "addContexts" })}>
        Add contexts
      </button>
    </section>
  );
}
