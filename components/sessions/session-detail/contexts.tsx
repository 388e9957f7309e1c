"use client";

import { useState } from "react";
import { useTRPC } from "@/components/trpc/provider";
import { CONTEXT_TYPES_BY_DOMAIN } from "@/server/shared/validators";
import { FieldError } from "@/components/form/field";
import { errorField } from "../action-ui";
import { CONTEXT_DOMAIN_TABS, DomainOptions, type BrowserDomain } from "../available-events";
import { useSessionAction } from "../session-actions";
import { Refused, Section, type Actions, type Session } from "./section";

/** Adds context fields (LTTng 2.13 cannot list them back). */
export function Contexts({ s, actions, canOperate }: { s: Session; actions: Actions; canOperate: boolean }) {
  const trpc = useTRPC();
  const [domain, setDomain] = useState<BrowserDomain>("userspace");
  const [types, setTypes] = useState("");
  const add = useSessionAction(trpc.sessions.addContext, {
    pending: "Adding contexts…",
    ok: (d) => {
      const bad = d.filter((x) => !x.success);
      return bad.length ? `LTTng refused: ${bad.map((x) => x.type || x.symbol).join(", ")}` : `Added ${d.map((x) => x.type || x.symbol).join(", ")}.`;
    },
  });
  return (
    <Section title="Contexts">
      <p className="text-xs text-zinc-500">
        LTTng 2.13 does not list a session&apos;s contexts (its MI has no context list); they appear in the trace metadata and in a saved profile.
      </p>
      {canOperate &&
        (actions.addContext.allowed ? (
          <form
            className="mt-2 flex flex-wrap items-start gap-2"
            aria-label="Add contexts"
            onSubmit={(e) => {
              e.preventDefault();
              add.mutate({ session: s.name, domain, types: types.split(/[\s,]+/).filter(Boolean) });
            }}
          >
            <select aria-label="Context domain" className="td-input" value={domain} onChange={(e) => setDomain(e.target.value as BrowserDomain)}>
              <DomainOptions domains={CONTEXT_DOMAIN_TABS} />
            </select>
            <div>
              <input
                aria-label="Context types"
                list="context-types"
                className="td-input w-72 font-mono"
                placeholder="vpid, vtid, procname"
                value={types}
                onChange={(e) => setTypes(e.target.value)}
              />
              <datalist id="context-types">
                {CONTEXT_TYPES_BY_DOMAIN[domain].map((t) => (
                  <option key={t} value={t} />
                ))}
              </datalist>
              <FieldError message={errorField(add.error)?.startsWith("types") ? add.error?.message : null} />
            </div>
            <button type="submit" className="td-btn" disabled={add.isPending || !types.trim()}>
              Add
            </button>
          </form>
        ) : (
          <Refused state={actions.addContext} />
        ))}
    </Section>
  );
}
