/**
 * Trigger notifications: builds and runs `tracedeck-notify` (notify/tracedeck-notify.c, a
 * small liblttng-ctl client; no LTTng CLI receives notifications) and yields its JSON lines.
 */
import { spawn } from "node:child_process";
import { mkdir, rename, rm, stat } from "node:fs/promises";
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

const building = new Map<string, Promise<string>>();

/**
 * Compiles `tracedeck-notify` with `cc … -llttng-ctl` into `outDir` (default `<runDir>/bin`)
 * when the source is newer than the binary. Returns the binary's path. Concurrent callers
 * share one compilation, and the binary is linked under a temporary name then renamed, so a
 * subscriber never runs a half-written file.
 */
export function ensureNotifyBuilt(outDir = join(config().runDir, "bin")): Promise<string> {
  let p = building.get(outDir);
  if (p === undefined) {
    p = buildNotify(outDir).finally(() => building.delete(outDir));
    building.set(outDir, p);
  }
  return p;
}

async function buildNotify(outDir: string): Promise<string> {
  const src = notifySourcePath();
  const bin = join(outDir, "tracedeck-notify");
  // Run-time paths: the /*turbopackIgnore*/ marks keep Next's output tracing from following them.
  const [s, b] = await Promise.all([stat(/*turbopackIgnore: true*/ src), stat(/*turbopackIgnore: true*/ bin).catch(() => null)]);
  if (b && b.mtimeMs >= s.mtimeMs) return bin;
  await mkdir(outDir, { recursive: true });
  const tmp = `${bin}.tmp-${process.pid}`;
  const r = await execBounded("cc", ["-O2", "-Wall", "-o", tmp, src, "-llttng-ctl"], { timeoutMs: 120_000 });
  if (r.code !== 0) {
    await rm(/*turbopackIgnore: true*/ tmp, { force: true });
    throw new LttngError("TOOL_FAILURE", `Cannot build tracedeck-notify (needs cc and liblttng-ctl-dev): ${r.stderr.trim()}`, { stderr: r.stderr });
  }
  await rename(/*turbopackIgnore: true*/ tmp, bin);
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

const STDERR_TAIL = 4096;

/** Helper processes at once: each browser subscription runs one, and any logged-in user may subscribe. */
export const MAX_WATCHERS = 16;
let watchers = 0;

/**
 * Subscribes to the named triggers and yields every line of the helper, starting with
 * `ready` (which says which triggers were found). Ends when the helper exits (the session
 * daemon closed the channel, or no trigger was found) or when `signal` aborts; the helper is
 * killed when the consumer stops iterating. A helper that fails without saying why in an
 * `error` line still ends the stream with one, carrying its stderr, so the UI has a message.
 */
export async function* watchNotifications(triggers: string[], opts: WatchOptions = {}): AsyncGenerator<NotifyLine> {
  if (triggers.length === 0) throw new LttngError("INVALID_INPUT", "Name at least one trigger", { field: "triggers" });
  if (watchers >= MAX_WATCHERS) {
    throw new LttngError("NOT_ALLOWED", `Too many notification listeners (${MAX_WATCHERS}) are open; close one first`, { field: "triggers" });
  }
  watchers++;
  try {
    yield* watchHelper(triggers, opts);
  } finally {
    watchers--;
  }
}

async function* watchHelper(triggers: string[], opts: WatchOptions): AsyncGenerator<NotifyLine> {
  const bin = opts.binary ?? (await ensureNotifyBuilt());
  const target = opts.target ?? {};
  const child = spawn(/*turbopackIgnore: true*/ bin, triggers, {
    env: targetEnv(target),
    uid: target.user?.uid,
    gid: target.user?.gid,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((done) => {
    child.once("close", (code) => done(code));
    child.once("error", () => done(null));
  });
  // Read even if nobody looks at it: a full stderr pipe would block the helper.
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr = (stderr + d).slice(-STDERR_TAIL);
  });
  const onAbort = () => child.kill("SIGTERM");
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  const rl = createInterface({ input: child.stdout });
  let explained = false;
  try {
    for await (const line of rl) {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        continue; // not one of the helper's JSON lines (blank, or a library's chatter)
      }
      const parsed = NotifyLine.safeParse(json);
      if (!parsed.success) continue;
      const l = parsed.data;
      // The helper's own ways of ending: an error, the daemon closing, nothing to subscribe to.
      if (l.type === "error" || l.type === "closed" || (l.type === "ready" && l.subscribed.length === 0)) explained = true;
      yield parsed.data;
    }
    const code = await exited;
    if (!explained && code !== 0 && !opts.signal?.aborted) {
      yield { type: "error", message: stderr.trim() || `tracedeck-notify exited with ${code === null ? "an error" : `code ${code}`}` };
    }
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    rl.close();
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  }
}
