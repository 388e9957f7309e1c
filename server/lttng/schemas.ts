/**
 * zod schemas of everything a user may ask the LTTng layer to do, shared by the controller
 * and the tRPC routers. They accept exactly what LTTng 2.13 accepts (names, sizes with
 * k/M/G suffixes, timer durations, URLs) and normalise it: sizes become bytes and durations
 * microseconds, so the controller passes LTTng plain numbers.
 */
import { z } from "zod";

// ---------------------------------------------------------------- names

/**
 * A session name as LTTng 2.13 takes it: at most 254 bytes (NAME_MAX minus the NUL), no `/`
 * (it names a directory), and, because it is given on the command line, not starting with `-`.
 * We also refuse `.`/`..`-like leading dots and control characters, which LTTng would accept
 * but which make unusable directory names.
 */
const ZLttngName = z
  .string()
  .min(1, "A name is required")
  .max(254, "At most 254 characters")
  // The empty name is min(1)'s to report: one message per mistake. C0 and C1 controls, DEL and
  // the Unicode line/paragraph separators are refused: invisible in lists, and they break logs
  // and the terminal of whoever runs `lttng list`.
  .regex(/^(?:[^/\-.\s][^/\u0000-\u001f\u007f-\u009f\u2028\u2029]*)?$/, "No '/' or control characters; must not start with '-', '.' or a space")
  // Shell metacharacters: never interpreted here (argument arrays), but the name becomes a
  // directory name that users paste into shells, scripts and babeltrace2 command lines.
  .regex(/^[^$`;|&<>"'\\]*$/, "No shell metacharacters ($ ` ; | & < > quotes \\)");

/** Session names; `auto` and `auto-…` are LTTng's reserved default names. */
export const ZSessionName = ZLttngName.refine((n) => !/^auto(-|$)/.test(n), "'auto' is reserved by LTTng for default session names");

/** A session name as found on disk or in an index: LTTng's own `auto-…` names included. */
export const ZRecordedSessionName = ZLttngName;

/** A host name as LTTng writes it in output paths and the live protocol (at most 64 bytes there). */
export const ZHostName = z
  .string()
  .min(1, "A host name is required")
  .max(255, "At most 255 characters")
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9._-]*)$/, "A host name: letters, digits, '.', '-' and '_'");

/** A channel name: same rules as session names (LTTng's symbol name limit is 255). */
export const ZChannelName = ZLttngName;

/** A trigger name. */
export const ZTriggerName = ZLttngName;

/**
 * An event name or pattern: `provider:event`, a `*` wildcard anywhere (UST star globbing),
 * logger names with dots for agents, syscall names for the kernel. Commas are separators in
 * LTTng's CLI, so they cannot appear in one name.
 */
/**
 * Most names one request may list. The names end up on one `lttng` command line; LTTng itself
 * has no such limit, but a browser request should not be able to build a megabyte of argv.
 */
const MAX_NAMES = 256;

export const ZEventName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^\s,-][^\s,]*$/, "No spaces or commas; must not start with '-'");

// ---------------------------------------------------------------- sizes and durations

const SIZE_UNITS: Record<string, number> = { "": 1, k: 1024, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** A size as LTTng writes it (`4096`, `4k`, `1M`, `2G`), or a number of bytes. Output: bytes. */
export const ZSize = z
  .union([
    z.number().int().nonnegative(),
    z
      .string()
      .regex(/^(\d+)([kKMG]?)$/, "A size such as 4096, 4k, 1M or 2G")
      .transform((s) => {
        const m = /^(\d+)([kKMG]?)$/.exec(s)!;
        return Number(m[1]) * SIZE_UNITS[m[2] ?? ""]!;
      }),
  ])
  .pipe(z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER));

const TIME_UNITS: Record<string, number> = { "": 1, us: 1, ms: 1000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000 };

/** A duration as LTTng writes it (`500`, `500us`, `10ms`, `2s`, `1m`, `1h`), or microseconds. Output: µs. */
export const ZDurationUs = z
  .union([
    z.number().int().nonnegative(),
    z
      .string()
      .regex(/^(\d+)(us|ms|s|m|h)?$/, "A duration such as 500us, 10ms, 2s, 1m or 1h")
      .transform((s) => {
        const m = /^(\d+)(us|ms|s|m|h)?$/.exec(s)!;
        return Number(m[1]) * TIME_UNITS[m[2] ?? ""]!;
      }),
  ])
  .pipe(z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER));

// ---------------------------------------------------------------- URLs and paths

const HOST = String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])`;
const PORT = String.raw`(?:6553[0-5]|655[0-2]\d|65[0-4]\d{2}|6[0-4]\d{3}|[1-5]\d{4}|[1-9]\d{0,3})`;
const DIR = String.raw`(?:/[^\s]*)?`;

/** `net[6]://HOST[:CTRL[:DATA]][/DIR]`: one URL for a relay daemon's control and data ports. */
export const ZNetUrl = z
  .string()
  .max(1024)
  .regex(new RegExp(`^net6?://${HOST}(?::${PORT}(?::${PORT})?)?${DIR}$`), "A relay URL such as net://127.0.0.1 or net://host:5342:5343/dir");

/** `tcp[6]://HOST:PORT[/DIR]`: a control or data URL given separately. */
export const ZTcpUrl = z
  .string()
  .max(1024)
  .regex(new RegExp(`^tcp6?://${HOST}:${PORT}${DIR}$`), "A URL such as tcp://127.0.0.1:5342");

/**
 * A path relative to a root chosen by the server (e.g. `config().tracesDir`): no `..` segment,
 * no leading `/`, no NUL. The controller resolves it and checks again that it stays inside.
 */
export const ZRelativePath = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => !p.startsWith("/") && !p.includes("\0") && !p.split("/").some((seg) => seg === ".."), "A relative path without '..'");

/** Where a session records. */
export const ZCreateSession = z.discriminatedUnion("mode", [
  z.object({
    mode: z.literal("local"),
    name: ZSessionName,
    /** Under the traces directory; default `<name>`. */
    outputDir: ZRelativePath.optional(),
  }),
  z.object({
    mode: z.literal("network"),
    name: ZSessionName,
    url: ZNetUrl.optional(),
    ctrlUrl: ZTcpUrl.optional(),
    dataUrl: ZTcpUrl.optional(),
  }),
  z.object({
    mode: z.literal("live"),
    name: ZSessionName,
    /** Live timer; LTTng's default is 1 s. */
    liveTimerUs: ZDurationUs.pipe(z.number().int().positive()).optional(),
    url: ZNetUrl.optional(),
    ctrlUrl: ZTcpUrl.optional(),
    dataUrl: ZTcpUrl.optional(),
  }),
  z.object({
    mode: z.literal("snapshot"),
    name: ZSessionName,
    /** Local snapshot output under the traces directory (default `<name>`), or a relay URL. */
    outputDir: ZRelativePath.optional(),
    url: ZNetUrl.optional(),
    /** No output at all (add one later with `snapshot add-output`). */
    noOutput: z.boolean().optional(),
  }),
  z.object({ mode: z.literal("no-output"), name: ZSessionName }),
]);
export type CreateSessionInput = z.input<typeof ZCreateSession>;

// ---------------------------------------------------------------- domains, channels, events

export const ZDomain = z.enum(["kernel", "userspace", "jul", "log4j", "python"]);
export type Domain = z.infer<typeof ZDomain>;
const DOMAIN_LABEL: Record<Domain, string> = { kernel: "kernel", userspace: "user-space", jul: "JUL", log4j: "log4j", python: "Python" };
export const DOMAIN_FLAG: Record<Domain, string> = { kernel: "-k", userspace: "-u", jul: "-j", log4j: "-l", python: "-p" };

const ZPowerOfTwoSize = ZSize.refine((n) => n > 0 && (n & (n - 1)) === 0, "Must be a power of two (e.g. 4k, 64k, 1M)");

export const ZEnableChannel = z
  .object({
    session: ZSessionName,
    domain: z.enum(["kernel", "userspace"]),
    name: ZChannelName,
    mode: z.enum(["discard", "overwrite"]).optional(),
    subbufSize: ZPowerOfTwoSize.optional(),
    numSubbuf: z
      .number()
      .int()
      .positive()
      .refine((n) => (n & (n - 1)) === 0, "Must be a power of two")
      .optional(),
    switchTimerUs: ZDurationUs.optional(),
    readTimerUs: ZDurationUs.optional(),
    monitorTimerUs: ZDurationUs.optional(),
    /** User space only: µs to block when the buffer is full, or "inf". */
    blockingTimeoutUs: z.union([ZDurationUs, z.literal("inf")]).optional(),
    output: z.enum(["mmap", "splice"]).optional(),
    tracefileSize: ZSize.optional(),
    tracefileCount: z.number().int().positive().optional(),
    buffers: z.enum(["uid", "pid", "global"]).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.domain === "kernel" && (c.buffers === "uid" || c.buffers === "pid"))
      ctx.addIssue({ code: "custom", path: ["buffers"], message: "Kernel channels use global buffers" });
    if (c.domain === "userspace" && c.buffers === "global")
      ctx.addIssue({ code: "custom", path: ["buffers"], message: "User-space channels use per-UID or per-PID buffers" });
    if (c.domain === "userspace" && c.output === "splice")
      ctx.addIssue({ code: "custom", path: ["output"], message: "User-space channels only support mmap output" });
    if (c.domain === "kernel" && c.blockingTimeoutUs !== undefined)
      ctx.addIssue({ code: "custom", path: ["blockingTimeoutUs"], message: "Blocking timeout is for user-space channels" });
  });
export type EnableChannelInput = z.input<typeof ZEnableChannel>;

export const ZDisableChannel = z.object({ session: ZSessionName, domain: z.enum(["kernel", "userspace"]), names: z.array(ZChannelName).min(1).max(MAX_NAMES) });

/** Loglevel names: `TRACE_INFO` (UST), `JUL_WARNING`, `LOG4J_WARN`, `PYTHON_INFO`, or their short forms (`INFO`). */
export const ZLogLevel = z
  .string()
  .max(64)
  .regex(/^[A-Z][A-Z0-9_]*$/, "A log level name such as TRACE_INFO, INFO or WARNING");

export const ZEnableEvent = z
  .object({
    session: ZSessionName,
    domain: ZDomain,
    channel: ZChannelName.optional(),
    /** Kernel only, besides tracepoint. */
    kind: z.enum(["tracepoint", "syscall", "probe", "function", "userspace-probe"]).default("tracepoint"),
    /** Event names or patterns; empty with `all` for every event. */
    names: z.array(ZEventName).max(MAX_NAMES).default([]),
    all: z.boolean().optional(),
    /** `--probe`/`--function`: `SYMBOL[+OFFSET]` or `0xADDR`; `--userspace-probe`: `elf:PATH:SYMBOL` or `sdt:PATH:PROVIDER:NAME`. */
    location: z
      .string()
      .min(1)
      .max(4096)
      .regex(/^[^\s]+$/, "No spaces")
      .optional(),
    filter: z.string().min(1).max(4096).optional(),
    loglevel: ZLogLevel.optional(),
    /** Only this log level instead of this level and more severe. */
    loglevelOnly: z.boolean().optional(),
    exclude: z.array(ZEventName).max(MAX_NAMES).optional(),
  })
  .superRefine((e, ctx) => {
    if (!e.all && e.names.length === 0) ctx.addIssue({ code: "custom", path: ["names"], message: "Give at least one event name, or all" });
    if (e.kind !== "tracepoint" && e.domain !== "kernel") ctx.addIssue({ code: "custom", path: ["kind"], message: `${e.kind} events are kernel-only` });
    if ((e.kind === "probe" || e.kind === "function" || e.kind === "userspace-probe") && !e.location)
      ctx.addIssue({ code: "custom", path: ["location"], message: "A probe location is required" });
    if ((e.kind === "probe" || e.kind === "function" || e.kind === "userspace-probe") && e.names.length !== 1)
      ctx.addIssue({ code: "custom", path: ["names"], message: "A probe takes exactly one event name" });
    if (e.loglevel && e.domain === "kernel") ctx.addIssue({ code: "custom", path: ["loglevel"], message: "Log levels are for user space and agent domains" });
    if (e.exclude?.length && e.domain !== "userspace") ctx.addIssue({ code: "custom", path: ["exclude"], message: "Exclusions are for user-space events" });
    if (e.exclude?.length && !(e.all || e.names.some((n) => n.includes("*"))))
      ctx.addIssue({ code: "custom", path: ["exclude"], message: "Exclusions need a wildcard event name" });
  });
export type EnableEventInput = z.input<typeof ZEnableEvent>;

export const ZDisableEvent = z.object({
  session: ZSessionName,
  domain: ZDomain,
  channel: ZChannelName.optional(),
  names: z.array(ZEventName).max(MAX_NAMES).default([]),
  all: z.boolean().optional(),
  kind: z.enum(["tracepoint", "syscall", "probe", "function", "userspace-probe"]).optional(),
});

// ---------------------------------------------------------------- contexts

/** The fixed context types of LTTng 2.13 (`lttng add-context --list`). */
export const CONTEXT_TYPES = [
  "pid",
  "procname",
  "prio",
  "nice",
  "vpid",
  "tid",
  "pthread_id",
  "vtid",
  "ppid",
  "vppid",
  "hostname",
  "ip",
  "interruptible",
  "preemptible",
  "need_reschedule",
  "migratable",
  "callstack-kernel",
  "callstack-user",
  "cgroup_ns",
  "ipc_ns",
  "mnt_ns",
  "net_ns",
  "pid_ns",
  "time_ns",
  "user_ns",
  "uts_ns",
  "uid",
  "euid",
  "suid",
  "gid",
  "egid",
  "sgid",
  "vuid",
  "veuid",
  "vsuid",
  "vgid",
  "vegid",
  "vsgid",
] as const;

/**
 * The fixed context types each domain accepts in LTTng 2.13 (`add-context` refuses the others
 * after the session exists, e.g. "Error: prio: UST invalid context").
 * - user space, measured on lttng-ust 2.13.5: every type below was added to a UST channel;
 *   pid, prio, nice, tid, ppid, vppid, hostname, interruptible, preemptible, need_reschedule,
 *   migratable, callstack-*, uid/euid/suid/gid/egid/sgid were refused.
 * - JUL and log4j contexts go to the agent's user-space channel: the same set (measured: vpid,
 *   procname accepted, prio refused).
 * - Python: `add-context` has no Python domain option in 2.13 (measured: "Unrecognized argument").
 * - kernel: lttng-modules 2.13's context list (no ip or pthread_id, which are lttng-ust's); the
 *   kernel tracer cannot be loaded on the machines this was measured on.
 */
/** What lttng-ust accepts; the JUL and log4j agents record into the same user-space channels. */
const USER_SPACE_CONTEXTS: readonly (typeof CONTEXT_TYPES)[number][] = [
  "procname",
  "vpid",
  "pthread_id",
  "vtid",
  "ip",
  "cgroup_ns",
  "ipc_ns",
  "mnt_ns",
  "net_ns",
  "pid_ns",
  "time_ns",
  "user_ns",
  "uts_ns",
  "vuid",
  "veuid",
  "vsuid",
  "vgid",
  "vegid",
  "vsgid",
];

export const CONTEXT_TYPES_BY_DOMAIN: Record<Domain, readonly (typeof CONTEXT_TYPES)[number][]> = {
  userspace: USER_SPACE_CONTEXTS,
  jul: USER_SPACE_CONTEXTS,
  log4j: USER_SPACE_CONTEXTS,
  python: [],
  kernel: CONTEXT_TYPES.filter((t) => t !== "ip" && t !== "pthread_id"),
};

/** Perf counter names of `perf:cpu:NAME` (kernel) and `perf:thread:NAME` (user space). */
export const PERF_COUNTERS = [
  "cpu-cycles",
  "cycles",
  "stalled-cycles-frontend",
  "idle-cycles-frontend",
  "stalled-cycles-backend",
  "idle-cycles-backend",
  "instructions",
  "cache-references",
  "cache-misses",
  "branch-instructions",
  "branches",
  "branch-misses",
  "bus-cycles",
  "L1-dcache-loads",
  "L1-dcache-load-misses",
  "L1-dcache-stores",
  "L1-dcache-store-misses",
  "L1-dcache-prefetches",
  "L1-dcache-prefetch-misses",
  "L1-icache-loads",
  "L1-icache-load-misses",
  "L1-icache-prefetches",
  "L1-icache-prefetch-misses",
  "LLC-loads",
  "LLC-load-misses",
  "LLC-stores",
  "LLC-store-misses",
  "LLC-prefetches",
  "LLC-prefetch-misses",
  "dTLB-loads",
  "dTLB-load-misses",
  "dTLB-stores",
  "dTLB-store-misses",
  "dTLB-prefetches",
  "dTLB-prefetch-misses",
  "iTLB-loads",
  "iTLB-load-misses",
  "branch-loads",
  "branch-load-misses",
  "cpu-clock",
  "task-clock",
  "page-fault",
  "faults",
  "major-faults",
  "minor-faults",
  "context-switches",
  "cs",
  "cpu-migrations",
  "migrations",
  "alignment-faults",
  "emulation-faults",
] as const;

const IDENT = "[A-Za-z_][A-Za-z0-9_]*";
/**
 * One `add-context -t` type: a fixed type, `perf:cpu:NAME` / `perf:thread:NAME`, a raw counter
 * `perf:cpu:raw:rN:NAME` / `perf:thread:raw:rN:NAME` (N hex), or `$app.PROVIDER:TYPE`.
 */
export const ZContextType = z.union([
  z.enum(CONTEXT_TYPES),
  z
    .string()
    .max(512)
    .refine((t) => {
      const m = /^perf:(cpu|thread):(.+)$/.exec(t);
      if (!m) return false;
      return (PERF_COUNTERS as readonly string[]).includes(m[2]!) || new RegExp(`^raw:r[0-9A-Fa-f]+:${IDENT}$`).test(m[2]!);
    }, "Unknown perf counter"),
  z
    .string()
    .max(512)
    .regex(new RegExp(`^\\$app\\.${IDENT}:${IDENT}$`), "An app context is $app.PROVIDER:TYPE"),
]);

export const ZAddContext = z
  .object({
    session: ZSessionName,
    domain: ZDomain,
    channel: ZChannelName.optional(),
    types: z.array(ZContextType).min(1).max(MAX_NAMES),
  })
  .superRefine((c, ctx) => {
    if (c.domain === "python") ctx.addIssue({ code: "custom", path: ["domain"], message: "LTTng 2.13 adds no context to the Python domain" });
    c.types.forEach((t, i) => {
      const fixed = (CONTEXT_TYPES as readonly string[]).includes(t);
      if (fixed && !(CONTEXT_TYPES_BY_DOMAIN[c.domain] as readonly string[]).includes(t)) {
        ctx.addIssue({ code: "custom", path: ["types", i], message: `${t} is not a ${DOMAIN_LABEL[c.domain]} context in LTTng 2.13` });
      }
      if (t.startsWith("perf:thread:") && (c.domain === "jul" || c.domain === "log4j"))
        ctx.addIssue({ code: "custom", path: ["types", i], message: "perf:thread: counters are for the user-space domain" });
      if (t.startsWith("perf:cpu:") && c.domain !== "kernel")
        ctx.addIssue({ code: "custom", path: ["types", i], message: "perf:cpu: counters are kernel-only; use perf:thread: in user space" });
      if (t.startsWith("perf:thread:") && c.domain !== "userspace" && c.domain !== "jul" && c.domain !== "log4j")
        ctx.addIssue({ code: "custom", path: ["types", i], message: "perf:thread: counters are user-space only" });
      if (t.startsWith("$app.") && c.domain !== "jul" && c.domain !== "log4j" && c.domain !== "userspace")
        ctx.addIssue({ code: "custom", path: ["types", i], message: "App contexts are for JUL, log4j and user space" });
    });
  });
export type AddContextInput = z.input<typeof ZAddContext>;

// ---------------------------------------------------------------- trackers

export const ZTrack = z
  .object({
    session: ZSessionName,
    domain: z.enum(["kernel", "userspace"]),
    attr: z.enum(["pid", "vpid", "uid", "vuid", "gid", "vgid"]),
    /** Numeric ids, or user/group names for uid/vuid/gid/vgid. */
    values: z
      .array(
        z.union([
          z.number().int().nonnegative(),
          z
            .string()
            .max(32)
            .regex(/^[a-z_][a-z0-9_-]*\$?$/i, "A user or group name"),
        ]),
      )
      .max(MAX_NAMES)
      .default([]),
    all: z.boolean().optional(),
  })
  .superRefine((t, ctx) => {
    if (!t.all && t.values.length === 0) ctx.addIssue({ code: "custom", path: ["values"], message: "Give values, or all" });
    if (t.domain === "userspace" && !t.attr.startsWith("v")) ctx.addIssue({ code: "custom", path: ["attr"], message: "User space tracks vpid, vuid or vgid" });
    if ((t.attr === "pid" || t.attr === "vpid") && t.values.some((v) => typeof v === "string"))
      ctx.addIssue({ code: "custom", path: ["values"], message: "Process ids are numbers" });
  });
export type TrackInput = z.input<typeof ZTrack>;

// ---------------------------------------------------------------- snapshots, rotation, save/load

export const ZSnapshotAddOutput = z
  .object({
    session: ZSessionName,
    name: ZSessionName.optional(),
    maxSize: ZSize.optional(),
    /** Local directory under the traces directory, or a relay URL. */
    outputDir: ZRelativePath.optional(),
    url: ZNetUrl.optional(),
  })
  .refine((o) => (o.outputDir === undefined) !== (o.url === undefined), "Give either a local directory or a relay URL");

export const ZSnapshotRecord = z.object({
  session: ZSessionName,
  /** Prefix of the snapshot's directory name; a unique suffix is added. */
  name: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/)
    .optional(),
  maxSize: ZSize.optional(),
});

export const ZEnableRotation = z
  .object({
    session: ZSessionName,
    timerUs: ZDurationUs.pipe(z.number().int().positive()).optional(),
    size: ZSize.pipe(z.number().int().positive()).optional(),
  })
  .refine((r) => r.timerUs !== undefined || r.size !== undefined, "Give a timer, a size, or both");
export const ZDisableRotation = z
  .object({ session: ZSessionName, timer: z.boolean().optional(), size: z.boolean().optional() })
  .refine((r) => r.timer || r.size, "Choose timer, size, or both");

export const ZSaveSession = z.object({ session: ZSessionName, force: z.boolean().optional() });

/**
 * An explicit `confirm: true` for an action that destroys recorded data or every session on
 * the host (clear, stopping a daemon): a client that forgets to ask its user is refused.
 */
export const confirmed = (what: string) => z.literal(true, { error: `Confirm: ${what}. Send confirm: true once the user has agreed.` });
export const ZLoadSession = z.object({
  session: ZSessionName,
  force: z.boolean().optional(),
  overrideName: ZSessionName.optional(),
  /** Output override: a relative directory under the traces directory, or a relay URL. */
  overrideOutputDir: ZRelativePath.optional(),
  overrideUrl: ZNetUrl.optional(),
});

// ---------------------------------------------------------------- triggers

export const ZRatePolicy = z.object({
  kind: z.enum(["every", "once-after"]),
  count: z
    .number()
    .int()
    .positive()
    .max(2 ** 32 - 1),
});

export const ZTriggerAction = z.discriminatedUnion("type", [
  z.object({ type: z.literal("notify"), ratePolicy: ZRatePolicy.optional() }),
  z.object({ type: z.literal("start-session"), session: ZSessionName, ratePolicy: ZRatePolicy.optional() }),
  z.object({ type: z.literal("stop-session"), session: ZSessionName, ratePolicy: ZRatePolicy.optional() }),
  z.object({ type: z.literal("rotate-session"), session: ZSessionName, ratePolicy: ZRatePolicy.optional() }),
  z.object({
    type: z.literal("snapshot-session"),
    session: ZSessionName,
    ratePolicy: ZRatePolicy.optional(),
    /** Snapshot name (`--name`), e.g. to find the snapshot directories of this trigger. */
    snapshotName: z
      .string()
      .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/)
      .optional(),
    maxSize: ZSize.optional(),
  }),
]);
export type TriggerActionInput = z.input<typeof ZTriggerAction>;

/** A capture: payload field, `$ctx.NAME`, `$app.PROVIDER:TYPE`, optionally indexed `[N]`. */
export const ZCapture = z
  .string()
  .max(512)
  .regex(
    new RegExp(`^(?:${IDENT}|\\$ctx\\.${IDENT}|\\$app\\.${IDENT}:${IDENT})(?:\\[\\d+\\])?$`),
    "A field name, $ctx.NAME or $app.PROVIDER:TYPE, optionally [N]",
  );

export const ZAddTrigger = z
  .object({
    name: ZTriggerName,
    /** Event-rule type: user, kernel, syscall, kprobe, uprobe, jul, log4j, python. */
    ruleType: z.enum(["user", "kernel", "syscall", "kprobe", "uprobe", "jul", "log4j", "python"]),
    /** Name pattern (tracepoints, syscalls, loggers) or event name (kprobe, uprobe). */
    pattern: ZEventName,
    /** syscall only. */
    syscallSite: z.enum(["entry", "exit", "entry+exit"]).optional(),
    /** kprobe/uprobe location. */
    location: z
      .string()
      .min(1)
      .max(4096)
      .regex(/^[^\s]+$/)
      .optional(),
    filter: z.string().min(1).max(4096).optional(),
    /** `LEVEL` (exactly) or `LEVEL..` (at least as severe) semantics. */
    logLevel: z.object({ level: ZLogLevel, only: z.boolean().optional() }).optional(),
    exclude: z.array(ZEventName).max(MAX_NAMES).optional(),
    captures: z.array(ZCapture).max(64).default([]),
    actions: z.array(ZTriggerAction).min(1).max(32),
  })
  .superRefine((t, ctx) => {
    if ((t.ruleType === "kprobe" || t.ruleType === "uprobe") && !t.location)
      ctx.addIssue({ code: "custom", path: ["location"], message: "A probe location is required" });
    if (t.logLevel && !["user", "jul", "log4j", "python"].includes(t.ruleType))
      ctx.addIssue({ code: "custom", path: ["logLevel"], message: "Log levels are for user space and agent rules" });
    if (t.exclude?.length && t.ruleType !== "user") ctx.addIssue({ code: "custom", path: ["exclude"], message: "Exclusions are for user-space rules" });
  });
export type AddTriggerInput = z.input<typeof ZAddTrigger>;

/**
 * zod's issues with union failures opened up: a size typed as `12Q` fails the
 * `number | "4k"-string` union, whose own message is only "Invalid input"; the branch that had
 * the right type says what is wrong ("A size such as 4096, 4k, 1M or 2G").
 */
export function readableIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  const open = (i: z.core.$ZodIssue, base: PropertyKey[]): { path: string; message: string } => {
    if (i.code === "invalid_union" && i.errors.length > 0) {
      const branch = i.errors.find((b) => b.length > 0 && !b.every((x) => x.code === "invalid_type")) ?? i.errors[0]!;
      const inner = branch[0];
      if (inner) return open(inner, [...base, ...i.path]);
    }
    return { path: [...base, ...i.path].map(String).join("."), message: i.message };
  };
  return error.issues.map((i) => open(i, []));
}
