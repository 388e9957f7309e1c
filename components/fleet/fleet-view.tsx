"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { RouterInputs } from "@/server/trpc/router-types";
import { useTRPC } from "@/components/trpc/provider";

const STATE_CLASS = { up: "text-emerald-700", down: "text-red-600", unknown: "text-zinc-500" } as const;

/**
 * Every traced host at a glance (the server refreshes them in the background, each within its
 * own time limit, so a dead host shows as down without slowing the page), and bulk actions
 * with a result per host: the fleet-wide snapshot an on-call engineer wants when one host spikes.
 */
export function FleetView({ canOperate }: { canOperate: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [group, setGroup] = useState("");
  const overview = useQuery(trpc.fleet.overview.queryOptions(group ? { group } : undefined, { refetchInterval: 5_000 }));
  const groups = useQuery(trpc.fleet.groups.queryOptions());
  const refresh = useMutation(trpc.fleet.refresh.mutationOptions({ onSuccess: () => void qc.invalidateQueries({ queryKey: trpc.fleet.overview.queryKey() }) }));
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const hosts = overview.data ?? [];
  const toggle = (h: string) =>
    setPicked((p) => {
      const n = new Set(p);
      if (n.has(h)) n.delete(h);
      else n.add(h);
      return n;
    });

  return (
    <div className="space-y-4">
      <section className="td-card p-4" aria-label="Hosts">
        <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
          <p className="text-xs text-zinc-500">
            {hosts.length} host{hosts.length === 1 ? "" : "s"}
            {group && ` in group ${group}`}; add or remove them, and edit their groups, in{" "}
            <Link className="text-sky-600 hover:underline" href="/settings">
              Settings
            </Link>
            .
          </p>
          <div className="flex items-center gap-2">
            <label className="text-xs text-zinc-600">
              Group{" "}
              <select className="td-input" aria-label="Group filter" value={group} onChange={(e) => setGroup(e.target.value)}>
                <option value="">all hosts</option>
                {groups.data?.map((g) => (
                  <option key={g} value={g}>
                    {g}
                  </option>
                ))}
              </select>
            </label>
            {canOperate && (
              <button type="button" className="td-btn" disabled={refresh.isPending} onClick={() => refresh.mutate()}>
                {refresh.isPending ? "Asking every host…" : "Refresh now"}
              </button>
            )}
          </div>
        </div>
        {overview.error && (
          <p role="alert" className="text-sm text-red-600">
            {overview.error.message}
          </p>
        )}
        <table className="td-table" data-testid="fleet">
          <thead>
            <tr>
              {canOperate && <th aria-label="Select" />}
              <th>Host</th>
              <th>Groups</th>
              <th>State</th>
              <th>LTTng</th>
              <th>Kernel tracer</th>
              <th>Sessions</th>
              <th>Checked</th>
            </tr>
          </thead>
          <tbody>
            {hosts.map((h) => (
              <tr key={h.host} data-testid={`fleet-${h.host}`} data-state={h.state}>
                {canOperate && (
                  <td>
                    <input type="checkbox" aria-label={`Select ${h.host}`} checked={picked.has(h.host)} onChange={() => toggle(h.host)} />
                  </td>
                )}
                <td className="font-medium">{h.host}</td>
                <td className="text-xs">{h.groups.join(", ") || "—"}</td>
                <td className={STATE_CLASS[h.state]} title={h.error ?? undefined}>
                  {h.state}
                  {h.error && <span className="block max-w-xs truncate text-[11px]">{h.error}</span>}
                </td>
                <td>{h.lttngVersion ?? "—"}</td>
                <td>{h.kernelTracer === null ? "—" : h.kernelTracer ? "available" : "not available"}</td>
                <td>
                  {h.sessions.length === 0
                    ? "—"
                    : h.sessions.map((s) => (
                        <span key={s.name} className="mr-2 inline-block font-mono text-[11px]">
                          {s.name}{" "}
                          <span className="text-zinc-500">
                            ({s.mode}, {s.active ? "recording" : "stopped"})
                          </span>
                        </span>
                      ))}
                </td>
                <td className="text-[11px] text-zinc-500">{h.checkedAt ? `${new Date(h.checkedAt).toLocaleTimeString()} (${h.tookMs} ms)` : "not yet"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {canOperate && <BulkPanel picked={[...picked].filter((h) => hosts.some((x) => x.host === h))} group={group} />}
    </div>
  );
}

type BulkInput = RouterInputs["fleet"]["bulk"];
type ActionKind = BulkInput["action"]["kind"];
const ACTION_LABEL: Record<ActionKind, string> = {
  snapshot: "Record a snapshot",
  start: "Start",
  stop: "Stop",
  create: "Create from profile",
};

/**
 * One action on the selected hosts or on every host of the group shown: a result row per
 * host, so a host that failed says why while the others did their part.
 */
function BulkPanel({ picked, group }: { picked: string[]; group: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const profiles = useQuery(trpc.sessions.profiles.queryOptions());
  const bulk = useMutation(trpc.fleet.bulk.mutationOptions({ onSettled: () => void qc.invalidateQueries({ queryKey: trpc.fleet.overview.queryKey() }) }));
  const [kind, setKind] = useState<ActionKind>("snapshot");
  const [onGroup, setOnGroup] = useState(false);
  const [session, setSession] = useState("");
  const [profile, setProfile] = useState("");
  const [newName, setNewName] = useState("");
  const [url, setUrl] = useState("");
  const [startAfter, setStartAfter] = useState(false);
  const useGroup = onGroup && group !== "";
  const count = useGroup ? null : picked.length;
  const target: BulkInput["target"] = useGroup ? { group } : { hosts: picked };
  const action = (): BulkInput["action"] =>
    kind === "create"
      ? { kind, profile, ...(newName ? { name: newName } : {}), ...(url ? { url } : {}), ...(startAfter ? { start: true } : {}) }
      : kind === "snapshot"
        ? { kind, session, name: "fleet" }
        : { kind, session };

  return (
    <section className="td-card p-4" aria-label="Bulk action">
      <h2 className="mb-2 font-semibold">Act on many hosts at once</h2>
      <form
        className="flex flex-wrap items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          bulk.mutate({ target, action: action() });
        }}
      >
        <select className="td-input" aria-label="Bulk action" value={kind} onChange={(e) => setKind(e.target.value as ActionKind)}>
          {(Object.keys(ACTION_LABEL) as ActionKind[]).map((k) => (
            <option key={k} value={k}>
              {ACTION_LABEL[k]}
            </option>
          ))}
        </select>
        {kind === "create" ? (
          <>
            <select className="td-input" aria-label="Profile" value={profile} onChange={(e) => setProfile(e.target.value)} required>
              <option value="">saved profile…</option>
              {profiles.data?.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name}
                </option>
              ))}
            </select>
            <TextField label="New session name" placeholder="session name (the profile's)" value={newName} onChange={setNewName} maxLength={255} />
            <TextField label="Output URL" placeholder="net://relay (the profile's output)" value={url} onChange={setUrl} maxLength={1024} />
            <label className="text-xs">
              <input type="checkbox" checked={startAfter} onChange={(e) => setStartAfter(e.target.checked)} /> start it
            </label>
          </>
        ) : (
          <TextField label="Session" placeholder="session name" value={session} onChange={setSession} maxLength={255} required />
        )}
        <label className="text-xs">
          <input type="radio" name="bulk-target" checked={!useGroup} onChange={() => setOnGroup(false)} /> selected hosts
        </label>
        <label className={`text-xs ${group ? "" : "text-zinc-400"}`}>
          <input type="radio" name="bulk-target" aria-label="Every host of the group" checked={useGroup} disabled={!group} onChange={() => setOnGroup(true)} />{" "}
          every host of group {group || "(choose a group above)"}
        </label>
        <button type="submit" className="td-btn-primary" disabled={count === 0 || bulk.isPending}>
          {bulk.isPending ? "Working…" : `${ACTION_LABEL[kind]} on ${count === null ? `group ${group}` : `${count} host${count === 1 ? "" : "s"}`}`}
        </button>
      </form>
      {bulk.error && (
        <p role="alert" className="mt-2 text-xs text-red-600">
          {bulk.error.message}
        </p>
      )}
      {bulk.data && (
        <table className="td-table mt-2" data-testid="bulk-results">
          <tbody>
            {bulk.data.map((r) => (
              <tr key={r.host} data-testid={`bulk-${r.host}`} data-ok={r.ok}>
                <td className="font-medium">{r.host}</td>
                <td className={r.ok ? "text-emerald-700" : "text-red-600"}>{r.ok ? "ok" : "failed"}</td>
                <td className="text-xs">{r.message}</td>
                <td className="font-mono text-[11px]">{r.snapshot?.path ?? ""}</td>
                <td className="text-[11px] text-zinc-500">{r.tookMs} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A labelled text input of the bulk form (the label is its accessible name). */
function TextField(props: { label: string; placeholder: string; value: string; onChange: (v: string) => void; maxLength: number; required?: boolean }) {
  return (
    <input
      className="td-input"
      aria-label={props.label}
      placeholder={props.placeholder}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      maxLength={props.maxLength}
      required={props.required}
    />
  );
}
