/**
 * Trigger notifications: builds and runs `tracedeck-notify` (notify/tracedeck-notify.c, a
 * small liblttng-ctl client; no LTTng CLI receives notifications) and yields its JSON lines.
 */
import { spawn } from "node:child_process";
import { mkdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { z } from "zod";
import { config } from "../config";
import { findRepoRoot } from "../repo-root";
import { LttngError } from "./errors";
import { execBounded } from "./exec";
import { targetEnv, type LttngTarget } from "./runner";

const SOURCE_REL = join("server", "lttng", "notify", "tracedeck-notify.c");

/** The C source in this checkout; TRACEDECK_NOTIFY_SOURCE overrides it. */
export function notifySourcePath(): string {
  const fromEnv = process.env.TRACEDECK_NOTIFY_SOURCE;
  if (fromEnv) return resolve(fromEnv);
  const root = findRepoRoot(SOURCE_REL);
  if (root === null) throw new LttngError("TOOL_FAILURE", `Cannot find ${SOURCE_REL} (set TRACEDECK_NOTIFY_SOURCE)`);
  return join(root, SOURCE_REL);
}

/**
 * Compiles `tracedeck-notify` with `cc … -llttng-ctl` into `outDir` (default `<runDir>/bin`)
 * when the source is newer than the binary. Returns the binary's path.
 */
export async function ensureNotifyBuilt(outDir = join(config().runDir, "bin")): Promise<string> {
  const src = notifySourcePath();
  const bin = join(outDir, "tracedeck-notify");
  // Run-time paths: the /*turbopackIgnore*/ marks keep Next's output tracing from following them.
  const [s, b] = await Promise.all([stat(/*turbopackIgnore: true*/ src), stat(/*turbopackIgnore: true*/ bin).catch(() => null)]);
  if (b && b.mtimeMs >= s.mtimeMs) return bin;
  await mkdir(outDir, { recursive: true });
  const r = await execBounded("cc", ["-O2", "-Wall", "-o", bin, src, "-llttng-ctl"], { timeoutMs: 120_000 });
  if (r.code !== 0) {
    throw new LttngError("TOOL_FAILURE", `Cannot build tracedeck-notify (needs cc and liblttng-ctl-dev): ${r.stderr.trim()}`, { stderr: r.stderr });
  }
  return bin;
}

/** A captured value: numbers beyond 2^53 arrive as decimal strings; unavailable ones as null. */
const Captured: z.ZodType<unknown> = z.lazy(() => z.union([z.number(), z.string(), z.null(), z.array(Captured)]));

export const NotifyLine = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready"), subscribed: z.array(z.string()), missing: z.array(z.string()) }),
  z.object({
    type: z.literal("notification"),
    /** Wall-clock receive time, seconds since the epoch (ns digits). */
    recv_ts: z.number(),
    trigger: z.string(),
    /** 105 = event-rule-matches. */
    condition_type: z.number(),
    /** Captured values in `--capture` order. */
    captures: z.array(Captured),
  }),
  z.object({ type: z.literal("dropped") }),
  z.object({ type: z.literal("closed") }),
  z.object({ type: z.literal("error"), message: z.string() }),
]);
export type NotifyLine = z.infer<typeof NotifyLine>;

export interface WatchOptions {
  target?: LttngTarget;
  /** Path of a built `tracedeck-notify`; built on demand otherwise. */
  binary?: string;
  signal?: AbortSignal;
}

/**
 * Subscribes to the named triggers and yields every line of the helper, starting with
 * `ready` (which says which triggers were found). Ends when the helper exits (the session
 * daemon closed the channel, or no trigger was found) or when `signal` aborts; the helper is
 * killed when the consumer stops iterating.
 */
export async function* watchNotifications(triggers: string[], opts: WatchOptions = {}): AsyncGenerator<NotifyLine> {
  if (triggers.length === 0) throw new LttngError("INVALID_INPUT", "Name at least one trigger", { field: "triggers" });
  const bin = opts.binary ?? (await ensureNotifyBuilt());
  const target = opts.target ?? {};
  const child = spawn(/*turbopackIgnore: true*/ bin, triggers, { env: targetEnv(target), uid: target.user?.uid, gid: target.user?.gid, stdio: ["ignore", "pipe", "pipe"] });
  const onAbort = () => child.kill("SIGTERM");
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  const rl = createInterface({ input: child.stdout });
  try {
    for await (const line of rl) {
      if (!line.trim()) continue;
      const parsed = NotifyLine.safeParse(JSON.parse(line));
      if (parsed.success) yield parsed.data;
    }
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    rl.close();
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  }
}
