/**
 * The `lttng` argument arrays for parsed (zod-checked) inputs, as pure functions. The
 * controller runs exactly these, and the session wizard's review step prints them as the
 * equivalent shell commands, so what the user reads is what runs.
 */
import type { z } from "zod";
import type { SnapshotOutput } from "./mi/outputs";
import {
  DOMAIN_FLAG,
  type Domain,
  type ZAddContext,
  type ZAddTrigger,
  type ZCreateSession,
  type ZDisableChannel,
  type ZDisableEvent,
  type ZDisableRotation,
  type ZEnableChannel,
  type ZEnableEvent,
  type ZEnableRotation,
  type ZLoadSession,
  type ZSnapshotAddOutput,
  type ZTrack,
} from "./schemas";

/** `list -k|-u|-j|-l|-p [-f] [--syscall]`: the available events of a domain. */
export function listAvailableArgs(domain: Domain, opts: { fields?: boolean; syscalls?: boolean } = {}): string[] {
  const args = ["list", DOMAIN_FLAG[domain]];
  if (opts.fields) args.push("-f");
  if (opts.syscalls) args.push("--syscall");
  return args;
}

/**
 * `create` for a parsed input. Local directories are resolved by the caller (they must stay
 * under the traces root) and the relay URL defaults to the relay Tracedeck runs.
 */
export function createArgs(c: z.output<typeof ZCreateSession>, where: { localDir: string | null; defaultRelayUrl: string }): string[] {
  const args = ["create", c.name];
  switch (c.mode) {
    case "local":
      args.push(`--output=${where.localDir}`);
      break;
    case "network":
    case "live":
      if (c.mode === "live") args.push(c.liveTimerUs !== undefined ? `--live=${c.liveTimerUs}` : "--live");
      if (c.ctrlUrl && c.dataUrl) args.push(`--ctrl-url=${c.ctrlUrl}`, `--data-url=${c.dataUrl}`);
      else args.push(`--set-url=${c.url ?? where.defaultRelayUrl}`);
      break;
    case "snapshot":
      args.push("--snapshot");
      if (c.noOutput) args.push("--no-output");
      else if (c.url) args.push(`--set-url=${c.url}`);
      else args.push(`--output=${where.localDir}`);
      break;
    case "no-output":
      args.push("--no-output");
      break;
  }
  return args;
}

export function enableChannelArgs(c: z.output<typeof ZEnableChannel>): string[] {
  const args = ["enable-channel", `--session=${c.session}`, DOMAIN_FLAG[c.domain]];
  if (c.mode) args.push(`--${c.mode}`);
  if (c.subbufSize !== undefined) args.push(`--subbuf-size=${c.subbufSize}`);
  if (c.numSubbuf !== undefined) args.push(`--num-subbuf=${c.numSubbuf}`);
  if (c.switchTimerUs !== undefined) args.push(`--switch-timer=${c.switchTimerUs}`);
  if (c.readTimerUs !== undefined) args.push(`--read-timer=${c.readTimerUs}`);
  if (c.monitorTimerUs !== undefined) args.push(`--monitor-timer=${c.monitorTimerUs}`);
  if (c.blockingTimeoutUs !== undefined) args.push(`--blocking-timeout=${c.blockingTimeoutUs}`);
  if (c.output) args.push(`--output=${c.output}`);
  if (c.tracefileSize !== undefined) args.push(`--tracefile-size=${c.tracefileSize}`);
  if (c.tracefileCount !== undefined) args.push(`--tracefile-count=${c.tracefileCount}`);
  if (c.buffers) args.push(`--buffers-${c.buffers}`);
  args.push(c.name);
  return args;
}

export function disableChannelArgs(c: z.output<typeof ZDisableChannel>): string[] {
  return ["disable-channel", `--session=${c.session}`, DOMAIN_FLAG[c.domain], c.names.join(",")];
}

export function enableEventArgs(e: z.output<typeof ZEnableEvent>): string[] {
  const args = ["enable-event", `--session=${e.session}`, DOMAIN_FLAG[e.domain]];
  if (e.channel) args.push(`--channel=${e.channel}`);
  switch (e.kind) {
    case "tracepoint":
      if (e.domain === "kernel") args.push("--tracepoint");
      break;
    case "syscall":
      args.push("--syscall");
      break;
    case "probe":
      args.push(`--probe=${e.location}`);
      break;
    case "function":
      args.push(`--function=${e.location}`);
      break;
    case "userspace-probe":
      args.push(`--userspace-probe=${e.location}`);
      break;
  }
  if (e.filter !== undefined) args.push(`--filter=${e.filter}`);
  if (e.loglevel) args.push(e.loglevelOnly ? `--loglevel-only=${e.loglevel}` : `--loglevel=${e.loglevel}`);
  if (e.exclude?.length) args.push(`--exclude=${e.exclude.join(",")}`);
  if (e.all) args.push("--all");
  else args.push(e.names.join(","));
  return args;
}

/** Without names, every event rule of the channel (`--all-events`). */
export function disableEventArgs(e: z.output<typeof ZDisableEvent>): string[] {
  const args = ["disable-event", `--session=${e.session}`, DOMAIN_FLAG[e.domain]];
  if (e.channel) args.push(`--channel=${e.channel}`);
  if (e.kind === "syscall") args.push("--syscall");
  else if (e.kind === "probe") args.push("--probe");
  else if (e.kind === "function") args.push("--function");
  else if (e.kind === "userspace-probe") args.push("--userspace-probe");
  else if (e.kind === "tracepoint" && e.domain === "kernel") args.push("--tracepoint");
  if (e.all || e.names.length === 0) args.push("--all-events");
  else args.push(e.names.join(","));
  return args;
}

export function addContextArgs(c: z.output<typeof ZAddContext>): string[] {
  const args = ["add-context", `--session=${c.session}`, DOMAIN_FLAG[c.domain]];
  if (c.channel) args.push(`--channel=${c.channel}`);
  for (const t of c.types) args.push(`--type=${t}`);
  return args;
}

/** `track`/`untrack`: the values given, or every process with `all`. */
export function trackArgs(cmd: "track" | "untrack", t: z.output<typeof ZTrack>): string[] {
  const args = [cmd, `--session=${t.session}`, DOMAIN_FLAG[t.domain]];
  if (t.all) args.push("--all", `--${t.attr}`);
  else args.push(`--${t.attr}=${t.values.join(",")}`);
  return args;
}

/** `snapshot add-output` to `destination`: a relay URL, or a local directory the caller resolved. */
export function snapshotAddOutputArgs(o: z.output<typeof ZSnapshotAddOutput>, destination: string): string[] {
  const args = ["snapshot", "add-output", `--session=${o.session}`];
  if (o.name) args.push(`--name=${o.name}`);
  if (o.maxSize !== undefined) args.push(`--max-size=${o.maxSize}`);
  args.push(destination);
  return args;
}

/** `snapshot record` under a name the caller made unique (it finds the directory by it). */
export function snapshotRecordArgs(session: string, uniqueName: string, maxSize: number | undefined): string[] {
  const args = ["snapshot", "record", `--session=${session}`, `--name=${uniqueName}`];
  if (maxSize !== undefined) args.push(`--max-size=${maxSize}`);
  return args;
}

export function enableRotationArgs(r: z.output<typeof ZEnableRotation>): string[] {
  const args = ["enable-rotation", `--session=${r.session}`];
  if (r.timerUs !== undefined) args.push(`--timer=${r.timerUs}`);
  if (r.size !== undefined) args.push(`--size=${r.size}`);
  return args;
}

export function disableRotationArgs(r: z.output<typeof ZDisableRotation>): string[] {
  const args = ["disable-rotation", `--session=${r.session}`];
  if (r.timer) args.push("--timer");
  if (r.size) args.push("--size");
  return args;
}

/** `save` of one session, or of every session with `null`, as `<outputDir>/<name>.lttng`. */
export function saveArgs(session: string | null, outputDir: string, force: boolean): string[] {
  return ["save", `--output-path=${outputDir}`, ...(force ? ["--force"] : []), session ?? "--all"];
}

/**
 * `load` of the saved file `file`. `localOutputDir` is the caller's resolved (kept under the
 * traces root) `overrideOutputDir`; a relay `overrideUrl` wins over it.
 */
export function loadArgs(l: z.output<typeof ZLoadSession>, file: string, localOutputDir: string | null): string[] {
  const args = ["load", `--input-path=${file}`];
  if (l.force) args.push("--force");
  if (l.overrideName) args.push(`--override-name=${l.overrideName}`);
  if (l.overrideUrl) args.push(`--override-url=${l.overrideUrl}`);
  else if (localOutputDir) args.push(`--override-url=file://${localOutputDir}`);
  args.push(l.session);
  return args;
}

/**
 * `add-trigger` with an event-rule-matches condition and its actions. LTTng takes a snapshot
 * action's name or size only with an explicit destination, so such an action repeats its
 * session's current output, looked up in `snapshotOutputs` (by session name; the caller
 * fetched them and refuses a session without one).
 */
export function addTriggerArgs(t: z.output<typeof ZAddTrigger>, snapshotOutputs: ReadonlyMap<string, SnapshotOutput> = new Map()): string[] {
  const args = ["add-trigger", `--name=${t.name}`, "--condition=event-rule-matches"];
  if (t.ruleType === "syscall") args.push(`--type=syscall${t.syscallSite ? `:${t.syscallSite}` : ""}`);
  else args.push(`--type=${t.ruleType}`);
  if (t.ruleType === "kprobe" || t.ruleType === "uprobe") args.push(`--location=${t.location}`, `--event-name=${t.pattern}`);
  else args.push(`--name=${t.pattern}`);
  if (t.filter !== undefined) args.push(`--filter=${t.filter}`);
  if (t.logLevel) args.push(`--log-level=${t.logLevel.level}${t.logLevel.only ? "" : ".."}`);
  for (const x of t.exclude ?? []) args.push(`--exclude-name=${x}`);
  for (const c of t.captures) args.push(`--capture=${c}`);
  for (const a of t.actions) {
    if (a.type === "notify") args.push("--action=notify");
    else args.push(`--action=${a.type}`, a.session);
    if (a.type === "snapshot-session" && snapshotNeedsDestination(a)) {
      const out = snapshotOutputs.get(a.session);
      if (out?.ctrlUrl) {
        if (out.ctrlUrl.startsWith("/")) args.push(`--path=${out.ctrlUrl}`);
        else args.push(`--ctrl-url=${out.ctrlUrl}`, `--data-url=${out.dataUrl ?? ""}`);
      }
      if (a.snapshotName) args.push(`--name=${a.snapshotName}`);
      if (a.maxSize !== undefined) args.push(`--max-size=${a.maxSize}`);
    }
    if (a.ratePolicy) args.push(`--rate-policy=${a.ratePolicy.kind}:${a.ratePolicy.count}`);
  }
  return args;
}

/** Whether a snapshot-session action names its snapshots or bounds their size (then LTTng wants a destination). */
export function snapshotNeedsDestination(a: { snapshotName?: string; maxSize?: number }): boolean {
  return !!a.snapshotName || a.maxSize !== undefined;
}

/** One argument array as a POSIX shell command line (`lttng …`), quoting only where needed. */
export function shellCommand(args: readonly string[]): string {
  return ["lttng", ...args].map(shellQuote).join(" ");
}

function shellQuote(a: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a)) return a;
  // `--filter=…`: quote the value only, as people write it.
  const m = /^(--[a-z-]+=)(.*)$/s.exec(a);
  if (m) return m[1]! + `'${m[2]!.replace(/'/g, `'\\''`)}'`;
  return `'${a.replace(/'/g, `'\\''`)}'`;
}
