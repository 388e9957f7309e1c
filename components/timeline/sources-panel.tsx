"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/provider";

type Kind = "field" | "period" | "kernel";

/**
 * Latency sources: which ones are drawn (checkboxes), defining a new one (operator), and
 * reading a stored trace into one's history (progress polled while it runs).
 */
export function SourcesPanel({ selected, onToggle }: { selected: number[]; onToggle: (id: number, on: boolean) => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const sources = useQuery(trpc.spikes.sources.list.queryOptions());
  const [adding, setAdding] = useState(false);
  // Name and live session only: the history already recorded was computed from the definition.
  const [editing, setEditing] = useState<{ id: number; name: string; session: string } | null>(null);
  // What the free-text fields may name, offered as suggestions: this host's live sessions, and
  // the traces under the trace roots (the same catalog as the Analyze page's).
  const liveSessions = useQuery({
    ...trpc.sessions.list.queryOptions(),
    enabled: adding || editing !== null,
    select: (l) => l.filter((s) => s.mode === "live"),
  });
  const traces = useQuery({ ...trpc.traces.list.queryOptions(), enabled: (sources.data?.length ?? 0) > 0 });
  const [name, setName] = useState("");
  const [session, setSession] = useState("");
  const [kind, setKind] = useState<Kind>("field");
  const [event, setEvent] = useState("tracedeck_demo:request_end");
  const [field, setField] = useState("latency_ns");
  const [unit, setUnit] = useState<"ns" | "us" | "ms">("ns");
  const [definition, setDefinition] = useState("");
  const [what, setWhat] = useState<"syscall" | "io">("syscall");
  const [scName, setScName] = useState("");
  const [ingestTrace, setIngestTrace] = useState("");
  const [ingestSource, setIngestSource] = useState<number | null>(null);
  const invalidate = () => void qc.invalidateQueries({ queryKey: trpc.spikes.sources.list.queryKey() });
  const upsert = useMutation(
    trpc.spikes.sources.upsert.mutationOptions({
      onSuccess: (s) => {
        invalidate();
        setAdding(false);
        setName("");
        onToggle(s.id, true);
      },
    }),
  );
  const remove = useMutation(trpc.spikes.sources.remove.mutationOptions({ onSuccess: invalidate }));
  const rename = useMutation(
    trpc.spikes.sources.upsert.mutationOptions({
      onSuccess: () => {
        invalidate();
        setEditing(null);
      },
    }),
  );
  const jobs = useQuery({ ...trpc.spikes.ingestJobs.queryOptions(), refetchInterval: (q) => (q.state.data?.some((j) => j.state === "running") ? 500 : false) });
  const ingest = useMutation(trpc.spikes.ingest.mutationOptions({ onSuccess: () => void jobs.refetch() }));

  const submit = () => {
    const def =
      kind === "field"
        ? { kind, event, field, unit }
        : kind === "period"
          ? { kind, definition }
          : { kind, what, ...(scName.trim() === "" ? {} : { name: scName.trim() }) };
    upsert.mutate({ name, sessionName: session.trim() === "" ? null : session.trim(), definition: def });
  };
  const input = "rounded border border-zinc-300 bg-transparent px-2 py-1 text-sm dark:border-zinc-700";
  const list = sources.data ?? [];
  return (
    <section className="td-card space-y-2 p-3 text-sm" aria-labelledby="sources-title">
      <datalist id="source-live-sessions">
        {(liveSessions.data ?? []).map((l) => (
          <option key={l.name} value={l.name}>
            {l.active ? "streaming" : "stopped"}
          </option>
        ))}
      </datalist>
      <div className="flex items-baseline gap-3">
        <h2 id="sources-title" className="font-semibold">
          Latency sources
        </h2>
        <button type="button" className="ml-auto text-xs text-sky-600 hover:underline" onClick={() => setAdding(!adding)}>
          {adding ? "Cancel" : "New source"}
        </button>
      </div>
      {sources.error && (
        <p role="alert" className="text-red-600">
          {sources.error.message}
        </p>
      )}
      {list.length === 0 && !sources.isPending && (
        <p className="text-zinc-500">No latency source yet: define one (a duration field, a begin/end pair, or kernel syscall / I/O latency).</p>
      )}
      <ul className="space-y-1">
        {list.map((s) =>
          editing?.id === s.id ? (
            <li key={s.id}>
              <form
                className="flex flex-wrap items-end gap-2"
                aria-label={`Edit ${s.name}`}
                onSubmit={(e) => {
                  e.preventDefault();
                  const sessionName = editing.session.trim() === "" ? null : editing.session.trim();
                  rename.mutate({ id: s.id, name: editing.name, sessionName, definition: s.definition });
                }}
              >
                <label className="flex flex-col text-xs">
                  Name
                  <input className={input} value={editing.name} onChange={(e) => setEditing({ ...editing, name: e.target.value })} required maxLength={80} />
                </label>
                <label className="flex flex-col text-xs">
                  Live session (optional)
                  <input
                    className={input}
                    value={editing.session}
                    onChange={(e) => setEditing({ ...editing, session: e.target.value })}
                    maxLength={200}
                    placeholder="records while it streams"
                    list="source-live-sessions"
                  />
                </label>
                <span className="font-mono text-xs text-zinc-500">{s.label}</span>
                <button type="submit" className="rounded bg-sky-600 px-3 py-1 text-sm text-white disabled:opacity-50" disabled={rename.isPending}>
                  Save
                </button>
                <button type="button" className="text-xs text-sky-600 hover:underline" onClick={() => setEditing(null)}>
                  Cancel
                </button>
                {rename.error && (
                  <p role="alert" className="w-full text-red-600">
                    {rename.error.message}
                  </p>
                )}
              </form>
            </li>
          ) : (
            <li key={s.id} className="flex items-center gap-2">
              <label className="flex items-center gap-2">
                <input type="checkbox" checked={selected.includes(s.id)} onChange={(e) => onToggle(s.id, e.target.checked)} aria-label={`Show ${s.name}`} />
                <span className="font-medium">{s.name}</span>
              </label>
              <span className="font-mono text-xs text-zinc-500">{s.label}</span>
              <span className="text-xs text-zinc-500">{s.sessionName === null ? "any trace" : `session ${s.sessionName}`}</span>
              <button
                type="button"
                className="ml-auto text-xs text-sky-600 hover:underline"
                onClick={() => setEditing({ id: s.id, name: s.name, session: s.sessionName ?? "" })}
                aria-label={`Edit ${s.name}`}
              >
                Edit
              </button>
              <button
                type="button"
                className="text-xs text-red-600 hover:underline"
                onClick={() => remove.mutate({ id: s.id })}
                aria-label={`Delete ${s.name}`}
              >
                Delete
              </button>
            </li>
          ),
        )}
      </ul>
      {remove.error && (
        <p role="alert" className="text-red-600">
          {remove.error.message}
        </p>
      )}
      {adding && (
        <form
          className="flex flex-wrap items-end gap-2 border-t border-zinc-200 pt-2 dark:border-zinc-800"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
          aria-label="New latency source"
        >
          <label className="flex flex-col text-xs">
            Name
            <input className={input} value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />
          </label>
          <label className="flex flex-col text-xs">
            Live session (optional)
            <input
              className={input}
              value={session}
              onChange={(e) => setSession(e.target.value)}
              maxLength={200}
              placeholder="records while it streams"
              list="source-live-sessions"
            />
          </label>
          <label className="flex flex-col text-xs">
            Kind
            <select className={input} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              <option value="field">Duration field</option>
              <option value="period">Begin/end period</option>
              <option value="kernel">Kernel syscall / I/O</option>
            </select>
          </label>
          {kind === "field" && (
            <>
              <label className="flex flex-col text-xs">
                Event
                <input className={input} value={event} onChange={(e) => setEvent(e.target.value)} maxLength={256} />
              </label>
              <label className="flex flex-col text-xs">
                Field
                <input className={input} value={field} onChange={(e) => setField(e.target.value)} maxLength={128} />
              </label>
              <label className="flex flex-col text-xs">
                Unit
                <select className={input} value={unit} onChange={(e) => setUnit(e.target.value as "ns")}>
                  <option>ns</option>
                  <option>us</option>
                  <option>ms</option>
                </select>
              </label>
            </>
          )}
          {kind === "period" && (
            <label className="flex min-w-96 flex-1 flex-col text-xs">
              Period (begin : end, matched by key)
              <input
                className={`${input} font-mono`}
                value={definition}
                onChange={(e) => setDefinition(e.target.value)}
                maxLength={2048}
                placeholder='req:$evt.$name == "app:begin" : $evt.$name == "app:end" && $evt.id == $begin.$evt.id'
              />
            </label>
          )}
          {kind === "kernel" && (
            <>
              <label className="flex flex-col text-xs">
                Latency of
                <select className={input} value={what} onChange={(e) => setWhat(e.target.value as "io")}>
                  <option value="syscall">system calls</option>
                  <option value="io">I/O requests</option>
                </select>
              </label>
              <label className="flex flex-col text-xs">
                Syscall name (optional)
                <input className={input} value={scName} onChange={(e) => setScName(e.target.value)} maxLength={128} placeholder="all" />
              </label>
            </>
          )}
          <button type="submit" className="rounded bg-sky-600 px-3 py-1 text-sm text-white disabled:opacity-50" disabled={upsert.isPending}>
            Save source
          </button>
          {upsert.error && (
            <p role="alert" className="w-full text-red-600">
              {upsert.error.message}
            </p>
          )}
        </form>
      )}
      {list.length > 0 && (
        <form
          className="flex flex-wrap items-end gap-2 border-t border-zinc-200 pt-2 dark:border-zinc-800"
          aria-label="Read a stored trace"
          onSubmit={(e) => {
            e.preventDefault();
            const id = ingestSource ?? list[0]!.id;
            ingest.mutate({ sourceId: id, trace: ingestTrace });
          }}
        >
          <label className="flex flex-col text-xs">
            Read a stored trace into
            <select className={input} value={ingestSource ?? list[0]!.id} onChange={(e) => setIngestSource(Number(e.target.value))}>
              {list.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label className="flex min-w-72 flex-1 flex-col text-xs">
            Trace directory
            <input
              className={`${input} font-mono`}
              value={ingestTrace}
              onChange={(e) => setIngestTrace(e.target.value)}
              required
              maxLength={4096}
              list="source-ingest-traces"
            />
            <datalist id="source-ingest-traces">
              {(traces.data?.sessions ?? []).map((t) => (
                <option key={t.path} value={t.path} />
              ))}
            </datalist>
          </label>
          <button type="submit" className="rounded border border-zinc-300 px-3 py-1 text-sm dark:border-zinc-700" disabled={ingest.isPending}>
            Read
          </button>
          {ingest.error && (
            <p role="alert" className="w-full text-red-600">
              {ingest.error.message}
            </p>
          )}
          {(jobs.data ?? []).slice(0, 3).map((j) => (
            <p key={j.id} className="w-full text-xs text-zinc-500" role="status">
              {j.label}:{" "}
              {j.state === "running"
                ? `${Math.round(j.fraction * 100)} % (${j.events.toLocaleString("en-US")} events)`
                : j.state === "done"
                  ? `${j.values.toLocaleString("en-US")} values read`
                  : `failed: ${j.error}`}
            </p>
          ))}
        </form>
      )}
    </section>
  );
}
