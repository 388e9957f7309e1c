"use client";

import { FieldError } from "@/components/form/field";
import { MODES, type TextField } from "./wizard-state";
import type { StepProps } from "./step";

/** Step 1: the mode (with what each is for), the name, where it writes, and the rotation schedule. */
export function ModeStep({ state, dispatch, issue, issues }: StepProps) {
  const { mode, name, outputDir, url, liveTimer, rotTimer, rotSize } = state;
  const usesRelay = mode === "network" || mode === "live";
  const set = (field: TextField, value: string) => dispatch({ type: "setText", field, value });
  return (
    <section className="td-card space-y-4 p-4" aria-label="Mode and output">
      <fieldset>
        <legend className="td-label">Mode</legend>
        <div className="grid gap-2 md:grid-cols-2 xl:grid-cols-5">
          {MODES.map((m) => (
            <label
              key={m.id}
              className={`cursor-pointer rounded border p-2 ${mode === m.id ? "border-sky-600 bg-sky-50 dark:bg-sky-950/40" : "border-zinc-200 dark:border-zinc-800"}`}
            >
              <span className="flex items-center gap-1.5 text-[13px] font-semibold">
                <input type="radio" name="mode" value={m.id} checked={mode === m.id} onChange={() => dispatch({ type: "setMode", mode: m.id })} />
                {m.label}
              </span>
              <span className="mt-1 block text-xs text-zinc-600 dark:text-zinc-400">{m.useCase}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex flex-wrap gap-4">
        <div>
          <label className="td-label" htmlFor="wz-name">
            Session name
          </label>
          <input id="wz-name" className="td-input w-64 font-mono" value={name} onChange={(e) => set("name", e.target.value)} autoComplete="off" />
          <FieldError message={issue("create.name", name)} />
        </div>
        {(mode === "local" || mode === "rotation" || (mode === "snapshot" && url === "")) && (
          <div>
            <label className="td-label" htmlFor="wz-outdir">
              Output directory (under the traces directory; default: the name)
            </label>
            <input
              id="wz-outdir"
              className="td-input w-72 font-mono"
              value={outputDir}
              onChange={(e) => set("outputDir", e.target.value)}
              placeholder={name || "session name"}
            />
            <FieldError message={issue("create.outputDir", outputDir)} />
          </div>
        )}
        {(usesRelay || mode === "snapshot") && (
          <div>
            <label className="td-label" htmlFor="wz-url">
              {mode === "snapshot" ? "Relay URL (optional: snapshots go to the relay)" : "Relay URL (default: Tracedeck's relay)"}
            </label>
            <input
              id="wz-url"
              className="td-input w-80 font-mono"
              value={url}
              onChange={(e) => set("url", e.target.value)}
              placeholder="net://127.0.0.1:5342:5343"
            />
            <FieldError message={issue("create.url", url) ?? issue("create.ctrlUrl")} />
          </div>
        )}
        {mode === "live" && (
          <div>
            <label className="td-label" htmlFor="wz-live">
              Live timer (empty: LTTng&apos;s default, 1s)
            </label>
            <input id="wz-live" className="td-input w-28 font-mono" value={liveTimer} onChange={(e) => set("liveTimer", e.target.value)} placeholder="1s" />
            <FieldError message={issue("create.liveTimerUs", liveTimer)} />
          </div>
        )}
        {mode === "rotation" && (
          <>
            <div>
              <label className="td-label" htmlFor="wz-rot-timer">
                Rotate every
              </label>
              <input
                id="wz-rot-timer"
                className="td-input w-28 font-mono"
                value={rotTimer}
                onChange={(e) => set("rotTimer", e.target.value)}
                placeholder="30s"
              />
              <FieldError message={issue("rotation.timerUs", rotTimer)} />
            </div>
            <div>
              <label className="td-label" htmlFor="wz-rot-size">
                and/or when a chunk reaches
              </label>
              <input id="wz-rot-size" className="td-input w-28 font-mono" value={rotSize} onChange={(e) => set("rotSize", e.target.value)} placeholder="64M" />
              <FieldError message={issue("rotation.size", rotSize)} />
            </div>
            <FieldError message={state.reviewed || rotTimer || rotSize ? issues.find((x) => x.path === "rotation")?.message : null} />
          </>
        )}
      </div>
    </section>
  );
}
