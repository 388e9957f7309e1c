"use client";

import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/provider";
import { ZSize } from "@/server/shared/validators";
import { FieldError } from "@/components/form/field";
import { ActionButton, errorField } from "../action-ui";
import { fmtBytes, fmtCount, fmtUs } from "../format";
import { useSessionAction } from "../session-actions";
import { DOMAIN_LABEL, MI_DOMAIN, Section, check, type Actions, type Session } from "./section";

/** The channels with their ring-buffer settings and loss counters; enable, disable, add. */
export function Channels({ s, actions, canOperate }: { s: Session; actions: Actions; canOperate: boolean }) {
  const trpc = useTRPC();
  const disable = useSessionAction(trpc.sessions.disableChannel, { pending: "Disabling the channel…", ok: () => "Channel disabled." });
  const enable = useSessionAction(trpc.sessions.enableChannel, { pending: "Enabling the channel…", ok: (d) => `Channel ${d.name} enabled.` });
  const rows = s.domains.flatMap((d) => d.channels.map((c) => ({ ...c, domain: d.type, buffers: d.bufferType })));
  return (
    <Section
      title="Channels"
      right={
        <span className="text-xs text-zinc-500">
          counters refresh every 2 s; LTTng 2.13&apos;s <code>list</code> does not report buffer usage
        </span>
      }
    >
      {rows.length === 0 ? (
        <p className="text-sm text-zinc-500">
          No channel: the first event rule creates <code>channel0</code> with LTTng&apos;s defaults.
        </p>
      ) : (
        <table className="td-table" data-testid="channels">
          <thead>
            <tr>
              <th>Domain</th>
              <th>Channel</th>
              <th>State</th>
              <th>When full</th>
              <th className="text-right">Sub-buffers</th>
              <th>Buffers</th>
              <th className="text-right">Switch / read / monitor</th>
              <th className="text-right">Trace files</th>
              <th className="text-right">Discarded events</th>
              <th className="text-right">Lost packets</th>
              {canOperate && <th />}
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => {
              const a = c.attributes;
              const domain = MI_DOMAIN[c.domain] === "kernel" ? "kernel" : "userspace";
              return (
                <tr key={`${c.domain}-${c.name}`} data-testid={`channel-${c.name}`}>
                  <td>{DOMAIN_LABEL[c.domain]}</td>
                  <td className="font-mono">{c.name}</td>
                  <td>{c.enabled ? "enabled" : <span className="text-zinc-500">disabled</span>}</td>
                  <td>{a ? (a.overwrite ? "overwrite" : "discard") : "—"}</td>
                  <td className="text-right">{a ? `${a.subbufCount} × ${fmtBytes(a.subbufSizeBytes)}` : "—"}</td>
                  <td className="text-xs">{c.buffers.toLowerCase().replace("_", "-")}</td>
                  <td className="text-right text-xs">{a ? `${fmtUs(a.switchTimerUs)} / ${fmtUs(a.readTimerUs)} / ${fmtUs(a.monitorTimerUs)}` : "—"}</td>
                  <td className="text-right text-xs">
                    {a && a.tracefileSizeBytes > 0 ? `${a.tracefileCount || "∞"} × ${fmtBytes(a.tracefileSizeBytes)}` : "unbounded"}
                  </td>
                  <td className={`text-right ${a && a.discardedEvents > 0 ? "font-semibold text-amber-700 dark:text-amber-400" : ""}`} data-testid="discarded">
                    {a ? fmtCount(a.discardedEvents) : "—"}
                  </td>
                  <td className={`text-right ${a && a.lostPackets > 0 ? "font-semibold text-amber-700 dark:text-amber-400" : ""}`}>
                    {a ? fmtCount(a.lostPackets) : "—"}
                  </td>
                  {canOperate && (
                    <td className="text-right">
                      {c.enabled ? (
                        <ActionButton
                          state={actions.disableChannel}
                          pending={disable.isPending}
                          onClick={() => disable.mutate({ session: s.name, domain, names: [c.name] })}
                        >
                          Disable
                        </ActionButton>
                      ) : (
                        <ActionButton
                          state={{ allowed: true, reason: null }}
                          pending={enable.isPending}
                          onClick={() => enable.mutate({ session: s.name, domain, name: c.name })}
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
      {canOperate &&
        (actions.enableChannel.allowed ? (
          <AddChannel session={s.name} />
        ) : (
          <p className="mt-2 text-xs text-zinc-500">Add channel: {actions.enableChannel.reason}</p>
        ))}
    </Section>
  );
}

function AddChannel({ session }: { session: string }) {
  const trpc = useTRPC();
  const [domain, setDomain] = useState<"userspace" | "kernel">("userspace");
  const [name, setName] = useState("");
  const [mode, setMode] = useState<"" | "discard" | "overwrite">("");
  const [subbuf, setSubbuf] = useState("");
  const [num, setNum] = useState("");
  const add = useSessionAction(trpc.sessions.enableChannel, { pending: "Adding the channel…", ok: (d) => `Channel ${d.name} added.` });
  const field = errorField(add.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate({
      session,
      domain,
      name: name.trim(),
      mode: mode || undefined,
      subbufSize: subbuf.trim() || undefined,
      numSubbuf: num.trim() ? Number(num) : undefined,
    });
  };
  return (
    <form onSubmit={submit} className="mt-3 flex flex-wrap items-start gap-2" aria-label="Add a channel">
      <select aria-label="Channel domain" className="td-input" value={domain} onChange={(e) => setDomain(e.target.value === "kernel" ? "kernel" : "userspace")}>
        <option value="userspace">user space</option>
        <option value="kernel">kernel</option>
      </select>
      <div>
        <input aria-label="Channel name" className="td-input w-32 font-mono" placeholder="name" value={name} onChange={(e) => setName(e.target.value)} />
        <FieldError message={field === "name" ? add.error?.message : null} />
      </div>
      <select aria-label="When full" className="td-input" value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}>
        <option value="">default</option>
        <option value="discard">discard</option>
        <option value="overwrite">overwrite</option>
      </select>
      <div>
        <input aria-label="Sub-buffer size" className="td-input w-24 font-mono" placeholder="512k" value={subbuf} onChange={(e) => setSubbuf(e.target.value)} />
        <FieldError message={check(ZSize, subbuf)} />
      </div>
      <input aria-label="Sub-buffer count" className="td-input w-16 font-mono" placeholder="4" value={num} onChange={(e) => setNum(e.target.value)} />
      <button type="submit" className="td-btn" disabled={add.isPending || !name.trim() || !!check(ZSize, subbuf)}>
        Add channel
      </button>
    </form>
  );
}
