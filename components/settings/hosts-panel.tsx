"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { sessionsHref } from "@/components/sessions/host-href";
import { useTRPC } from "@/components/trpc/provider";

/**
 * Traced hosts reached over SSH. Adding one pins the host key it shows (trust on first use):
 * the fingerprint is shown for the operator to compare on the host. The private key goes to
 * the server once and is never shown again.
 */
export function HostsPanel({ canOperate }: { canOperate: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const hosts = useQuery(trpc.fleet.hosts.queryOptions());
  const invalidate = () => {
    void qc.invalidateQueries({ queryKey: trpc.fleet.hosts.queryKey() });
    void qc.invalidateQueries({ queryKey: trpc.fleet.overview.queryKey() });
    void qc.invalidateQueries({ queryKey: trpc.fleet.groups.queryKey() });
  };
  const add = useMutation(trpc.fleet.addHost.mutationOptions({ onSettled: invalidate }));
  const test = useMutation(trpc.fleet.testHost.mutationOptions({ onSettled: invalidate }));
  const remove = useMutation(trpc.fleet.removeHost.mutationOptions({ onSettled: invalidate }));
  const setRelay = useMutation(trpc.fleet.setRelayHost.mutationOptions({ onSettled: invalidate }));
  const setGroups = useMutation(trpc.fleet.setGroups.mutationOptions({ onSettled: invalidate }));
  const [form, setForm] = useState({ name: "", address: "", port: "22", user: "root", privateKey: "", relayHost: "" });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(
      { ...form, port: Number(form.port), relayHost: form.relayHost.trim() || undefined },
      {
        onSuccess: () => setForm((f) => ({ ...f, name: "", address: "", privateKey: "", relayHost: "" })),
      },
    );
  };

  return (
    <section className="td-card p-4" aria-label="Traced hosts">
      <h2 className="mb-1 font-semibold">Traced hosts</h2>
      <p className="mb-2 text-xs text-zinc-500">
        Tracedeck runs <code>lttng</code> on these hosts over SSH; their sessions stream to this machine&apos;s relay daemon. Keys are stored encrypted with{" "}
        <code>TRACEDECK_SECRET_KEY</code>.
      </p>
      {hosts.error && (
        <p role="alert" className="text-sm text-red-600">
          {hosts.error.message}
        </p>
      )}
      <table className="td-table" data-testid="hosts">
        <thead>
          <tr>
            <th>Host</th>
            <th>Address</th>
            <th>Host key (pinned)</th>
            <th title="This machine's relay daemon as the host reaches it: its sessions stream there by default">Relay address</th>
            <th>LTTng</th>
            <th>Groups</th>
            <th>Last contact</th>
            {canOperate && <th />}
          </tr>
        </thead>
        <tbody>
          {hosts.data?.map((h) => (
            <tr key={h.name} data-testid={`host-${h.name}`}>
              <td>
                <Link
                  prefetch={false}
                  className="text-sky-700 hover:underline dark:text-sky-400"
                  href={sessionsHref(h.transport === "local" ? undefined : h.name)}
                >
                  {h.name}
                </Link>
              </td>
              <td>{h.transport === "local" ? "this machine" : `${h.user}@${h.address}:${h.port}`}</td>
              <td className="font-mono text-[11px]">{h.hostKeyFingerprint ?? "—"}</td>
              <td>
                {h.transport === "local" ? (
                  "—"
                ) : canOperate ? (
                  <RelayHostField
                    host={h.name}
                    value={h.relayHost}
                    pending={setRelay.isPending}
                    onSave={(relayHost) => setRelay.mutate({ name: h.name, relayHost })}
                  />
                ) : (
                  (h.relayHost ?? "the relay's own address")
                )}
              </td>
              <td>{h.lttngVersion ?? "—"}</td>
              <td>
                {canOperate ? (
                  <GroupsEditor host={h.name} groups={h.groups} pending={setGroups.isPending} onSave={(groups) => setGroups.mutate({ name: h.name, groups })} />
                ) : (
                  h.groups.join(", ") || "—"
                )}
              </td>
              <td className={h.lastError ? "text-red-600" : undefined}>{h.lastError ?? (h.lastSeenAt ? new Date(h.lastSeenAt).toLocaleString() : "—")}</td>
              {canOperate && (
                <td className="space-x-1 text-right">
                  {h.transport === "ssh" && (
                    <>
                      <button type="button" className="td-btn" disabled={test.isPending} onClick={() => test.mutate({ name: h.name })}>
                        Test
                      </button>
                      <button type="button" className="td-btn-danger" disabled={remove.isPending} onClick={() => remove.mutate({ name: h.name })}>
                        Remove
                      </button>
                    </>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {canOperate && (
        <form className="mt-3 grid gap-2 md:grid-cols-4" onSubmit={submit} aria-label="Add a host">
          <input className="td-input" placeholder="name (db1)" aria-label="Host name" value={form.name} onChange={set("name")} maxLength={63} required />
          <input className="td-input" placeholder="address" aria-label="Address" value={form.address} onChange={set("address")} maxLength={253} required />
          <input className="td-input" placeholder="port" aria-label="Port" value={form.port} onChange={set("port")} inputMode="numeric" maxLength={5} />
          <input className="td-input" placeholder="user" aria-label="User" value={form.user} onChange={set("user")} maxLength={32} />
          <input
            className="td-input md:col-span-2"
            placeholder="relay address as the host reaches this machine (optional)"
            aria-label="Relay address"
            value={form.relayHost}
            onChange={set("relayHost")}
            maxLength={253}
          />
          <textarea
            className="td-input font-mono text-[11px] md:col-span-4"
            rows={4}
            placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
            aria-label="Private key"
            value={form.privateKey}
            onChange={set("privateKey")}
            maxLength={16_384}
            required
          />
          <div className="md:col-span-4">
            <button type="submit" className="td-btn-primary" disabled={add.isPending}>
              {add.isPending ? "Contacting…" : "Add host"}
            </button>
          </div>
        </form>
      )}
      {add.error && (
        <p role="alert" className="mt-2 text-xs text-red-600">
          {add.error.message}
        </p>
      )}
      {add.data && (
        <p role="status" className="mt-2 text-xs text-emerald-700" data-testid="host-added">
          Added {add.data.host.name} (LTTng {add.data.contact.lttngVersion}). Pinned host key <code>{add.data.contact.fingerprint}</code>: compare it with{" "}
          <code>ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub</code> on the host; a different key will be refused.
        </p>
      )}
      {(test.error ?? remove.error ?? setRelay.error ?? setGroups.error) && (
        <p role="alert" className="mt-2 text-xs text-red-600">
          {(test.error ?? remove.error ?? setRelay.error ?? setGroups.error)?.message}
        </p>
      )}
      {test.data && (
        <p role="status" className="mt-2 text-xs text-emerald-700">
          Up: LTTng {test.data.lttngVersion}
        </p>
      )}
    </section>
  );
}

/** The relay address of one host, edited in place; empty means the relay daemon's configured address. */
function RelayHostField({ host, value, pending, onSave }: { host: string; value: string | null; pending: boolean; onSave: (v: string | null) => void }) {
  const [text, setText] = useState(value ?? "");
  const changed = text.trim() !== (value ?? "");
  return (
    <form
      className="inline-flex gap-1"
      aria-label={`Relay address of ${host}`}
      onSubmit={(e) => {
        e.preventDefault();
        onSave(text.trim() || null);
      }}
    >
      <input
        className="td-input w-32 py-0.5 text-xs"
        aria-label={`Relay address of ${host}`}
        placeholder="relay's own"
        value={text}
        onChange={(e) => setText(e.target.value)}
        maxLength={253}
      />
      {changed && (
        <button type="submit" className="td-btn py-0.5 text-xs" disabled={pending}>
          Set
        </button>
      )}
    </form>
  );
}

/** A host's groups as one comma-separated field, saved on Enter or with its button. */
function GroupsEditor({ host, groups, pending, onSave }: { host: string; groups: string[]; pending: boolean; onSave: (groups: string[]) => void }) {
  const [text, setText] = useState(groups.join(", "));
  const parsed = text
    .split(",")
    .map((g) => g.trim())
    .filter(Boolean);
  const changed = [...new Set(parsed)].sort().join(",") !== groups.join(",");
  return (
    <form
      className="flex items-center gap-1"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(parsed);
      }}
    >
      <input
        className="td-input w-40 text-xs"
        aria-label={`Groups of ${host}`}
        placeholder="e.g. web, eu"
        value={text}
        onChange={(e) => setText(e.target.value)}
        maxLength={1100}
      />
      <button type="submit" className="td-btn" disabled={pending || !changed} aria-label={`Save groups of ${host}`}>
        Save
      </button>
    </form>
  );
}
