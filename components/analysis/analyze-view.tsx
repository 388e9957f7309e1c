"use client";

import { useQuery } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { Field } from "@/components/form/field";
import { useTRPC } from "@/components/trpc/provider";
import { OptionField, toOptions, type FieldValues } from "./option-fields";
import { ResultsView } from "./results-view";
import { TracePicker } from "./trace-picker";
import { ResultAssembler, type AnalysisView, type RunInput, type StreamEvent } from "./types";

const fmt = new Intl.NumberFormat("en-US");

interface Progress {
  events: number;
  fraction: number | null;
  startedAt: number;
}

/**
 * Holds the `analyses.run` subscription while mounted: the server runs the analysis in a
 * worker for as long as this listens, so unmounting it (Cancel, a new run) stops the worker.
 */
function RunStream({ input, onEvent, onError }: { input: RunInput; onEvent: (e: StreamEvent) => void; onError: (message: string) => void }) {
  const trpc = useTRPC();
  useSubscription(
    trpc.analyses.run.subscriptionOptions(input, {
      onData: onEvent,
      onError: (err) => onError(err.message),
    }),
  );
  return null;
}

function ProgressBar({ progress, onCancel }: { progress: Progress; onCancel: () => void }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, []);
  const pct = progress.fraction === null ? null : Math.round(progress.fraction * 100);
  return (
    <div className="td-card flex items-center gap-3 p-3" data-testid="analysis-progress">
      <div
        role="progressbar"
        aria-label="Analysis progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        className="relative h-2 flex-1 overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800"
      >
        <div
          className={`absolute inset-y-0 left-0 rounded bg-sky-600 transition-[width] ${pct === null ? "w-1/4 animate-pulse" : ""}`}
          style={pct === null ? undefined : { width: `${pct}%` }}
        />
      </div>
      <span className="w-64 text-xs tabular-nums text-zinc-500">
        {pct === null ? "Opening the trace…" : `${pct} %`} · {fmt.format(progress.events)} events · {((now - progress.startedAt) / 1000).toFixed(1)} s
      </span>
      <button type="button" className="td-btn" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

/**
 * The Analyze page: pick a trace and an analysis, fill its options (the form comes from the
 * server's description of each analysis), run it with a progress bar, and read the results.
 */
export function AnalyzeView({ initialTrace, initialAnalysis }: { initialTrace: string; initialAnalysis: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const analyses = useQuery(trpc.analyses.list.queryOptions());
  const [trace, setTrace] = useState(initialTrace);
  const [analysis, setAnalysis] = useState(initialAnalysis);
  const [values, setValues] = useState<FieldValues>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [run, setRun] = useState<{ id: number; input: RunInput } | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [result, setResult] = useState<AnalysisView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const runCounter = useRef(0);
  const assembler = useRef(new ResultAssembler());

  const list = analyses.data ?? [];
  const descriptor = list.find((a) => a.name === analysis) ?? list[0];
  const fields = descriptor?.fields ?? [];
  const main = useMemo(() => fields.filter((f) => !f.advanced), [fields]);
  const advanced = useMemo(() => fields.filter((f) => f.advanced), [fields]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (descriptor === undefined) return;
    const { options, errors } = toOptions(fields, values);
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    if (trace.trim() === "") {
      setError("Choose a trace first.");
      return;
    }
    runCounter.current += 1;
    setError(null);
    setResult(null);
    setProgress({ events: 0, fraction: null, startedAt: Date.now() });
    setRun({ id: runCounter.current, input: { trace: trace.trim(), analysis: descriptor.name, options } });
    const q = new URLSearchParams({ trace: trace.trim(), analysis: descriptor.name });
    router.replace(`${pathname}?${q.toString()}`, { scroll: false });
  };

  const onEvent = (ev: StreamEvent) => {
    if (ev.type === "progress") setProgress((p) => (p === null ? p : { ...p, events: ev.events, fraction: ev.fraction }));
    else if (ev.type === "started") assembler.current = new ResultAssembler();
    const view = assembler.current.add(ev);
    if (view !== null) {
      setResult(view);
      setRun(null);
      setProgress(null);
    }
  };
  const onError = (message: string) => {
    setError(message);
    setRun(null);
    setProgress(null);
  };
  const cancel = () => {
    setRun(null);
    setProgress(null);
    setError("Cancelled.");
  };

  // An error about the previous trace (outside the roots, not found) no longer applies once the
  // path changes; a running analysis keeps its own outcome.
  const chooseTrace = (path: string) => {
    setTrace(path);
    if (run === null) setError(null);
  };

  const field = (f: (typeof fields)[number]) => (
    <OptionField key={f.key} field={f} value={values[f.key]} error={fieldErrors[f.key]} onChange={(v) => setValues((s) => ({ ...s, [f.key]: v }))} />
  );

  return (
    <div className="space-y-4">
      <form onSubmit={submit} className="td-card space-y-3 p-4" aria-label="Run an analysis">
        <TracePicker value={trace} onChange={chooseTrace} />
        <div className="flex flex-wrap items-end gap-3">
          <Field label="Analysis" id="analysis-select">
            <select
              id="analysis-select"
              className="td-input w-56"
              value={descriptor?.name ?? ""}
              onChange={(e) => setAnalysis(e.target.value)}
              disabled={analyses.isPending}
            >
              {list.map((a) => (
                <option key={a.name} value={a.name}>
                  {a.name}
                </option>
              ))}
            </select>
          </Field>
          {main.filter((f) => f.kind !== "lines").map(field)}
        </div>
        {descriptor && (
          <p className="text-xs text-zinc-500">
            <span className="font-medium">{descriptor.title}.</span> {descriptor.description}.
          </p>
        )}
        {main.filter((f) => f.kind === "lines").map(field)}
        {advanced.length > 0 && (
          <details className="text-[13px]">
            <summary className="cursor-pointer text-xs text-zinc-500">More options</summary>
            <div className="mt-2 flex flex-wrap items-end gap-3">{advanced.map(field)}</div>
          </details>
        )}
        <div className="flex items-center gap-3">
          <button type="submit" className="td-btn-primary" disabled={descriptor === undefined || run !== null}>
            {run !== null ? "Running…" : "Run analysis"}
          </button>
          {analyses.error && (
            <p role="alert" className="text-sm text-red-600">
              {analyses.error.message}
            </p>
          )}
        </div>
      </form>

      {run !== null && <RunStream key={run.id} input={run.input} onEvent={onEvent} onError={onError} />}
      {progress !== null && <ProgressBar progress={progress} onCancel={cancel} />}
      {error !== null && (
        <p role="alert" className="td-card border-red-300 p-3 text-sm text-red-700 dark:border-red-900 dark:text-red-400" data-testid="analysis-error">
          {error}
        </p>
      )}
      {result !== null && <ResultsView result={result} />}
    </div>
  );
}
