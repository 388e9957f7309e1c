/**
 * The traces a user may open: CTF trace directories (a directory holding a `metadata` file)
 * under the configured trace roots (config().traceRoots), grouped by the session directory
 * one would hand to babeltrace2 or lttng-analyses, and the one place that turns a path typed
 * by a user into a directory that is guaranteed to stay under a root.
 */
import type { Dirent } from "node:fs";
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { config } from "../config";
import { brandDomainError } from "../shared/domain-error";

export type TraceCatalogErrorCode =
  | "INVALID_PATH"
  | "NOT_FOUND"
  | "OUTSIDE_ROOTS"
  | "NOT_A_TRACE"
  /** The trace opened but its data does not decode (read in a worker thread: the message says where). */
  | "UNREADABLE";

/** A user-given trace path that cannot be opened or read; `message` is meant for the user. */
export class TraceCatalogError extends Error {
  override name = "TraceCatalogError";
  constructor(
    readonly code: TraceCatalogErrorCode,
    message: string,
    readonly details: { path: string },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
brandDomainError(TraceCatalogError, "TraceCatalogError");

/** One CTF trace (one tracer domain of a session, or one UST buffer set). */
export interface TraceEntry {
  /** Absolute directory holding `metadata`. */
  path: string;
  /** `path` relative to its session directory ("" when the trace is the session). */
  name: string;
  /** From LTTng's output layout: `<session>/kernel`, `<session>/ust/…`. */
  domain: "kernel" | "ust" | null;
  /** Bytes of the trace's files (metadata, streams, index). */
  sizeBytes: number;
  /** Last change of its metadata file. */
  modifiedAt: Date;
}

/** A session directory (or snapshot, or rotation chunk): what the UI offers to analyse. */
export interface TraceSessionEntry {
  /** Absolute directory: the traces' common parent above `kernel/` / `ust/`. */
  path: string;
  /** The root it was found under (absolute). */
  root: string;
  /** `path` relative to `root` ("." for the root itself). */
  name: string;
  traces: TraceEntry[];
  sizeBytes: number;
  modifiedAt: Date;
}

export interface TraceCatalog {
  /** `sample`: the sample kernel trace shipped with Tracedeck (samples/traces). */
  roots: { path: string; exists: boolean; sample: boolean }[];
  sessions: TraceSessionEntry[];
  /** A bound (depth, directories visited) cut the walk short: some traces may be missing. */
  truncated: boolean;
}

export interface CatalogLimits {
  /** Directory levels below a root (LTTng's deepest layout is ~7: relayd host/session/archives/chunk/ust/uid/N/64-bit). */
  maxDepth: number;
  /** Directories read per root, so that a root pointing at a huge tree cannot stall the server. */
  maxDirs: number;
}

const DEFAULT_LIMITS: CatalogLimits = { maxDepth: 10, maxDirs: 20_000 };
/** Directories that never hold a trace of their own. */
const SKIP_DIRS = new Set(["index", "node_modules", ".git"]);

function isUnder(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

async function realRoots(roots: readonly string[]): Promise<{ path: string; real: string | null }[]> {
  return Promise.all(roots.map(async (path) => ({ path, real: await realpath(path).catch(() => null) })));
}

/** `<session>/kernel`, `<session>/ust/uid/1000/64-bit`: the session is what precedes the domain segment. */
function splitDomain(relToRoot: string): { sessionRel: string; domain: "kernel" | "ust" | null } {
  const parts = relToRoot === "" ? [] : relToRoot.split(sep);
  const i = parts.findIndex((p) => p === "kernel" || p === "ust");
  if (i < 0) return { sessionRel: relToRoot, domain: null };
  return { sessionRel: parts.slice(0, i).join(sep), domain: parts[i] as "kernel" | "ust" };
}

async function traceFilesSize(dir: string, entries: Dirent[]): Promise<number> {
  let total = 0;
  for (const e of entries) {
    if (e.isFile()) total += (await lstat(join(dir, e.name)).catch(() => null))?.size ?? 0;
    else if (e.isDirectory() && e.name === "index") {
      const idx = await readdir(join(dir, "index"), { withFileTypes: true }).catch(() => [] as Dirent[]);
      for (const f of idx) if (f.isFile()) total += (await lstat(join(dir, "index", f.name)).catch(() => null))?.size ?? 0;
    }
  }
  return total;
}

/**
 * Walks every root (symbolic links are not followed, so a link cannot pull in a tree outside
 * the roots) and lists the traces found, grouped by session directory, newest first.
 */
export async function listTraces(
  roots: readonly string[] = config().traceRoots,
  limits: CatalogLimits = DEFAULT_LIMITS,
  sampleRoot: string | null = config().sampleTracesDir,
): Promise<TraceCatalog> {
  const resolved = await realRoots(roots);
  const sessions = new Map<string, TraceSessionEntry>();
  let truncated = false;
  for (const root of resolved) {
    if (root.real === null) continue;
    const rootReal = root.real;
    let visited = 0;
    const walk = async (dir: string, depth: number): Promise<void> => {
      if (depth > limits.maxDepth || visited >= limits.maxDirs) {
        truncated = true;
        return;
      }
      visited++;
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => [] as Dirent[]);
      if (entries.some((e) => e.isFile() && e.name === "metadata")) {
        const rel = relative(rootReal, dir);
        const { sessionRel, domain } = splitDomain(rel);
        const sessionPath = join(rootReal, sessionRel);
        const md = await stat(join(dir, "metadata"));
        const trace: TraceEntry = {
          path: dir,
          name: relative(sessionPath, dir),
          domain,
          sizeBytes: await traceFilesSize(dir, entries),
          modifiedAt: md.mtime,
        };
        let s = sessions.get(sessionPath);
        if (s === undefined) {
          s = { path: sessionPath, root: root.path, name: sessionRel === "" ? "." : sessionRel, traces: [], sizeBytes: 0, modifiedAt: md.mtime };
          sessions.set(sessionPath, s);
        }
        s.traces.push(trace);
        s.sizeBytes += trace.sizeBytes;
        if (md.mtime > s.modifiedAt) s.modifiedAt = md.mtime;
        // A trace directory holds streams, not other traces.
        return;
      }
      const subdirs = entries
        .filter((e) => e.isDirectory() && !SKIP_DIRS.has(e.name))
        .map((e) => e.name)
        .sort();
      for (const name of subdirs) await walk(join(dir, name), depth + 1);
    };
    await walk(rootReal, 0);
  }
  const list = [...sessions.values()];
  for (const s of list) s.traces.sort((a, b) => a.name.localeCompare(b.name));
  list.sort((a, b) => b.modifiedAt.getTime() - a.modifiedAt.getTime() || a.path.localeCompare(b.path));
  return {
    roots: resolved.map((r) => ({ path: r.path, exists: r.real !== null, sample: r.path === sampleRoot })),
    sessions: list,
    truncated,
  };
}

/** Says where traces may be opened and how to allow another directory: the way forward, not just the refusal. */
export function outsideRootsMessage(userPath: string, roots: readonly string[]): string {
  const list = roots.length === 0 ? "none is configured" : `the configured roots are ${roots.join(", ")}`;
  return `${userPath} is outside the trace directories this server may open: ${list}. To open traces elsewhere, add their directory to TRACEDECK_TRACE_ROOTS (colon-separated) and restart the server.`;
}

/** Most traces one opened directory may hold (a session has one per domain and bitness). */
const MAX_TRACES_PER_OPEN = 16;

/** Trace directories under `dir` (itself included), at most `max` + 1 of them. */
async function tracesUnder(dir: string, depth: number, max: number, out: string[] = []): Promise<string[]> {
  if (depth > DEFAULT_LIMITS.maxDepth || out.length > max) return out;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [] as Dirent[]);
  if (entries.some((e) => e.isFile() && e.name === "metadata")) {
    out.push(dir);
    return out;
  }
  for (const e of entries) {
    if (e.isDirectory() && !SKIP_DIRS.has(e.name)) await tracesUnder(join(dir, e.name), depth + 1, max, out);
    if (out.length > max) break;
  }
  return out;
}

/**
 * Turns a user-given path (absolute, or relative to a trace root) into the real directory
 * it names, after resolving `..` and every symbolic link, and checks that this directory is
 * under one of the roots and is one trace or one session's traces (not a root or any other
 * directory above several sessions: opening those would decode or archive everything at
 * once). Throws a TraceCatalogError otherwise. A path outside the roots is refused before
 * the file system is asked about it, so the answer never tells whether a host path exists.
 */
export async function resolveTracePath(userPath: string, roots: readonly string[] = config().traceRoots): Promise<string> {
  if (userPath.length === 0 || userPath.length > 4096 || /[\0-\x1f\x7f]/.test(userPath)) {
    throw new TraceCatalogError("INVALID_PATH", "Invalid trace path.", { path: userPath.slice(0, 200) });
  }
  const outside = () => new TraceCatalogError("OUTSIDE_ROOTS", outsideRootsMessage(userPath, roots), { path: userPath });
  const resolved = (await realRoots(roots)).filter((r): r is { path: string; real: string } => r.real !== null);
  const candidates = (isAbsolute(userPath) ? [userPath] : resolved.map((r) => join(r.real, userPath)))
    .map((c) => resolve(c))
    .filter((c) => resolved.some((r) => isUnder(r.real, c) || isUnder(r.path, c)));
  if (candidates.length === 0) throw outside();
  let existed = false;
  for (const c of candidates) {
    const real = await realpath(c).catch(() => null);
    if (real === null) continue;
    existed = true;
    const root = resolved.find((r) => isUnder(r.real, real));
    if (root === undefined) continue;
    const st = await stat(real);
    const traces = st.isDirectory() ? await tracesUnder(real, 0, MAX_TRACES_PER_OPEN) : [];
    if (traces.length === 0) throw new TraceCatalogError("NOT_A_TRACE", `No CTF trace (no 'metadata' file) under ${userPath}.`, { path: userPath });
    const sessions = new Set(traces.map((t) => join(root.real, splitDomain(relative(root.real, t)).sessionRel)));
    const session = sessions.size === 1 ? [...sessions][0]! : null;
    if (traces.length > MAX_TRACES_PER_OPEN || session === null || !isUnder(session, real)) {
      throw new TraceCatalogError("NOT_A_TRACE", `${userPath} holds the traces of several sessions; open one session (or one trace) at a time.`, {
        path: userPath,
      });
    }
    return real;
  }
  if (existed) throw outside();
  throw new TraceCatalogError("NOT_FOUND", `No such trace: ${userPath}.`, { path: userPath });
}
