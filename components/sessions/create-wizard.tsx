"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState, type ReactNode } from "react";
import { useTRPC } from "@/components/trpc/provider";
import { CONTEXT_TYPES_BY_DOMAIN, checkSessionSetup, type SessionSetupDraft } from "@/server/shared/validators";
import { FieldError, Spinner, errorField } from "./action-ui";
import { AvailableEvents, DomainTabs, DOMAIN_TABS, type BrowserDomain } from "./available-events";
import { FilterEditor } from "./filter-editor";

type WizardMode = "local" | "network" | "live" | "snapshot" | "rotation";

const MODES: Array<{ id: WizardMode; label: string; useCase: string }> = [
  { id: "local", label: "Local disk", useCase: "Full life-cycle of a run written to this machine's disk, for post-mortem analysis." },
  { id: "network", label: "Streaming", useCase: "Full life-cycle and post-mortem, written by lttng-relayd (another disk, another machine)." },
  { id: "live", label: "Live", useCase: "Continuous monitoring and quick feedback: read the trace while it is recorded, through the relay." },
  { id: "snapshot", label: "Snapshot", useCase: "Ring buffers in memory; write out the seconds before an error, on demand or from a trigger." },
  { id: "rotation", label: "Local + rotation", useCase: "Process closed chunks (archives) while tracing continues, on a timer or a size." },
];

interface ChannelDraft {
  domain: "userspace" | "kernel";
  name: string;
  mode: "" | "discard" | "overwrite";
  subbufSize: string;
  numSubbuf: string;
  switchTimer: string;
  tracefileSize: string;
  tracefileCount: string;
}

interface EventDraft {
  domain: BrowserDomain;
  kind: "tracepoint" | "syscall";
  names: string;
  channel: string;
  filter: string;
  loglevel: string;
}

interface ContextDraft {
  domain: BrowserDomain;
  channel: string;
  types: string[];
  extra: string;
}

const PRESETS: Array<{ id: string; label: string; explain: string; apply: (c: ChannelDraft) => ChannelDraft }> = [
  {
    id: "low",
    label: "Low overhead",
    explain:
      "4 × 256 KiB per CPU, discard mode, no extra timers: the smallest memory footprint; under bursts events are dropped (and counted), the application never waits.",
    apply: (c) => ({ ...c, mode: "discard", subbufSize: "256k", numSubbuf: "4", switchTimer: "", tracefileSize: "", tracefileCount: "" }),
  },
  {
    id: "throughput",
    label: "High throughput",
    explain: "8 × 4 MiB per CPU (32 MiB of shared memory per CPU), discard mode: absorbs bursts of millions of events per second without discarding.",
    apply: (c) => ({ ...c, mode: "discard", subbufSize: "4M", numSubbuf: "8", switchTimer: "", tracefileSize: "", tracefileCount: "" }),
  },
  {
    id: "bounded",
    label: "Bounded disk",
    explain: "tracefile-size × count: each stream writes at most 8 files of 16 MiB (128 MiB per stream), the oldest file is overwritten.",
    apply: (c) => ({ ...c, mode: "discard", subbufSize: "1M", numSubbuf: "4", switchTimer: "", tracefileSize: "16M", tracefileCount: "8" }),
  },
];

const STEPS = ["Mode", "Channels", "Events", "Contexts", "Review"] as const;
/** The wizard step a draft path belongs to (create and rotation are on the first). */
const stepOf = (path: string): number => (path.startsWith("channels") ? 1 : path.startsWith("events") ? 2 : path.startsWith("contexts") ? 3 : 0);
/** Domains whose contexts LTTng 2.13 can add (`add-context` has no Python option). */
const CONTEXT_DOMAINS = DOMAIN_TABS.filter((d) => CONTEXT_TYPES_BY_DOMAIN[d.id].length > 0);

const newChannel = (mode: WizardMode): ChannelDraft => ({
  domain: "userspace",
  name: "ch0",
  mode: mode === "snapshot" ? "overwrite" : "",
  subbufSize: "",
  numSubbuf: "",
  switchTimer: "",
  tracefileSize: "",
  tracefileCount: "",
});
const newEvent = (channel: string): EventDraft => ({ domain: "userspace", kind: "tracepoint", names: "", channel, filter: "", loglevel: "" });

/** "4" → 4; anything else is passed as typed so the shared schema reports it. */
const intOr = (s: string): number | string | undefined => (s.trim() === "" ? undefined : /^\d+$/.test(s.trim()) ? Number(s.trim()) : s.trim());
const strOr = (s: string): string | undefined => (s.trim() === "" ? undefined : s.trim());

/**
 * The session creation wizard: mode (with what each is for), channels with presets, event
 * rules (from the available-events browser or typed, with a filter editor), contexts, and a
 * review of the equivalent `lttng` commands computed by the server from the same validated
 * input it will run. Every field is checked as it is typed with the server's own schemas.
 */
export function CreateWizard() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [step, setStep] = useState(0);
  const [reviewed, setReviewed] = useState(false);
  // Steps whose "Next" was refused: their problems show even in fields not typed in yet.
  const [blocked, setBlocked] = useState<ReadonlySet<number>>(new Set());
  const [mode, setMode] = useState<WizardMode>("local");
  const [name, setName] = useState("");
  const [outputDir, setOutputDir] = useState("");
  const [url, setUrl] = useState("");
  const [liveTimer, setLiveTimer] = useState("");
  const [rotTimer, setRotTimer] = useState("");
  const [rotSize, setRotSize] = useState("");
  const [channels, setChannels] = useState<ChannelDraft[]>([newChannel("local")]);
  const [events, setEvents] = useState<EventDraft[]>([]);
  const [contexts, setContexts] = useState<ContextDraft[]>([]);
  const [pickDomain, setPickDomain] = useState<BrowserDomain>("userspace");
  const [typed, setTyped] = useState("");

  const draft = useMemo<SessionSetupDraft>(() => {
    const n = name.trim();
    const create =
      mode === "local" || mode === "rotation"
        ? { mode: "local", name: n, outputDir: strOr(outputDir) }
        : mode === "network"
          ? { mode: "network", name: n, url: strOr(url) }
          : mode === "live"
            ? { mode: "live", name: n, url: strOr(url), liveTimerUs: strOr(liveTimer) }
            : { mode: "snapshot", name: n, ...(strOr(url) ? { url: strOr(url) } : { outputDir: strOr(outputDir) }) };
    const chanDomain = (c: string) => channels.find((x) => x.name === c)?.domain;
    return {
      create,
      channels: channels.map((c) => ({
        session: n,
        domain: c.domain,
        name: c.name.trim(),
        mode: c.mode || undefined,
        subbufSize: strOr(c.subbufSize),
        numSubbuf: intOr(c.numSubbuf),
        switchTimerUs: strOr(c.switchTimer),
        tracefileSize: strOr(c.tracefileSize),
        tracefileCount: intOr(c.tracefileCount),
      })),
      events: events.map((e) => ({
        session: n,
        domain: e.domain,
        kind: e.kind,
        names: e.names
          .split(",")
          .map((x) => x.trim())
          .filter(Boolean),
        channel: e.channel && chanDomain(e.channel) === e.domain ? e.channel : undefined,
        filter: strOr(e.filter),
        loglevel: strOr(e.loglevel),
      })),
      contexts: contexts.map((c) => ({
        session: n,
        domain: c.domain,
        channel: c.channel || undefined,
        types: [...c.types, ...c.extra.split(/[\s,]+/).filter(Boolean)],
      })),
      rotation: mode === "rotation" ? { session: n, timerUs: strOr(rotTimer), size: strOr(rotSize) } : undefined,
    };
  }, [mode, name, outputDir, url, liveTimer, rotTimer, rotSize, channels, events, contexts]);

  const issues = useMemo(() => checkSessionSetup(draft), [draft]);
  const setup = useMutation(
    trpc.sessions.setup.mutationOptions({
      onSettled: () => qc.invalidateQueries({ queryKey: trpc.sessions.list.queryKey() }),
    }),
  );
  const serverField = setup.error ? errorField(setup.error) : null;
  /** The message for one field: the shared schema's (shown once typed, or everywhere after review), or LTTng's answer about it. */
  const issue = (path: string, typedValue?: string): string | null => {
    if (serverField === path && setup.error) return setup.error.message;
    const i = issues.find((x) => x.path === path || x.path.startsWith(`${path}.`));
    if (!i) return null;
    if (reviewed || blocked.has(stepOf(i.path)) || (typedValue !== undefined && typedValue !== "")) return i.message;
    return null;
  };
  const plan = useQuery(trpc.sessions.plan.queryOptions(draft, { enabled: step === STEPS.length - 1 && issues.length === 0 }));

  const go = (i: number) => {
    if (i === STEPS.length - 1) setReviewed(true);
    setStep(i);
  };
  const stepIssues = (i: number) => issues.filter((x) => stepOf(x.path) === i);
  /** Next: only past a step without problems; otherwise its problems are shown where they are. */
  const next = () => {
    if (stepIssues(step).length > 0) {
      setBlocked((b) => new Set(b).add(step));
      return;
    }
    go(step + 1);
  };
  const stepHasIssue = (i: number) => {
    const prefix = ["create", "channels", "events", "contexts"][i];
    const here = (path: string) => (prefix ? path.startsWith(prefix) : false) || (i === 0 && path.startsWith("rotation"));
    return ((reviewed || blocked.has(i)) && issues.some((x) => here(x.path))) || (serverField !== null && here(serverField));
  };
  const patchChannel = (i: number, p: Partial<ChannelDraft>) => setChannels((cs) => cs.map((c, j) => (j === i ? { ...c, ...p } : c)));
  const patchEvent = (i: number, p: Partial<EventDraft>) => setEvents((es) => es.map((e, j) => (j === i ? { ...e, ...p } : e)));
  const patchContext = (i: number, p: Partial<ContextDraft>) => setContexts((cs) => cs.map((c, j) => (j === i ? { ...c, ...p } : c)));
  const defaultChannelFor = (d: BrowserDomain) => channels.find((c) => c.domain === d)?.name ?? "";
  const addEvent = (domain: BrowserDomain, evName: string) => setEvents((es) => [...es, { ...newEvent(defaultChannelFor(domain)), domain, names: evName }]);
  const usesRelay = mode === "network" || mode === "live";

  if (setup.isSuccess) {
    return (
      <section className="td-card space-y-3 p-4" aria-label="Session created" data-testid="wizard-done">
        <h2 className="font-semibold text-emerald-700 dark:text-emerald-400">Session {setup.data.name} created</h2>
        <ol className="space-y-1 text-xs">
          {setup.data.steps.map((s, i) => (
            <li key={i}>
              <code className="text-zinc-600 dark:text-zinc-400">$ {s.command}</code>
              <br />
              <span className="text-emerald-700 dark:text-emerald-400">✓ {s.answer}</span>
            </li>
          ))}
        </ol>
        <div className="flex gap-2">
          <Link className="td-btn-primary" href={`/sessions/${encodeURIComponent(setup.data.name)}`}>
            Open session
          </Link>
          <Link className="td-btn" href="/sessions">
            All sessions
          </Link>
        </div>
      </section>
    );
  }

  return (
    <div className="space-y-3">
      <nav aria-label="Wizard steps" className="flex flex-wrap gap-1">
        {STEPS.map((s, i) => (
          <button
            key={s}
            type="button"
            onClick={() => go(i)}
            aria-current={step === i ? "step" : undefined}
            className={`rounded px-3 py-1 text-[13px] font-medium ${step === i ? "bg-sky-600 text-white" : "bg-zinc-200 text-zinc-700 hover:bg-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:hover:bg-zinc-700"}`}
          >
            {i + 1}. {s}
            {stepHasIssue(i) ? " ⚠" : ""}
          </button>
        ))}
      </nav>

      {step === 0 && (
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
                    <input
                      type="radio"
                      name="mode"
                      value={m.id}
                      checked={mode === m.id}
                      onChange={() => {
                        setMode(m.id);
                        setChannels((cs) => cs.map((c) => ({ ...c, mode: m.id === "snapshot" ? "overwrite" : c.mode === "overwrite" ? "" : c.mode })));
                      }}
                    />
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
              <input id="wz-name" className="td-input w-64 font-mono" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
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
                  onChange={(e) => setOutputDir(e.target.value)}
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
                  onChange={(e) => setUrl(e.target.value)}
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
                <input id="wz-live" className="td-input w-28 font-mono" value={liveTimer} onChange={(e) => setLiveTimer(e.target.value)} placeholder="1s" />
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
                    onChange={(e) => setRotTimer(e.target.value)}
                    placeholder="30s"
                  />
                  <FieldError message={issue("rotation.timerUs", rotTimer)} />
                </div>
                <div>
                  <label className="td-label" htmlFor="wz-rot-size">
                    and/or when a chunk reaches
                  </label>
                  <input id="wz-rot-size" className="td-input w-28 font-mono" value={rotSize} onChange={(e) => setRotSize(e.target.value)} placeholder="64M" />
                  <FieldError message={issue("rotation.size", rotSize)} />
                </div>
                <FieldError message={reviewed || rotTimer || rotSize ? issues.find((x) => x.path === "rotation")?.message : null} />
              </>
            )}
          </div>
        </section>
      )}

      {step === 1 && (
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
                  <button key={p.id} type="button" className="td-btn" title={p.explain} onClick={() => patchChannel(i, p.apply(c))}>
                    {p.label}
                  </button>
                ))}
                <button type="button" className="td-btn ml-auto" onClick={() => setChannels((cs) => cs.filter((_, j) => j !== i))}>
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
                    onChange={(e) => patchChannel(i, { domain: e.target.value === "kernel" ? "kernel" : "userspace" })}
                  >
                    <option value="userspace">user space</option>
                    <option value="kernel">kernel</option>
                  </select>
                </Field>
                <Field label="Name" id={`ch-${i}-name`} error={issue(`channels.${i}.name`, c.name)}>
                  <input id={`ch-${i}-name`} className="td-input w-32 font-mono" value={c.name} onChange={(e) => patchChannel(i, { name: e.target.value })} />
                </Field>
                <Field label="When full" id={`ch-${i}-mode`}>
                  <select
                    id={`ch-${i}-mode`}
                    className="td-input"
                    value={c.mode}
                    onChange={(e) => patchChannel(i, { mode: e.target.value as ChannelDraft["mode"] })}
                  >
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
                    onChange={(e) => patchChannel(i, { subbufSize: e.target.value })}
                    placeholder="512k"
                  />
                </Field>
                <Field label="Sub-buffers" id={`ch-${i}-num`} error={issue(`channels.${i}.numSubbuf`, c.numSubbuf)}>
                  <input
                    id={`ch-${i}-num`}
                    className="td-input w-16 font-mono"
                    value={c.numSubbuf}
                    onChange={(e) => patchChannel(i, { numSubbuf: e.target.value })}
                    placeholder="4"
                  />
                </Field>
                <Field label="Switch timer" id={`ch-${i}-switch`} error={issue(`channels.${i}.switchTimerUs`, c.switchTimer)}>
                  <input
                    id={`ch-${i}-switch`}
                    className="td-input w-20 font-mono"
                    value={c.switchTimer}
                    onChange={(e) => patchChannel(i, { switchTimer: e.target.value })}
                    placeholder="off"
                  />
                </Field>
                <Field label="Trace file size" id={`ch-${i}-tfsize`} error={issue(`channels.${i}.tracefileSize`, c.tracefileSize)}>
                  <input
                    id={`ch-${i}-tfsize`}
                    className="td-input w-24 font-mono"
                    value={c.tracefileSize}
                    onChange={(e) => patchChannel(i, { tracefileSize: e.target.value })}
                    placeholder="unlimited"
                  />
                </Field>
                <Field label="Trace file count" id={`ch-${i}-tfcount`} error={issue(`channels.${i}.tracefileCount`, c.tracefileCount)}>
                  <input
                    id={`ch-${i}-tfcount`}
                    className="td-input w-16 font-mono"
                    value={c.tracefileCount}
                    onChange={(e) => patchChannel(i, { tracefileCount: e.target.value })}
                    placeholder="∞"
                  />
                </Field>
              </div>
              <FieldError message={serverField?.startsWith(`channels.${i}`) ? setup.error?.message : null} />
            </fieldset>
          ))}
          <button type="button" className="td-btn" onClick={() => setChannels((cs) => [...cs, { ...newChannel(mode), name: `ch${cs.length}` }])}>
            Add channel
          </button>
        </section>
      )}

      {step === 2 && (
        <section className="td-card space-y-3 p-4" aria-label="Events">
          <div className="grid gap-4 xl:grid-cols-2">
            <div>
              <h3 className="mb-1 text-sm font-semibold">Event rules</h3>
              {events.length === 0 && (
                <p className="text-xs text-zinc-500">No event rule yet: pick from the available events, or type a name or pattern below.</p>
              )}
              <div className="space-y-2">
                {events.map((e, i) => (
                  <fieldset key={i} className="rounded border border-zinc-200 p-2 dark:border-zinc-800" aria-label={`Event rule ${i + 1}`}>
                    <div className="flex flex-wrap items-start gap-2">
                      <Field label="Domain" id={`ev-${i}-domain`}>
                        <select
                          id={`ev-${i}-domain`}
                          className="td-input"
                          value={e.domain}
                          onChange={(x) =>
                            patchEvent(i, { domain: x.target.value as BrowserDomain, channel: defaultChannelFor(x.target.value as BrowserDomain) })
                          }
                        >
                          {DOMAIN_TABS.map((d) => (
                            <option key={d.id} value={d.id}>
                              {d.label}
                            </option>
                          ))}
                        </select>
                      </Field>
                      {e.domain === "kernel" && (
                        <Field label="Kind" id={`ev-${i}-kind`}>
                          <select
                            id={`ev-${i}-kind`}
                            className="td-input"
                            value={e.kind}
                            onChange={(x) => patchEvent(i, { kind: x.target.value === "syscall" ? "syscall" : "tracepoint" })}
                          >
                            <option value="tracepoint">tracepoint</option>
                            <option value="syscall">system call</option>
                          </select>
                        </Field>
                      )}
                      <Field label="Names (comma-separated, * wildcard)" id={`ev-${i}-names`} error={issue(`events.${i}.names`, e.names)}>
                        <input
                          id={`ev-${i}-names`}
                          className="td-input w-64 font-mono"
                          value={e.names}
                          onChange={(x) => patchEvent(i, { names: x.target.value })}
                        />
                      </Field>
                      {(e.domain === "userspace" || e.domain === "kernel") && (
                        <Field label="Channel" id={`ev-${i}-channel`}>
                          <select id={`ev-${i}-channel`} className="td-input" value={e.channel} onChange={(x) => patchEvent(i, { channel: x.target.value })}>
                            <option value="">default (channel0)</option>
                            {channels
                              .filter((c) => c.domain === e.domain)
                              .map((c) => (
                                <option key={c.name} value={c.name}>
                                  {c.name}
                                </option>
                              ))}
                          </select>
                        </Field>
                      )}
                      {e.domain !== "kernel" && (
                        <Field label="Log level (and more severe)" id={`ev-${i}-loglevel`} error={issue(`events.${i}.loglevel`, e.loglevel)}>
                          <input
                            id={`ev-${i}-loglevel`}
                            className="td-input w-32 font-mono"
                            value={e.loglevel}
                            onChange={(x) => patchEvent(i, { loglevel: x.target.value })}
                            placeholder="any"
                          />
                        </Field>
                      )}
                      <button
                        type="button"
                        className="td-btn mt-5"
                        onClick={() => setEvents((es) => es.filter((_, j) => j !== i))}
                        aria-label={`Remove event rule ${i + 1}`}
                      >
                        Remove
                      </button>
                    </div>
                    <FilterEditor
                      id={`ev-${i}-filter`}
                      value={e.filter}
                      onChange={(f) => patchEvent(i, { filter: f })}
                      error={issue(`events.${i}.filter`, e.filter)}
                    />
                    <FieldError message={serverField?.startsWith(`events.${i}`) && serverField !== `events.${i}.filter` ? setup.error?.message : null} />
                  </fieldset>
                ))}
              </div>
              <form
                className="mt-2 flex items-end gap-2"
                onSubmit={(x) => {
                  x.preventDefault();
                  if (typed.trim()) addEvent(pickDomain, typed.trim());
                  setTyped("");
                }}
              >
                <div>
                  <label className="td-label" htmlFor="ev-typed">
                    Type an event name or pattern ({DOMAIN_TABS.find((d) => d.id === pickDomain)?.label})
                  </label>
                  <input
                    id="ev-typed"
                    className="td-input w-72 font-mono"
                    value={typed}
                    onChange={(x) => setTyped(x.target.value)}
                    placeholder="provider:event or provider:*"
                  />
                </div>
                <button type="submit" className="td-btn">
                  Add rule
                </button>
              </form>
            </div>
            <div>
              <h3 className="mb-1 text-sm font-semibold">Available events</h3>
              <DomainTabs value={pickDomain} onChange={setPickDomain} />
              <AvailableEvents domain={pickDomain} onPick={addEvent} compact />
            </div>
          </div>
        </section>
      )}

      {step === 3 && (
        <section className="td-card space-y-3 p-4" aria-label="Contexts">
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            Context fields are recorded with every event of the channel (they cost space and time: add only what the analysis needs).
          </p>
          {contexts.map((c, i) => (
            <fieldset key={i} className="rounded border border-zinc-200 p-2 dark:border-zinc-800" aria-label={`Contexts ${i + 1}`}>
              <div className="mb-2 flex flex-wrap items-end gap-2">
                <Field label="Domain" id={`ctx-${i}-domain`}>
                  <select
                    id={`ctx-${i}-domain`}
                    className="td-input"
                    value={c.domain}
                    onChange={(x) => {
                      const domain = x.target.value as BrowserDomain;
                      // Types the new domain does not take are dropped, not left to fail at create.
                      patchContext(i, {
                        domain,
                        channel: "",
                        types: c.types.filter((t) => (CONTEXT_TYPES_BY_DOMAIN[domain] as readonly string[]).includes(t)),
                      });
                    }}
                  >
                    {CONTEXT_DOMAINS.map((d) => (
                      <option key={d.id} value={d.id}>
                        {d.label}
                      </option>
                    ))}
                  </select>
                </Field>
                {(c.domain === "userspace" || c.domain === "kernel") && (
                  <Field label="Channel" id={`ctx-${i}-channel`}>
                    <select id={`ctx-${i}-channel`} className="td-input" value={c.channel} onChange={(x) => patchContext(i, { channel: x.target.value })}>
                      <option value="">all channels</option>
                      {channels
                        .filter((ch) => ch.domain === c.domain)
                        .map((ch) => (
                          <option key={ch.name} value={ch.name}>
                            {ch.name}
                          </option>
                        ))}
                    </select>
                  </Field>
                )}
                <Field
                  label="Other types (perf:thread:…, $app.PROVIDER:TYPE)"
                  id={`ctx-${i}-extra`}
                  error={issue(`contexts.${i}.types`, c.extra || (c.types.length ? "x" : ""))}
                >
                  <input
                    id={`ctx-${i}-extra`}
                    className="td-input w-72 font-mono"
                    value={c.extra}
                    onChange={(x) => patchContext(i, { extra: x.target.value })}
                  />
                </Field>
                <button type="button" className="td-btn" onClick={() => setContexts((cs) => cs.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </div>
              <div className="grid grid-cols-3 gap-x-3 gap-y-0.5 sm:grid-cols-5 xl:grid-cols-8" data-testid={`ctx-${i}-types`}>
                {CONTEXT_TYPES_BY_DOMAIN[c.domain].map((t) => (
                  <label key={t} className="flex items-center gap-1 font-mono text-xs">
                    <input
                      type="checkbox"
                      checked={c.types.includes(t)}
                      onChange={(x) => patchContext(i, { types: x.target.checked ? [...c.types, t] : c.types.filter((y) => y !== t) })}
                    />
                    {t}
                  </label>
                ))}
              </div>
            </fieldset>
          ))}
          <button
            type="button"
            className="td-btn"
            onClick={() => setContexts((cs) => [...cs, { domain: "userspace", channel: "", types: ["vpid", "vtid", "procname"], extra: "" }])}
          >
            Add contexts
          </button>
        </section>
      )}

      {step === 4 && (
        <section className="td-card space-y-3 p-4" aria-label="Review">
          <p className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="wizard-summary">
            <b>{MODES.find((m) => m.id === mode)?.label}</b>: {MODES.find((m) => m.id === mode)?.useCase} {channels.length} channel
            {channels.length === 1 ? "" : "s"}, {events.length} event rule{events.length === 1 ? "" : "s"}, {contexts.length} context set
            {contexts.length === 1 ? "" : "s"}.
            {events.length === 0 && " Without an event rule nothing is recorded; rules can be added later on the session page."}
          </p>
          {issues.length > 0 ? (
            <div role="alert" data-testid="wizard-issues">
              <h3 className="text-sm font-semibold text-red-600">Fix these before creating the session:</h3>
              <ul className="ml-4 list-disc text-xs text-red-600">
                {issues.map((x, i) => (
                  <li key={i}>
                    <code>{x.path}</code>: {x.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <div>
              <h3 className="mb-1 text-sm font-semibold">
                Equivalent <code>lttng</code> commands
              </h3>
              {plan.isPending ? (
                <p className="text-xs text-zinc-500">
                  <Spinner /> Asking the server…
                </p>
              ) : plan.error ? (
                <p role="alert" className="text-xs text-red-600">
                  {plan.error.message}
                </p>
              ) : plan.data.issues.length > 0 ? (
                <ul role="alert" className="ml-4 list-disc text-xs text-red-600">
                  {plan.data.issues.map((x, i) => (
                    <li key={i}>
                      <code>{x.path}</code>: {x.message}
                    </li>
                  ))}
                </ul>
              ) : (
                <pre data-testid="equivalent-commands" className="overflow-x-auto rounded bg-zinc-100 p-2 font-mono text-xs dark:bg-zinc-950">
                  {plan.data.commands.map((c) => `$ ${c}`).join("\n")}
                </pre>
              )}
            </div>
          )}
          {setup.error && (
            <div
              role="alert"
              className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-700 dark:border-red-900 dark:bg-red-950/40 dark:text-red-300"
              data-testid="wizard-error"
            >
              <b>LTTng refused{serverField ? ` (${serverField})` : ""}:</b> {setup.error.message}
              <div className="text-xs">Nothing was left behind: a partly made session is destroyed again.</div>
            </div>
          )}
          <div className="flex items-center gap-2">
            <button
              type="button"
              className="td-btn-primary"
              disabled={issues.length > 0 || setup.isPending || !plan.data || plan.data.issues.length > 0}
              onClick={() => setup.mutate(draft)}
            >
              {setup.isPending ? (
                <>
                  <Spinner /> Creating…
                </>
              ) : (
                "Create session"
              )}
            </button>
            {setup.isPending && (
              <span role="status" className="text-xs text-zinc-500">
                Running {plan.data?.commands.length ?? ""} lttng commands…
              </span>
            )}
          </div>
        </section>
      )}

      <div className="flex gap-2">
        <button type="button" className="td-btn" disabled={step === 0} onClick={() => go(step - 1)}>
          Back
        </button>
        {step < STEPS.length - 1 && (
          <button type="button" className="td-btn-primary" onClick={next}>
            Next
          </button>
        )}
        {blocked.has(step) && stepIssues(step).length > 0 && (
          <p role="alert" className="self-center text-xs text-red-600" data-testid="wizard-blocked">
            Fix {stepIssues(step).length === 1 ? "the marked field" : `the ${stepIssues(step).length} marked fields`} before going on.
          </p>
        )}
      </div>
    </div>
  );
}

function Field({ label, id, error, children }: { label: string; id: string; error?: string | null; children: ReactNode }) {
  return (
    <div>
      <label className="td-label" htmlFor={id}>
        {label}
      </label>
      {children}
      <div className="max-w-[16rem]">
        <FieldError message={error} />
      </div>
    </div>
  );
}
