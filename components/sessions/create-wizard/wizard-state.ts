/**
 * The session creation wizard's state as one reducer: what was typed on each step, the step
 * shown, and which steps' problems are already shown. Pure (no React), so every rule of the
 * wizard (what a mode does to the channels, which channel a picked event goes to, when a step
 * may be left) is tested without a browser (wizard-state.test.ts).
 */
import { CONTEXT_TYPES_BY_DOMAIN, checkSessionSetup, type SessionSetupDraft } from "@/server/shared/validators";
import type { BrowserDomain } from "../available-events";

export type WizardMode = "local" | "network" | "live" | "snapshot" | "rotation";

export const MODES: ReadonlyArray<{ id: WizardMode; label: string; useCase: string }> = [
  { id: "local", label: "Local disk", useCase: "Full life-cycle of a run written to this machine's disk, for post-mortem analysis." },
  { id: "network", label: "Streaming", useCase: "Full life-cycle and post-mortem, written by lttng-relayd (another disk, another machine)." },
  { id: "live", label: "Live", useCase: "Continuous monitoring and quick feedback: read the trace while it is recorded, through the relay." },
  { id: "snapshot", label: "Snapshot", useCase: "Ring buffers in memory; write out the seconds before an error, on demand or from a trigger." },
  { id: "rotation", label: "Local + rotation", useCase: "Process closed chunks (archives) while tracing continues, on a timer or a size." },
];

/** A channel as typed: every field a string until `toSetupDraft` (the shared schema reports bad ones). */
export interface ChannelDraft {
  domain: "userspace" | "kernel";
  name: string;
  mode: "" | "discard" | "overwrite";
  subbufSize: string;
  numSubbuf: string;
  switchTimer: string;
  tracefileSize: string;
  tracefileCount: string;
}

export interface EventDraft {
  domain: BrowserDomain;
  kind: "tracepoint" | "syscall";
  /** Comma-separated names or patterns. */
  names: string;
  channel: string;
  filter: string;
  loglevel: string;
}

export interface ContextDraft {
  domain: BrowserDomain;
  channel: string;
  /** The ticked fixed types. */
  types: string[];
  /** Other types, typed (perf counters, app contexts). */
  extra: string;
}

export interface ChannelPreset {
  id: string;
  label: string;
  explain: string;
  apply: (c: ChannelDraft) => ChannelDraft;
}

export const PRESETS: readonly ChannelPreset[] = [
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

export const STEPS = ["Mode", "Channels", "Events", "Contexts", "Review"] as const;
export const REVIEW_STEP = STEPS.length - 1;

/** The wizard step a draft path belongs to (create and rotation are on the first). */
export const stepOf = (path: string): number => (path.startsWith("channels") ? 1 : path.startsWith("events") ? 2 : path.startsWith("contexts") ? 3 : 0);

/** The fields of the first step, and the events step's "type a name" box. */
export type TextField = "name" | "outputDir" | "url" | "liveTimer" | "rotTimer" | "rotSize" | "typed";

export interface WizardState {
  step: number;
  /** The review step was reached once: every problem shows, typed in or not. */
  reviewed: boolean;
  /** Steps whose "Next" was refused: their problems show even in fields not typed in yet. */
  blocked: readonly number[];
  mode: WizardMode;
  name: string;
  outputDir: string;
  url: string;
  liveTimer: string;
  rotTimer: string;
  rotSize: string;
  channels: ChannelDraft[];
  events: EventDraft[];
  contexts: ContextDraft[];
  /** The available-events browser's domain, which is also the typed rule's. */
  pickDomain: BrowserDomain;
  typed: string;
}

export type WizardAction =
  | { type: "go"; step: number }
  | { type: "next" }
  | { type: "setMode"; mode: WizardMode }
  | { type: "setText"; field: TextField; value: string }
  | { type: "addChannel" }
  | { type: "patchChannel"; index: number; patch: Partial<ChannelDraft> }
  | { type: "applyPreset"; index: number; presetId: string }
  | { type: "removeChannel"; index: number }
  | { type: "addEvent"; domain: BrowserDomain; names: string }
  | { type: "addTypedEvent" }
  | { type: "patchEvent"; index: number; patch: Partial<Omit<EventDraft, "domain">> }
  | { type: "setEventDomain"; index: number; domain: BrowserDomain }
  | { type: "removeEvent"; index: number }
  | { type: "addContexts" }
  | { type: "patchContexts"; index: number; patch: Partial<Omit<ContextDraft, "domain">> }
  | { type: "setContextsDomain"; index: number; domain: BrowserDomain }
  | { type: "removeContexts"; index: number }
  | { type: "pickDomain"; domain: BrowserDomain };

export const newChannel = (mode: WizardMode, index = 0): ChannelDraft => ({
  domain: "userspace",
  name: `ch${index}`,
  mode: mode === "snapshot" ? "overwrite" : "",
  subbufSize: "",
  numSubbuf: "",
  switchTimer: "",
  tracefileSize: "",
  tracefileCount: "",
});

export const initialWizardState = (): WizardState => ({
  step: 0,
  reviewed: false,
  blocked: [],
  mode: "local",
  name: "",
  outputDir: "",
  url: "",
  liveTimer: "",
  rotTimer: "",
  rotSize: "",
  channels: [newChannel("local")],
  events: [],
  contexts: [],
  pickDomain: "userspace",
  typed: "",
});

/** `?mode=` of the page's URL (a link such as the Spikes page's "create a snapshot session"), when it names a mode. */
export function modeParam(v: string | string[] | undefined): WizardMode | undefined {
  return MODES.find((m) => m.id === v)?.id;
}

/** The first channel of a domain: where a new rule of that domain goes unless chosen otherwise. */
export const defaultChannelFor = (s: WizardState, domain: BrowserDomain): string => s.channels.find((c) => c.domain === domain)?.name ?? "";

const patchAt = <T>(list: readonly T[], index: number, patch: (x: T) => T): T[] => list.map((x, j) => (j === index ? patch(x) : x));
const without = <T>(list: readonly T[], index: number): T[] => list.filter((_, j) => j !== index);

export function wizardReducer(s: WizardState, a: WizardAction): WizardState {
  switch (a.type) {
    case "go":
      return { ...s, step: a.step, reviewed: s.reviewed || a.step === REVIEW_STEP };
    case "next":
      // Only past a step without problems; otherwise its problems are shown where they are.
      if (stepIssues(checkSessionSetup(toSetupDraft(s)), s.step).length > 0) return s.blocked.includes(s.step) ? s : { ...s, blocked: [...s.blocked, s.step] };
      return wizardReducer(s, { type: "go", step: s.step + 1 });
    case "setMode":
      // Snapshot sessions default to overwrite (a ring buffer); leaving snapshot mode drops it again.
      return {
        ...s,
        mode: a.mode,
        channels: s.channels.map((c) => ({ ...c, mode: a.mode === "snapshot" ? "overwrite" : c.mode === "overwrite" ? "" : c.mode })),
      };
    case "setText":
      return { ...s, [a.field]: a.value };
    case "addChannel":
      return { ...s, channels: [...s.channels, newChannel(s.mode, s.channels.length)] };
    case "patchChannel":
      return { ...s, channels: patchAt(s.channels, a.index, (c) => ({ ...c, ...a.patch })) };
    case "applyPreset": {
      const preset = PRESETS.find((p) => p.id === a.presetId);
      return preset ? { ...s, channels: patchAt(s.channels, a.index, preset.apply) } : s;
    }
    case "removeChannel":
      return { ...s, channels: without(s.channels, a.index) };
    case "addEvent":
      return { ...s, events: [...s.events, newEvent(s, a.domain, a.names)] };
    case "addTypedEvent": {
      const names = s.typed.trim();
      return { ...s, typed: "", events: names ? [...s.events, newEvent(s, s.pickDomain, names)] : s.events };
    }
    case "patchEvent":
      return { ...s, events: patchAt(s.events, a.index, (e) => ({ ...e, ...a.patch })) };
    case "setEventDomain":
      return { ...s, events: patchAt(s.events, a.index, (e) => ({ ...e, domain: a.domain, channel: defaultChannelFor(s, a.domain) })) };
    case "removeEvent":
      return { ...s, events: without(s.events, a.index) };
    case "addContexts":
      return { ...s, contexts: [...s.contexts, { domain: "userspace", channel: "", types: ["vpid", "vtid", "procname"], extra: "" }] };
    case "patchContexts":
      return { ...s, contexts: patchAt(s.contexts, a.index, (c) => ({ ...c, ...a.patch })) };
    case "setContextsDomain": {
      // Types the new domain does not take are dropped, not left to fail at create.
      const takes = CONTEXT_TYPES_BY_DOMAIN[a.domain] as readonly string[];
      return {
        ...s,
        contexts: patchAt(s.contexts, a.index, (c) => ({ ...c, domain: a.domain, channel: "", types: c.types.filter((t) => takes.includes(t)) })),
      };
    }
    case "removeContexts":
      return { ...s, contexts: without(s.contexts, a.index) };
    case "pickDomain":
      return { ...s, pickDomain: a.domain };
  }
}

function newEvent(s: WizardState, domain: BrowserDomain, names: string): EventDraft {
  return { domain, kind: "tracepoint", names, channel: defaultChannelFor(s, domain), filter: "", loglevel: "" };
}

/** "4" → 4; anything else is passed as typed so the shared schema reports it. */
const intOr = (s: string): number | string | undefined => (s.trim() === "" ? undefined : /^\d+$/.test(s.trim()) ? Number(s.trim()) : s.trim());
const strOr = (s: string): string | undefined => (s.trim() === "" ? undefined : s.trim());

/** What the wizard asks the server to check, plan and run (`sessions.plan`, `sessions.setup`). */
export function toSetupDraft(s: WizardState): SessionSetupDraft {
  const n = s.name.trim();
  const create =
    s.mode === "local" || s.mode === "rotation"
      ? { mode: "local", name: n, outputDir: strOr(s.outputDir) }
      : s.mode === "network"
        ? { mode: "network", name: n, url: strOr(s.url) }
        : s.mode === "live"
          ? { mode: "live", name: n, url: strOr(s.url), liveTimerUs: strOr(s.liveTimer) }
          : { mode: "snapshot", name: n, ...(strOr(s.url) ? { url: strOr(s.url) } : { outputDir: strOr(s.outputDir) }) };
  const chanDomain = (c: string) => s.channels.find((x) => x.name === c)?.domain;
  return {
    create,
    channels: s.channels.map((c) => ({
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
    events: s.events.map((e) => ({
      session: n,
      domain: e.domain,
      kind: e.kind,
      names: e.names
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
      // A rule whose channel is of another domain (the channel's domain changed) goes to the default.
      channel: e.channel && chanDomain(e.channel) === e.domain ? e.channel : undefined,
      filter: strOr(e.filter),
      loglevel: strOr(e.loglevel),
    })),
    contexts: s.contexts.map((c) => ({
      session: n,
      domain: c.domain,
      channel: c.channel || undefined,
      types: [...c.types, ...c.extra.split(/[\s,]+/).filter(Boolean)],
    })),
    rotation: s.mode === "rotation" ? { session: n, timerUs: strOr(s.rotTimer), size: strOr(s.rotSize) } : undefined,
  };
}

export type SetupIssue = { path: string; message: string };

/** The problems that keep step `step` from being left. */
export const stepIssues = (issues: readonly SetupIssue[], step: number): SetupIssue[] => issues.filter((x) => stepOf(x.path) === step);

/**
 * The message to show for one field: LTTng's answer about it (`serverField`), else the shared
 * schema's, once the field is typed in, its step was refused, or the review was reached.
 */
export function fieldIssue(
  s: WizardState,
  issues: readonly SetupIssue[],
  server: { field: string | null; message: string | null },
  path: string,
  typedValue?: string,
): string | null {
  if (server.field === path && server.message) return server.message;
  const i = issues.find((x) => x.path === path || x.path.startsWith(`${path}.`));
  if (!i) return null;
  if (s.reviewed || s.blocked.includes(stepOf(i.path)) || (typedValue !== undefined && typedValue !== "")) return i.message;
  return null;
}

/** Whether the steps bar marks step `step` (⚠): its problems are shown, or LTTng refused one of its fields. */
export function stepHasIssue(s: WizardState, issues: readonly SetupIssue[], serverField: string | null, step: number): boolean {
  const prefix = ["create", "channels", "events", "contexts"][step];
  const here = (path: string) => (prefix ? path.startsWith(prefix) : false) || (step === 0 && path.startsWith("rotation"));
  return ((s.reviewed || s.blocked.includes(step)) && issues.some((x) => here(x.path))) || (serverField !== null && here(serverField));
}
