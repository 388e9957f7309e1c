"use client";

import { useState } from "react";
import { useTRPC } from "@/components/trpc/provider";
import { FieldError } from "@/components/form/field";
import { errorField } from "../action-ui";
import { useSessionAction } from "../session-actions";
import { DOMAIN_LABEL, Section, type Session } from "./section";

/** Which processes are recorded (process-attribute trackers); track, untrack. */
export function Trackers({ s, canOperate }: { s: Session; canOperate: boolean }) {
  const trpc = useTRPC();
  const [domain, setDomain] = useState<"userspace" | "kernel">("userspace");
  const [attr, setAttr] = useState<"pid" | "vpid" | "uid" | "vuid" | "gid" | "vgid">("vpid");
  const [values, setValues] = useState("");
  const trackM = useSessionAction(trpc.sessions.track, { pending: "Tracking…", ok: () => "Tracker updated." });
  const untrackM = useSessionAction(trpc.sessions.untrack, { pending: "Untracking…", ok: () => "Tracker updated." });
  const parsed = values
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((v) => (/^\d+$/.test(v) ? Number(v) : v));
  const trackers = s.domains.flatMap((d) => d.trackers.map((t) => ({ ...t, domain: d.type })));
  const err = trackM.error ?? untrackM.error;
  return (
    <Section title="Trackers">
      {trackers.length === 0 ? (
        <p className="text-xs text-zinc-500">Every process is tracked (no restriction).</p>
      ) : (
        <table className="td-table" data-testid="trackers">
          <thead>
            <tr>
              <th>Domain</th>
              <th>Attribute</th>
              <th>Tracked values</th>
            </tr>
          </thead>
          <tbody>
            {trackers.map((t) => (
              <tr key={`${t.domain}-${t.kind}`}>
                <td>{DOMAIN_LABEL[t.domain]}</td>
                <td className="font-mono">{t.kind}</td>
                <td className="font-mono text-xs">
                  {t.values.length === 0 ? "none (nothing recorded)" : t.values.map((v) => (v.all ? "all" : (v.name ?? v.id))).join(", ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canOperate && (
        <div className="mt-2 flex flex-wrap items-start gap-2" role="group" aria-label="Track or untrack">
          <select
            aria-label="Tracker domain"
            className="td-input"
            value={domain}
            onChange={(e) => {
              const d = e.target.value === "kernel" ? "kernel" : "userspace";
              setDomain(d);
              setAttr(d === "kernel" ? "pid" : "vpid");
            }}
          >
            <option value="userspace">user space</option>
            <option value="kernel">kernel</option>
          </select>
          <select aria-label="Tracker attribute" className="td-input" value={attr} onChange={(e) => setAttr(e.target.value as typeof attr)}>
            {(domain === "kernel" ? ["pid", "vpid", "uid", "vuid", "gid", "vgid"] : ["vpid", "vuid", "vgid"]).map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
          <div>
            <input
              aria-label="Tracker values"
              className="td-input w-48 font-mono"
              placeholder="ids or names"
              value={values}
              onChange={(e) => setValues(e.target.value)}
            />
            <FieldError message={err && errorField(err) ? err.message : null} />
          </div>
          <button
            type="button"
            className="td-btn"
            disabled={!parsed.length || trackM.isPending}
            onClick={() => trackM.mutate({ session: s.name, domain, attr, values: parsed })}
          >
            Track
          </button>
          <button
            type="button"
            className="td-btn"
            disabled={!parsed.length || untrackM.isPending}
            onClick={() => untrackM.mutate({ session: s.name, domain, attr, values: parsed })}
          >
            Untrack
          </button>
          <button type="button" className="td-btn" disabled={trackM.isPending} onClick={() => trackM.mutate({ session: s.name, domain, attr, all: true })}>
            Track all
          </button>
        </div>
      )}
    </Section>
  );
}
