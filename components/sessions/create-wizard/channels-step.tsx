"use client";

import { FieldError } from "@/components/form/field";
import { PRESETS, type ChannelDraft } from "./wizard-state";
import { Field, type StepProps } from "./step";

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
            <Field label="Name" id={`ch-${i}-name`} error={issue(`channels.${i}.name`, c.name)}>
              <input id={`ch-${i}-name`} className="td-input w-32 font-mono" value={c.name} onChange={(e) => patch(i, { name: e.target.value })} />
            </Field>
            <Field label="When full" id={`ch-${i}-mode`}>
              <select id={`ch-${i}-mode`} className="td-input" value={c.mode} onChange={(e) => patch(i, { mode: e.target.value as ChannelDraft["mode"] })}>
                <option value="">default ({mode === "snapshot" ? "overwrite" : "discard"})</option>
                <option value="discard">discard new events</option>
                <option value="overwrite">overwrite oldest</option>
              </select>
            </Field>
            <Field label="Sub-buffer size" id={`ch-${i}-subbuf`} error={issue(`channels.${i}.subbufSize`, c.subbufSize)}>
              <input
                id={`ch-${i}-subbuf`}
                className="td-input w-24 font-mono"
                value={c.subbufSize}
                onChange={(e) => patch(i, { subbufSize: e.target.value })}
                placeholder="512k"
              />
            </Field>
            <Field label="Sub-buffers" id={`ch-${i}-num`} error={issue(`channels.${i}.numSubbuf`, c.numSubbuf)}>
              <input
                id={`ch-${i}-num`}
                className="td-input w-16 font-mono"
                value={c.numSubbuf}
                onChange={(e) => patch(i, { numSubbuf: e.target.value })}
                placeholder="4"
              />
            </Field>
            <Field label="Switch timer" id={`ch-${i}-switch`} error={issue(`channels.${i}.switchTimerUs`, c.switchTimer)}>
              <input
                id={`ch-${i}-switch`}
                className="td-input w-20 font-mono"
                value={c.switchTimer}
                onChange={(e) => patch(i, { switchTimer: e.target.value })}
                placeholder="off"
              />
            </Field>
            <Field label="Trace file size" id={`ch-${i}-tfsize`} error={issue(`channels.${i}.tracefileSize`, c.tracefileSize)}>
              <input
                id={`ch-${i}-tfsize`}
                className="td-input w-24 font-mono"
                value={c.tracefileSize}
                onChange={(e) => patch(i, { tracefileSize: e.target.value })}
                placeholder="unlimited"
              />
            </Field>
            <Field label="Trace file count" id={`ch-${i}-tfcount`} error={issue(`channels.${i}.tracefileCount`, c.tracefileCount)}>
              <input
                id={`ch-${i}-tfcount`}
                className="td-input w-16 font-mono"
                value={c.tracefileCount}
                onChange={(e) => patch(i, { tracefileCount: e.target.value })}
                placeholder="∞"
              />
            </Field>
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
