/**
 * The `lttng` argument arrays for parsed (zod-checked) inputs, as pure functions. The
 * controller runs exactly these, and the session wizard's review step prints them as the
 * equivalent shell commands, so what the user reads is what runs.
 */
import { z } from "zod";
import { DOMAIN_FLAG, type ZAddContext, type ZCreateSession, type ZEnableChannel, type ZEnableEvent, type ZEnableRotation } from "./schemas";

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

export function addContextArgs(c: z.output<typeof ZAddContext>): string[] {
  const args = ["add-context", `--session=${c.session}`, DOMAIN_FLAG[c.domain]];
  if (c.channel) args.push(`--channel=${c.channel}`);
  for (const t of c.types) args.push(`--type=${t}`);
  return args;
}

export function enableRotationArgs(r: z.output<typeof ZEnableRotation>): string[] {
  const args = ["enable-rotation", `--session=${r.session}`];
  if (r.timerUs !== undefined) args.push(`--timer=${r.timerUs}`);
  if (r.size !== undefined) args.push(`--size=${r.size}`);
  return args;
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
