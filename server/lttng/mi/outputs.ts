/**
 * zod converters from raw MI element trees (see `document.ts`) to the typed results of the
 * controller. Raw leaves are strings, empty elements are `""`, list items are arrays. Units
 * are in the field names (`…Us` microseconds, `…Bytes`). Only this folder sees MI shapes.
 */
import { z } from "zod";

// ---------------------------------------------------------------- raw helpers

/** `""` (an empty element such as `<sessions/>`) read as an empty object. */
const emptyToObject = (v: unknown): unknown => (v === "" || v === undefined || v === null ? {} : v);
function obj<T extends z.ZodRawShape>(shape: T) {
  return z.preprocess(emptyToObject, z.object(shape));
}
function looseObj<T extends z.ZodRawShape>(shape: T) {
  return z.preprocess(emptyToObject, z.looseObject(shape));
}
/** A list of items that may be absent, empty (`""`) or an array. */
function list<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(item));
}
/** `<wrapper><item/>…</wrapper>` → item[]. */
function wrapped<T extends z.ZodType>(key: string, item: T) {
  return z.preprocess((v) => {
    const o = emptyToObject(v) as Record<string, unknown>;
    return o[key];
  }, list(item));
}
/** The first item of an always-array element (`session`, `snapshot` …), `{}` when absent. */
function first<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => {
    const a = v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v];
    return a[0] === undefined || a[0] === "" ? {} : a[0];
  }, item);
}
const str = z.string();
const optStr = z.string().optional();
const bool = z.enum(["true", "false"]).transform((v) => v === "true");
const uint = z.string().regex(/^\d+$/, "expected an unsigned integer").transform(Number);
const int = z
  .string()
  .regex(/^-?\d+$/, "expected an integer")
  .transform(Number);
const U64_MAX = "18446744073709551615";
const U32_MAX = "4294967295";
/** An unsigned value where 0 or the all-ones sentinel means "not set". */
const unsetZeroOrMax = z
  .string()
  .regex(/^\d+$/)
  .transform((v) => (v === "0" || v === U64_MAX || v === U32_MAX ? null : Number(v)));

// ---------------------------------------------------------------- version

export const MiVersion = z
  .object({
    version: first(
      obj({
        string: str,
        major: uint,
        minor: uint,
        patchLevel: uint,
        commit: z.string().default(""),
        name: z.string().default(""),
        description: z.string().default(""),
        url: z.string().default(""),
        license: z.string().default(""),
      }),
    ),
  })
  .transform((o) => o.version);
export type LttngVersion = z.output<typeof MiVersion>;

// ---------------------------------------------------------------- sessions

/** How a session records: decided by LTTng at creation and never changed afterwards. */
export type SessionMode = "local" | "network" | "live" | "snapshot" | "no-output";

const RawSession = obj({
  name: str,
  path: z.string().default(""),
  enabled: bool.default(false),
  snapshot_mode: uint.default(0),
  live_timer_interval: uint.default(0),
});

function sessionMode(s: { path: string; snapshot_mode: number; live_timer_interval: number }): SessionMode {
  if (s.snapshot_mode === 1) return "snapshot";
  if (s.live_timer_interval > 0) return "live";
  if (/^(tcp6?|tcp4|net6?|net4?):\/\//.test(s.path)) return "network";
  if (s.path === "") return "no-output";
  return "local";
}

export const MiSessionSummary = RawSession.transform((s) => ({
  name: s.name,
  /** Local directory, or `tcp4://HOST:CTRL/ [data: DATA]` for network and live sessions; `""` for snapshot sessions. */
  // A loaded session (`load --override-url file://DIR`) reports `DIR/`: one spelling per directory.
  path: s.path.startsWith("/") && s.path.length > 1 ? s.path.replace(/\/+$/, "") : s.path,
  /** Tracing is active (LTTng's `enabled`). */
  active: s.enabled,
  mode: sessionMode(s),
  /** Live timer of live sessions (from the session element: the channel one always says 0). */
  liveTimerUs: s.live_timer_interval > 0 ? s.live_timer_interval : null,
}));
export type SessionSummary = z.output<typeof MiSessionSummary>;

/** `list`, `create`, `destroy`, `clear`: a `<sessions>` wrapper, or one `<session>` (create). */
export const MiSessionList = obj({ sessions: z.unknown().optional(), session: z.unknown().optional() }).transform((o, ctx) => {
  const raw = o.sessions !== undefined ? wrapped("session", MiSessionSummary).safeParse(o.sessions) : list(MiSessionSummary).safeParse(o.session);
  if (!raw.success) {
    for (const i of raw.error.issues) ctx.addIssue({ ...i, code: "custom", message: i.message });
    return z.NEVER;
  }
  return raw.data;
});

/** `start`/`stop`: `sessions/session/{name,enabled}`. */
export const MiStartStop = obj({ sessions: wrapped("session", obj({ name: str, enabled: bool })) }).transform((o) =>
  o.sessions.map((s) => ({ name: s.name, active: s.enabled })),
);

// ---------------------------------------------------------------- channels and events

const ChannelAttributes = obj({
  overwrite_mode: z.enum(["OVERWRITE", "DISCARD"]).default("DISCARD"),
  subbuffer_size: uint.default(0),
  subbuffer_count: uint.default(0),
  switch_timer_interval: uint.default(0),
  read_timer_interval: uint.default(0),
  monitor_timer_interval: uint.default(0),
  blocking_timeout: int.default(0),
  output_type: z.enum(["MMAP", "SPLICE"]).default("MMAP"),
  tracefile_size: uint.default(0),
  tracefile_count: uint.default(0),
  discarded_events: uint.default(0),
  lost_packets: uint.default(0),
}).transform((a) => ({
  overwrite: a.overwrite_mode === "OVERWRITE",
  subbufSizeBytes: a.subbuffer_size,
  subbufCount: a.subbuffer_count,
  switchTimerUs: a.switch_timer_interval,
  readTimerUs: a.read_timer_interval,
  monitorTimerUs: a.monitor_timer_interval,
  /** -1: block forever; 0: never block. */
  blockingTimeoutUs: a.blocking_timeout,
  output: a.output_type === "MMAP" ? ("mmap" as const) : ("splice" as const),
  tracefileSizeBytes: a.tracefile_size,
  tracefileCount: a.tracefile_count,
  discardedEvents: a.discarded_events,
  lostPackets: a.lost_packets,
}));
export type ChannelAttributes = z.output<typeof ChannelAttributes>;

/**
 * `<exclusions>` may appear twice in `enable-event --exclude` output (`<exclusions/>` then
 * `<exclusions><exclusion>…`): an upstream MI bug. Merge every copy.
 */
const Exclusions = list(z.union([z.literal(""), obj({ exclusion: list(str) })])).transform((copies) => copies.flatMap((c) => (c === "" ? [] : c.exclusion)));

const EventField = obj({ name: str, type: str, nowrite: int.default(0) }).transform((f) => ({ name: f.name, type: f.type, nowrite: f.nowrite !== 0 }));

export const MiEvent = obj({
  name: z.string().default(""),
  type: z.string().default("TRACEPOINT"),
  enabled: bool.default(false),
  filter_expression: optStr,
  loglevel: optStr,
  loglevel_type: z.enum(["ALL", "RANGE", "SINGLE", "UNKNOWN"]).optional(),
  exclusions: Exclusions.optional(),
  attributes: obj({
    probe_attributes: obj({ address: optStr, offset: optStr, symbol_name: optStr }).optional(),
    function_attributes: obj({ symbol_name: optStr }).optional(),
  }).optional(),
  event_fields: wrapped("event_field", EventField).optional(),
  success: bool.optional(),
}).transform((e) => ({
  name: e.name,
  /** TRACEPOINT, SYSCALL, PROBE, FUNCTION, USERSPACE_PROBE … */
  type: e.type,
  enabled: e.enabled,
  filter: e.filter_expression ?? null,
  /** LTTng's name, e.g. `TRACE_INFO`, `PYTHON_INFO`, `JUL_WARNING`; null when any level matches. */
  loglevel: e.loglevel && e.loglevel_type !== "ALL" ? e.loglevel : (e.loglevel ?? null),
  loglevelType: e.loglevel_type ?? null,
  exclusions: e.exclusions ?? [],
  probe: e.attributes?.probe_attributes
    ? {
        address: e.attributes.probe_attributes.address ?? null,
        offset: e.attributes.probe_attributes.offset ?? null,
        symbol: e.attributes.probe_attributes.symbol_name ?? null,
      }
    : e.attributes?.function_attributes
      ? { address: null, offset: null, symbol: e.attributes.function_attributes.symbol_name ?? null }
      : null,
  fields: e.event_fields ?? [],
  success: e.success,
}));
export type EventRule = z.output<typeof MiEvent>;

export const MiChannel = obj({
  name: str,
  enabled: bool.default(true),
  attributes: ChannelAttributes.optional(),
  events: wrapped("event", MiEvent).optional(),
  success: bool.optional(),
}).transform((c) => ({ name: c.name, enabled: c.enabled, attributes: c.attributes ?? null, events: c.events ?? [], success: c.success }));
export type Channel = z.output<typeof MiChannel>;

export const MiChannels = obj({ channels: wrapped("channel", MiChannel) }).transform((o) => o.channels);

/** `enable-event`: `events/event…`. */
export const MiEvents = obj({ events: wrapped("event", MiEvent) }).transform((o) => o.events);

/** `disable-event`: `channel/{name,events/event…}`. */
export const MiDisableEvent = obj({ channel: first(obj({ name: z.string().default(""), events: wrapped("event", MiEvent) })) }).transform((o) => ({
  channel: o.channel.name,
  events: o.channel.events,
}));

// ---------------------------------------------------------------- trackers

export type TrackerKind = "pid" | "vpid" | "uid" | "vuid" | "gid" | "vgid";
const TRACKER_KINDS: TrackerKind[] = ["pid", "vpid", "uid", "vuid", "gid", "vgid"];

const TrackerValue = obj({
  type: obj({ id: int.optional(), name: optStr, all: bool.optional() }),
  success: bool.optional(),
}).transform((v) => ({ id: v.type.id ?? null, name: v.type.name ?? null, all: v.type.all ?? false, success: v.success }));
export type TrackerValue = z.output<typeof TrackerValue>;

/** `process_attr_trackers`: only trackers that restrict something are listed (empty = everything tracked). */
export const MiTrackers = z.preprocess(emptyToObject, z.record(z.string(), z.unknown())).transform((o, ctx) => {
  const out: Array<{ kind: TrackerKind; values: TrackerValue[] }> = [];
  for (const kind of TRACKER_KINDS) {
    const t = o[`${kind}_process_attr_tracker`];
    if (t === undefined) continue;
    const r = obj({ process_attr_values: wrapped(kind, TrackerValue).optional() }).safeParse(t);
    if (!r.success) {
      ctx.addIssue({ code: "custom", message: `bad ${kind} tracker: ${r.error.message}` });
      return z.NEVER;
    }
    out.push({ kind, values: r.data.process_attr_values ?? [] });
  }
  return out;
});
export type Tracker = z.output<typeof MiTrackers>[number];

/** `track`/`untrack`. */
export const MiTrackResult = obj({ process_attr_trackers: MiTrackers }).transform((o) => o.process_attr_trackers);

// ---------------------------------------------------------------- session detail

export const DOMAINS = ["KERNEL", "UST", "JUL", "LOG4J", "PYTHON"] as const;
export type DomainType = (typeof DOMAINS)[number];

const MiDomain = obj({
  type: z.enum(DOMAINS),
  buffer_type: z.enum(["PER_PID", "PER_UID", "GLOBAL"]),
  process_attr_trackers: MiTrackers.optional(),
  channels: wrapped("channel", MiChannel).optional(),
  events: wrapped("event", MiEvent).optional(),
}).transform((d) => ({
  type: d.type,
  bufferType: d.buffer_type,
  trackers: d.process_attr_trackers ?? [],
  channels: d.channels ?? [],
  /** Agent domains (JUL, LOG4J, PYTHON) list their event rules here, outside channels. */
  events: d.events ?? [],
}));
export type Domain = z.output<typeof MiDomain>;

const RotationSchedules = obj({
  periodic: list(obj({ time_us: uint.optional() })).optional(),
  size_threshold: list(obj({ bytes: uint.optional() })).optional(),
}).transform((r) => ({
  periodicUs: r.periodic?.[0]?.time_us ?? null,
  sizeBytes: r.size_threshold?.[0]?.bytes ?? null,
}));
export type RotationSchedules = z.output<typeof RotationSchedules>;

const MiSessionDetailOne = z
  .preprocess(emptyToObject, z.object({ rotation_schedules: RotationSchedules.optional(), domains: wrapped("domain", MiDomain).optional() }).passthrough())
  .transform((o, ctx) => {
    const summary = MiSessionSummary.safeParse(o);
    if (!summary.success) {
      for (const i of summary.error.issues) ctx.addIssue({ ...i, code: "custom", message: i.message });
      return z.NEVER;
    }
    return {
      ...summary.data,
      rotation: o.rotation_schedules ?? { periodicUs: null, sizeBytes: null },
      domains: o.domains ?? [],
    };
  });
export type SessionDetail = z.output<typeof MiSessionDetailOne>;

/** `list <session>`: `sessions/session` with domains. Empty `<sessions/>` → null (not found). */
export const MiSessionDetail = obj({ sessions: wrapped("session", MiSessionDetailOne) }).transform((o) => o.sessions[0] ?? null);

// ---------------------------------------------------------------- available events (list -k/-u/-j/-l/-p)

const MiPid = obj({ id: int, name: z.string().default(""), events: wrapped("event", MiEvent).optional() }).transform((p) => ({
  pid: p.id,
  /** The process's command line as the tracer registered it. */
  name: p.name,
  events: p.events ?? [],
}));

export const MiAvailable = obj({
  domains: wrapped(
    "domain",
    obj({
      type: z.enum(DOMAINS),
      buffer_type: z.string().optional(),
      pids: wrapped("pid", MiPid).optional(),
      events: wrapped("event", MiEvent).optional(),
    }),
  ),
}).transform((o) => {
  const d = o.domains[0];
  return {
    domain: d?.type ?? null,
    /** Per registered process (user space and agents). */
    processes: d?.pids ?? [],
    /** Kernel domain: the tracepoints or syscalls, not tied to a process. */
    events: d?.events ?? [],
  };
});
export type AvailableEvents = z.output<typeof MiAvailable>;

// ---------------------------------------------------------------- contexts

/**
 * `add-context`: each `<context>` carries its own `<success>` (not allowed by the XSD). A
 * context that failed is reported here with `success: false`.
 */
export const MiContexts = obj({
  contexts: wrapped("context", obj({ type: z.string().default(""), symbol: z.string().default(""), success: bool.optional() })),
}).transform((o) => o.contexts.map((c) => ({ type: c.type, symbol: c.symbol, success: c.success ?? true })));

// ---------------------------------------------------------------- snapshots

const SnapshotOutput = obj({
  id: uint.optional(),
  name: optStr,
  ctrl_url: optStr,
  data_url: optStr,
  session_name: optStr,
  // add-output prints the unset size as u64 max, list-output as 0.
  max_size: unsetZeroOrMax.optional(),
}).transform((s) => ({
  id: s.id ?? null,
  name: s.name ?? null,
  ctrlUrl: s.ctrl_url || null,
  dataUrl: s.data_url || null,
  sessionName: s.session_name ?? null,
  maxSizeBytes: s.max_size ?? null,
}));
export type SnapshotOutput = z.output<typeof SnapshotOutput>;

/**
 * `snapshot …`: `snapshot_action/{name, output}`. The action name is `record` although the XSD
 * only allows `record-output`, so the name is taken as any string.
 */
export const MiSnapshotAction = obj({
  snapshot_action: obj({
    name: str,
    output: obj({
      snapshot: list(SnapshotOutput).optional(),
      session: first(obj({ name: z.string().default(""), snapshots: wrapped("snapshot", SnapshotOutput).optional() })).optional(),
    }),
  }),
}).transform((o) => ({
  action: o.snapshot_action.name,
  outputs: o.snapshot_action.output.session?.snapshots ?? o.snapshot_action.output.snapshot ?? [],
}));

// ---------------------------------------------------------------- rotation

export const MiRotation = obj({
  rotation: obj({
    session_name: str,
    state: z.enum(["ONGOING", "COMPLETED", "EXPIRED", "ERROR", "NO_ROTATION"]).or(z.string()),
    location: obj({
      local: obj({ absolute_path: str }).optional(),
      relay: obj({ host: str, control_port: uint.optional(), data_port: uint.optional(), protocol: str, relative_path: z.string().default("") }).optional(),
    }).optional(),
  }),
}).transform(({ rotation: r }) => ({
  sessionName: r.session_name,
  state: r.state,
  location: r.location?.local
    ? { kind: "local" as const, path: r.location.local.absolute_path }
    : r.location?.relay
      ? {
          kind: "relay" as const,
          host: r.location.relay.host,
          controlPort: r.location.relay.control_port ?? null,
          dataPort: r.location.relay.data_port ?? null,
          protocol: r.location.relay.protocol,
          relativePath: r.location.relay.relative_path,
        }
      : null,
}));
export type RotationResult = z.output<typeof MiRotation>;

export const MiRotationSchedules = obj({
  rotation_schedule_results: obj({
    session_name: str,
    rotation_schedule_result: list(obj({ rotation_schedule: RotationSchedules, success: bool })),
  }),
}).transform((o) => ({
  sessionName: o.rotation_schedule_results.session_name,
  results: o.rotation_schedule_results.rotation_schedule_result.map((r) => ({ ...r.rotation_schedule, success: r.success })),
}));

// ---------------------------------------------------------------- regenerate, save, load

export const MiRegenerate = obj({ regenerate_action: obj({ name: str }) }).transform((o) => ({ what: o.regenerate_action.name }));
export const MiSave = obj({ save: obj({ session: first(obj({ name: z.string().default("") })).optional(), path: z.string().default("") }) }).transform((o) => ({
  session: o.save.session?.name || null,
  path: o.save.path,
}));
export const MiLoad = obj({
  load: obj({
    session: first(obj({ name: z.string().default("") })).optional(),
    path: z.string().default(""),
    overrides: obj({ name: optStr, url: optStr }).optional(),
  }),
}).transform((o) => ({
  session: o.load.session?.name || null,
  path: o.load.path,
  overrides: { name: o.load.overrides?.name ?? null, url: o.load.overrides?.url ?? null },
}));

// ---------------------------------------------------------------- triggers

const RatePolicy = obj({
  rate_policy_every_n: obj({ interval: uint }).optional(),
  rate_policy_once_after_n: obj({ threshold: uint }).optional(),
}).transform((r) =>
  r.rate_policy_once_after_n
    ? { kind: "once-after" as const, count: r.rate_policy_once_after_n.threshold }
    : { kind: "every" as const, count: r.rate_policy_every_n?.interval ?? 1 },
);
export type RatePolicy = z.output<typeof RatePolicy>;

const ErrorCounters = wrapped(
  "error_query_result",
  obj({ name: str, description: z.string().default(""), error_query_result_counter: obj({ value: uint }).optional() }),
).transform((l) => l.map((e) => ({ name: e.name, description: e.description, value: e.error_query_result_counter?.value ?? 0 })));

const SessionAction = obj({ session_name: str, rate_policy: RatePolicy });
/**
 * Actions. LTTng 2.13.9 prints start-session as `action_start_session` (the XSD says
 * `action_start`) and prints stop-session as `action_start_session` too: from the MI alone a
 * stop action reads as a start. The controller corrects the types (from its own input, or the
 * text listing); the raw reading here is "start-session".
 */
const MiAction = obj({
  action_notify: obj({ rate_policy: RatePolicy }).optional(),
  action_start: SessionAction.optional(),
  action_start_session: SessionAction.optional(),
  action_stop: SessionAction.optional(),
  action_stop_session: SessionAction.optional(),
  action_rotate_session: SessionAction.optional(),
  action_snapshot_session: obj({ session_name: str, rate_policy: RatePolicy, output: SnapshotOutput.optional() }).optional(),
  error_query_results: ErrorCounters.optional(),
}).transform((a): TriggerAction => {
  const errors = a.error_query_results ?? [];
  if (a.action_notify) return { type: "notify" as const, sessionName: null, ratePolicy: a.action_notify.rate_policy, snapshotOutput: null, errors };
  const start = a.action_start ?? a.action_start_session;
  const stop = a.action_stop ?? a.action_stop_session;
  if (start) return { type: "start-session" as const, sessionName: start.session_name, ratePolicy: start.rate_policy, snapshotOutput: null, errors };
  if (stop) return { type: "stop-session" as const, sessionName: stop.session_name, ratePolicy: stop.rate_policy, snapshotOutput: null, errors };
  if (a.action_rotate_session)
    return {
      type: "rotate-session" as const,
      sessionName: a.action_rotate_session.session_name,
      ratePolicy: a.action_rotate_session.rate_policy,
      snapshotOutput: null,
      errors,
    };
  if (a.action_snapshot_session)
    return {
      type: "snapshot-session" as const,
      sessionName: a.action_snapshot_session.session_name,
      ratePolicy: a.action_snapshot_session.rate_policy,
      snapshotOutput: a.action_snapshot_session.output ?? null,
      errors,
    };
  return { type: "unknown" as const, sessionName: null, ratePolicy: { kind: "every" as const, count: 1 }, snapshotOutput: null, errors };
});
export interface ErrorCounter {
  name: string;
  description: string;
  value: number;
}
export interface TriggerAction {
  type: "notify" | "start-session" | "stop-session" | "rotate-session" | "snapshot-session" | "unknown";
  sessionName: string | null;
  ratePolicy: RatePolicy;
  /** Snapshot actions with their own output (`--path/--url/--name/--max-size`). */
  snapshotOutput: SnapshotOutput | null;
  errors: ErrorCounter[];
}
export interface TriggerEventRule {
  type: EventRuleType;
  namePattern: string;
  filter: string | null;
  logLevel: LogLevel | null;
  exclusions: string[];
  /** Syscall rules: entry, exit or entry+exit. */
  emissionSite: string | null;
  /** kprobe/uprobe rules: the raw location element. */
  location: Record<string, unknown> | null;
}

const LogLevelRule = obj({
  log_level_rule_exactly: obj({ level: int }).optional(),
  log_level_rule_at_least_as_severe_as: obj({ level: int }).optional(),
}).transform((l): LogLevel | null =>
  l.log_level_rule_exactly
    ? { kind: "exactly", level: l.log_level_rule_exactly.level, name: null }
    : l.log_level_rule_at_least_as_severe_as
      ? { kind: "at-least", level: l.log_level_rule_at_least_as_severe_as.level, name: null }
      : null,
);
/** A trigger rule's log level: numeric from the MI, by name from the text listing. */
export interface LogLevel {
  kind: "exactly" | "at-least";
  level: number | null;
  name: string | null;
}

const NamePatternRule = obj({
  name_pattern: str,
  filter_expression: optStr,
  log_level_rule: LogLevelRule.optional(),
  name_pattern_exclusions: obj({ name_pattern_exclusion: list(str) }).optional(),
  emission_site: optStr,
});

const EVENT_RULE_TYPES = {
  event_rule_user_tracepoint: "user",
  event_rule_kernel_tracepoint: "kernel",
  event_rule_kernel_syscall: "syscall",
  event_rule_kernel_kprobe: "kprobe",
  event_rule_kernel_uprobe: "uprobe",
  event_rule_jul_logging: "jul",
  event_rule_log4j_logging: "log4j",
  event_rule_python_logging: "python",
} as const;
export type EventRuleType = (typeof EVENT_RULE_TYPES)[keyof typeof EVENT_RULE_TYPES];

const MiEventRule = z.preprocess(emptyToObject, z.record(z.string(), z.unknown())).transform((o, ctx): TriggerEventRule => {
  for (const [el, type] of Object.entries(EVENT_RULE_TYPES)) {
    const raw = o[el];
    if (raw === undefined) continue;
    if (type === "kprobe" || type === "uprobe") {
      const r = looseObj({ event_name: str }).safeParse(raw);
      if (!r.success) break;
      return {
        type,
        namePattern: r.data.event_name,
        filter: null,
        logLevel: null,
        exclusions: [] as string[],
        emissionSite: null,
        location: r.data as Record<string, unknown>,
      };
    }
    const r = NamePatternRule.safeParse(raw);
    if (!r.success) break;
    return {
      type,
      namePattern: r.data.name_pattern,
      filter: r.data.filter_expression ?? null,
      logLevel: r.data.log_level_rule ?? null,
      exclusions: r.data.name_pattern_exclusions?.name_pattern_exclusion ?? [],
      emissionSite: r.data.emission_site ?? null,
      location: null,
    };
  }
  ctx.addIssue({ code: "custom", message: `unknown or malformed event rule: ${Object.keys(o).join(",")}` });
  return z.NEVER;
});

type Capture =
  | { kind: "payload"; name: string }
  | { kind: "channel-context"; name: string }
  | { kind: "app-context"; provider: string; type: string }
  | { kind: "array-element"; index: number; of: Capture };

function toCapture(raw: unknown): Capture | null {
  const o = emptyToObject(raw) as Record<string, Record<string, unknown>>;
  if (o.event_expr_payload_field) return { kind: "payload", name: String(o.event_expr_payload_field.name ?? "") };
  if (o.event_expr_channel_context_field) return { kind: "channel-context", name: String(o.event_expr_channel_context_field.name ?? "") };
  if (o.event_expr_app_specific_context_field)
    return {
      kind: "app-context",
      provider: String(o.event_expr_app_specific_context_field.provider_name ?? ""),
      type: String(o.event_expr_app_specific_context_field.type_name ?? ""),
    };
  if (o.event_expr_array_field_element) {
    const inner = o.event_expr_array_field_element.event_expr;
    const of = toCapture(Array.isArray(inner) ? inner[0] : inner);
    return of ? { kind: "array-element", index: Number(o.event_expr_array_field_element.index ?? 0), of } : null;
  }
  return null;
}
/** The capture in `--capture` syntax: `field`, `$ctx.vpid`, `$app.prov:type`, `arr[3]`. */
export function captureToString(c: Capture): string {
  switch (c.kind) {
    case "payload":
      return c.name;
    case "channel-context":
      return `$ctx.${c.name}`;
    case "app-context":
      return `$app.${c.provider}:${c.type}`;
    case "array-element":
      return `${captureToString(c.of)}[${c.index}]`;
  }
}

export const MiTrigger = obj({
  name: str,
  owner_uid: uint.default(0),
  condition: looseObj({
    condition_event_rule_matches: obj({
      event_rule: MiEventRule,
      capture_descriptors: wrapped("event_expr", z.unknown()).optional(),
    }).optional(),
    error_query_results: ErrorCounters.optional(),
  }),
  action: first(looseObj({ action_list: obj({ action: list(MiAction) }).optional() })),
  error_query_results: ErrorCounters.optional(),
}).transform((t) => {
  const erm = t.condition.condition_event_rule_matches;
  // Other condition types exist (buffer usage, rotation…) but Tracedeck creates only this one.
  if (!erm) return null;
  const single = MiAction.safeParse(t.action);
  const actions = t.action.action_list ? t.action.action_list.action : single.success ? [single.data] : [];
  return {
    name: t.name,
    ownerUid: t.owner_uid,
    condition: {
      type: "event-rule-matches" as const,
      eventRule: erm.event_rule,
      captures: (erm.capture_descriptors ?? [])
        .map((c) => toCapture(c))
        .filter((c): c is Capture => c !== null)
        .map(captureToString),
      errors: t.condition.error_query_results ?? [],
    },
    actions,
    errors: t.error_query_results ?? [],
  };
});
export type Trigger = NonNullable<z.output<typeof MiTrigger>>;

/** `add-trigger` / `remove-trigger`: one `<trigger>`. */
export const MiOneTrigger = obj({ trigger: first(MiTrigger) }).transform((o, ctx) => {
  if (o.trigger === null) {
    ctx.addIssue({ code: "custom", message: "trigger with a condition other than event-rule-matches" });
    return z.NEVER;
  }
  return o.trigger;
});
/**
 * `list-triggers` (which names itself `list-trigger`). Triggers with a condition Tracedeck
 * does not model (made by someone else with the CLI) are left out rather than failing the list.
 */
export const MiTriggerList = obj({ triggers: wrapped("trigger", MiTrigger) }).transform((o) => o.triggers.filter((t): t is Trigger => t !== null));
