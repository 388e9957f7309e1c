"use client";

import { FieldError, TextField } from "@/components/form/field";
import { MODES, type TextField as WizardText } from "./wizard-state";
import type { StepProps } from "./step";

/** Step 1: the mode (with what each is for), the name, where it writes, and the rotation schedule. */
export function ModeStep({ state, dispatch, issue, issues }: StepProps) {
  const { mode, name, outputDir, url, liveTimer, rotTimer, rotSize } = state;
  const usesRelay = mode === "network" || mode === "live";
  const set = (field: WizardText, value: string) => dispatch({ type: "setText", field, value });
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
        <TextField
          label="Session name"
          id="wz-name"
          inputClassName="td-input w-64 font-mono"
          value={name}
          onChange={(v) => set("name", v)}
          autoComplete="off"
          error={issue("create.name", name)}
        />
        {(mode === "local" || mode === "rotation" || (mode === "snapshot" && url === "")) && (
          <TextField
            label="Output directory (under the traces directory; default: the name)"
            id="wz-outdir"
            inputClassName="td-input w-72 font-mono"
            value={outputDir}
            onChange={(v) => set("outputDir", v)}
            placeholder={name || "session name"}
            error={issue("create.outputDir", outputDir)}
          />
        )}
        {(usesRelay || mode === "snapshot") && (
          <TextField
            label={mode === "snapshot" ? "Relay URL (optional: snapshots go to the relay)" : "Relay URL (default: Tracedeck's relay)"}
            id="wz-url"
            inputClassName="td-input w-80 font-mono"
            value={url}
            onChange={(v) => set("url", v)}
            placeholder="net://127.0.0.1:5342:5343"
            error={issue("create.url", url) ?? issue("create.ctrlUrl")}
          />
        )}
        {mode === "live" && (
          <TextField
            label="Live timer (empty: LTTng's default, 1s)"
            id="wz-live"
            inputClassName="td-input w-28 font-mono"
            value={liveTimer}
            onChange={(v) => set("liveTimer", v)}
            placeholder="1s"
            error={issue("create.liveTimerUs", liveTimer)}
          />
        )}
        {mode === "rotation" && (
          <>
            <TextField
              label="Rotate every"
              id="wz-rot-timer"
              inputClassName="td-input w-28 font-mono"
              value={rotTimer}
              onChange={(v) => set("rotTimer", v)}
              placeholder="30s"
              error={issue("rotation.timerUs", rotTimer)}
            />
            <TextField
              label="and/or when a chunk reaches"
              id="wz-rot-size"
              inputClassName="td-input w-28 font-mono"
              value={rotSize}
              onChange={(v) => set("rotSize", v)}
              placeholder="64M"
              error={issue("rotation.size", rotSize)}
            />
            <FieldError message={state.reviewed || rotTimer || rotSize ? issues.find((x) => x.path === "rotation")?.message : null} />
          </>
        )}
      </div>
    </section>
  );
}
