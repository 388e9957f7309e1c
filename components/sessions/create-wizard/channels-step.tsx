"use client";

import { FieldError, TextField } from "@/components/form/field";
import { PRESETS, type ChannelDraft } from "./wizard-state";
import { Field, type StepProps } from "./step";

/** The ring-buffer sizes and timers: typed as text, checked by the shared schema at `path`. */
const SIZE_FIELDS: ReadonlyArray<{
  key: "subbufSize" | "numSubbuf" | "switchTimer" | "tracefileSize" | "tracefileCount";
  path: string;
  label: string;
  id: string;
  width: string;
  placeholder: string;
}> = [
  { key: "subbufSize", path: "subbufSize", label: "Sub-buffer size", id: "subbuf", width: "w-24", placeholder: "512k" },
  { key: "numSubbuf", path: "numSubbuf", label: "Sub-buffers", id: "num", width: "w-16", placeholder: "4" },
  { key: "switchTimer", path: "switchTimerUs", label: "Switch timer", id: "switch", width: "w-20", placeholder: "off" },
  { key: "tracefileSize", path: "tracefileSize", label: "Trace file size", id: "tfsize", width: "w-24", placeholder: "unlimited" },
  { key: "tracefileCount", path: "tracefileCount", label: "Trace file count", id: "tfcount", width: "w-16", placeholder: "∞" },
];

/** Step 2: the channels (ring buffers), with presets. */
export function ChannelsStep({ state, dispatch, issue, server }: StepProps) {
  const { mode, channels } = state;
  const patch = (index: number, p: Partial<ChannelDraft>) => dispatch({ type: "patchChannel", index, patch: p });
  return (
    <section className="td-card space-y-3 p-4" aria-label="Channels">
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        Channels own the ring buffers. Empty fields keep LTTng&apos;s defaults. Sizes: <code>4096</code>, <code>64k</code>, <code>1M</code>; timers:{" "}
        <code>500us</code>, <code>10ms</code>, <code>1s</code>.
      </p>
      {channels.map((c, i) => (
        <fieldset key={i} className="rounded border border-zinc-200 p-3 dark:border-zinc-800" aria-label={`Channel ${i + 1}`}>
          <div className="mb-2 flex flex-wrap items-center gap-2">
            <span className="text-xs font-semibold">Preset:</span>
            {PRESETS.map((p) => (
              <button key={p.id} type="button" className="td-btn" title={p.explain} onClick={() => dispatch({ type: "applyPreset", index: i, presetId: p.id })}>
                {p.label}
              </button>
            ))}
            <button type="button" className="td-btn ml-auto" onClick={() => dispatch({ type: "removeChannel", index: i })}>
              Remove channel
            </button>
          </div>
          <ul className="mb-2 space-y-0.5 text-[11px] text-zinc-500">
            {PRESETS.map((p) => (
              <li key={p.id}>
                <b>{p.label}</b>: {p.explain}
              </li>
            ))}
          </ul>
          <div className="flex flex-wrap gap-3">
            <Field label="Domain" id={`ch-${i}-domain`}>
              <select
                id={`ch-${i}-domain`}
                className="td-input"
                value={c.domain}
                onChange={(e) => patch(i, { domain: e.target.value === "kernel" ? "kernel" : "userspace" })}
              >
                <option value="userspace">user space</option>
                <option value="kernel">kernel</option>
              </select>
            </Field>
            <TextField
              narrow
              label="Name"
              id={`ch-${i}-name`}
              inputClassName="td-input w-32 font-mono"
              value={c.name}
              onChange={(name) => patch(i, { name })}
              error={issue(`channels.${i}.name`, c.name)}
            />
            <Field label="When full" id={`ch-${i}-mode`}>
              <select id={`ch-${i}-mode`} className="td-input" value={c.mode} onChange={(e) => patch(i, { mode: e.target.value as ChannelDraft["mode"] })}>
                <option value="">default ({mode === "snapshot" ? "overwrite" : "discard"})</option>
                <option value="discard">discard new events</option>
                <option value="overwrite">overwrite oldest</option>
              </select>
            </Field>
            {SIZE_FIELDS.map((f) => (
              <TextField
                key={f.key}
                narrow
                label={f.label}
                id={`ch-${i}-${f.id}`}
                inputClassName={`td-input ${f.width} font-mono`}
                value={c[f.key]}
                onChange={(v) => patch(i, { [f.key]: v })}
                placeholder={f.placeholder}
                error={issue(`channels.${i}.${f.path}`, c[f.key])}
              />
            ))}
          </div>
          <FieldError message={server.field?.startsWith(`channels.${i}`) ? server.message : null} />
        </fieldset>
      ))}
      <button type="button" className="td-btn" onClick={() => dispatch({ type: "addChannel" })}>
        Add channel
      </button>
    </section>
  );
}
