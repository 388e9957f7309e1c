"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/provider";
import { ZSessionName } from "@/server/shared/validators";
import { FieldError } from "@/components/form/field";
import { Outcome, errorField } from "./action-ui";
import { fmtBytes } from "./format";

/** Session profiles saved with `lttng save` (XML), with their content and a way to load them again. */
export function ProfilesPanel({ canOperate }: { canOperate: boolean }) {
  const trpc = useTRPC();
  const profiles = useQuery(trpc.sessions.profiles.queryOptions(undefined, { refetchInterval: 10_000 }));
  return (
    <section className="td-card p-4" aria-labelledby="profiles-title">
      <div className="mb-2 flex items-baseline gap-3">
        <h2 id="profiles-title" className="font-semibold">
          Session profiles
        </h2>
        <span className="text-xs text-zinc-500">
          XML written by <code>lttng save</code> (Save profile on a session page). Loading re-creates the session with its channels, events and contexts;
          triggers are not part of a profile.
        </span>
      </div>
      {profiles.error ? (
        <p role="alert" className="text-sm text-red-600">
          {profiles.error.message}
        </p>
      ) : !profiles.data || profiles.data.length === 0 ? (
        <p className="text-sm text-zinc-500">{profiles.isPending ? "Loading…" : "No saved profile."}</p>
      ) : (
        <table className="td-table" data-testid="profiles">
          <thead>
            <tr>
              <th>Profile</th>
              <th>Saved</th>
              <th className="text-right">Size</th>
              <th>File</th>
              {canOperate && <th>Load</th>}
            </tr>
          </thead>
          <tbody>
            {profiles.data.map((p) => (
              <ProfileRow key={p.name} name={p.name} savedAt={p.savedAt} sizeBytes={p.sizeBytes} path={p.path} canOperate={canOperate} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ProfileRow({ name, savedAt, sizeBytes, path, canOperate }: { name: string; savedAt: Date; sizeBytes: number; path: string; canOperate: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [as, setAs] = useState("");
  const [force, setForce] = useState(false);
  const xml = useQuery(trpc.sessions.profile.queryOptions({ name }, { enabled: open }));
  const load = useMutation(trpc.sessions.load.mutationOptions({ onSettled: () => qc.invalidateQueries({ queryKey: trpc.sessions.list.queryKey() }) }));
  const asError = as && !ZSessionName.safeParse(as).success ? ZSessionName.safeParse(as).error?.issues[0]?.message : null;
  return (
    <>
      <tr data-testid={`profile-${name}`}>
        <td>
          <button type="button" className="font-mono text-sky-700 hover:underline dark:text-sky-400" onClick={() => setOpen(!open)} aria-expanded={open}>
            {open ? "▾" : "▸"} {name}
          </button>
        </td>
        <td className="whitespace-nowrap text-xs">{savedAt.toLocaleString()}</td>
        <td className="text-right text-xs">{fmtBytes(sizeBytes)}</td>
        <td className="max-w-[280px] truncate font-mono text-xs" title={path}>
          {path}
        </td>
        {canOperate && (
          <td>
            <form
              className="flex items-start gap-1"
              onSubmit={(e) => {
                e.preventDefault();
                load.mutate({ session: name, overrideName: as.trim() || undefined, force: force || undefined });
              }}
            >
              <div>
                <input
                  className="td-input w-40 font-mono"
                  aria-label={`Load ${name} as`}
                  placeholder={`as ${name}`}
                  value={as}
                  onChange={(e) => setAs(e.target.value)}
                />
                <FieldError message={asError ?? (errorField(load.error) === "overrideName" ? load.error?.message : null)} />
              </div>
              <label className="mt-1 flex items-center gap-1 text-xs" title="lttng load --force: an existing session of that name is replaced">
                <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> replace
              </label>
              <button type="submit" className="td-btn" disabled={load.isPending || !!asError}>
                Load
              </button>
            </form>
            <Outcome
              pending={load.isPending}
              pendingText="Loading the profile…"
              error={load.error}
              success={
                load.data
                  ? `Session ${load.data.session ?? as.trim() ?? name} loaded${load.data.overrides.name ? ` as ${load.data.overrides.name}` : ""}.`
                  : null
              }
            />
          </td>
        )}
      </tr>
      {open && (
        <tr>
          <td colSpan={canOperate ? 5 : 4}>
            {xml.error ? (
              <p role="alert" className="text-xs text-red-600">
                {xml.error.message}
              </p>
            ) : (
              <pre className="max-h-96 overflow-auto rounded bg-zinc-100 p-2 font-mono text-[11px] dark:bg-zinc-950">{xml.data?.xml ?? "Loading…"}</pre>
            )}
          </td>
        </tr>
      )}
    </>
  );
}
