"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Field } from "@/components/form/field";
import { useTRPC } from "@/components/trpc/provider";
import { formatSize } from "./lami-format";

/** The kernel trace shipped in samples/traces (see its PROVENANCE.md). */
const SAMPLE_NAME = "sample-kernel-trace";

/**
 * Chooses the trace to analyse: a session directory from the catalog (every trace under the
 * server's trace roots), or a path typed by hand, which the server resolves under the roots.
 */
export function TracePicker({ value, onChange }: { value: string; onChange: (path: string) => void }) {
  const trpc = useTRPC();
  const catalog = useQuery(trpc.traces.list.queryOptions());
  const roots = catalog.data?.roots ?? [];
  const sessions = catalog.data?.sessions ?? [];
  // A path typed relative to a root ("tc-many-threads") still shows its catalog entry.
  const selected = sessions.find((s) => s.path === value) ?? sessions.find((s) => s.name === value.replace(/\/+$/, ""));
  // A typed path is checked by the server (under a root, holds a trace) once typing pauses.
  const [typed, setTyped] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setTyped(value.trim()), 400);
    return () => clearTimeout(t);
  }, [value]);
  const sampleRoot = roots.find((r) => r.sample);
  const sample = sampleRoot ? sessions.find((s) => s.root === sampleRoot.path && s.name === SAMPLE_NAME) : undefined;
  const check = useQuery(trpc.traces.resolve.queryOptions({ path: typed }, { enabled: typed !== "" && selected === undefined, retry: false }));
  return (
    <div className="flex flex-wrap items-end gap-3">
      <Field label="Trace" id="trace-select">
        <select
          id="trace-select"
          className="td-input w-[380px]"
          value={selected?.path ?? ""}
          onChange={(e) => onChange(e.target.value)}
          disabled={catalog.isPending}
        >
          <option value="">{catalog.isPending ? "Loading traces…" : sessions.length === 0 ? "No trace found under the trace roots" : "Choose a trace…"}</option>
          {roots.map((r) => {
            const under = sessions.filter((s) => s.root === r.path);
            if (under.length === 0) return null;
            return (
              <optgroup key={r.path} label={r.sample ? "Shipped with Tracedeck (Trace Compass test trace, EPL-2.0)" : r.path}>
                {under.map((s) => (
                  <option key={s.path} value={s.path}>
                    {r.sample ? "sample kernel trace" : s.name}
                    {r.sample && s.name !== SAMPLE_NAME ? ` (${s.name})` : ""} · {s.traces.map((t) => t.domain ?? "trace").join("+")} ·{" "}
                    {formatSize(s.sizeBytes)}
                  </option>
                ))}
              </optgroup>
            );
          })}
        </select>
      </Field>
      <Field className="min-w-[320px] flex-1" label="Path (absolute, or relative to a trace root)" id="trace-path">
        <input
          id="trace-path"
          className="td-input w-full font-mono text-xs"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          placeholder="/path/to/session or session/kernel"
          spellCheck={false}
          aria-describedby="trace-path-check"
        />
        <p id="trace-path-check" className="mt-0.5 min-h-4 max-w-3xl text-xs" data-testid="trace-path-check">
          {selected !== undefined || typed === "" || typed !== value.trim() ? null : check.error ? (
            <span className="text-red-600">{check.error.message}</span>
          ) : check.data ? (
            <span className="text-zinc-500">→ {check.data.path}</span>
          ) : null}
        </p>
      </Field>
      {sample && selected?.path !== sample.path && (
        <button
          type="button"
          className="td-btn"
          onClick={() => onChange(sample.path)}
          title="A real LTTng kernel trace shipped with Tracedeck, for hosts without the kernel tracer"
        >
          Use the sample kernel trace
        </button>
      )}
      {catalog.error && (
        <p role="alert" className="w-full text-sm text-red-600">
          {catalog.error.message}
        </p>
      )}
      {catalog.data?.truncated && (
        <p className="w-full text-xs text-amber-600">The trace roots hold more directories than the catalog reads: type a path for traces not listed.</p>
      )}
    </div>
  );
}
