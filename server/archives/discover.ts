/**
 * Finds archive directories under the trace roots by LTTng's output layout
 * (lttng-facts.md §5), reading directory names only: a trace's own files are stat'ed only
 * when it is new or changed (fingerprint). Symbolic links are never followed, so a link
 * cannot bring a tree outside the roots into the index.
 *
 * An archive is a directory holding a tracer domain (`ust/`, `kernel/`) or a bare CTF trace
 * (`metadata`):
 *   snapshot         <output>-YYYYMMDD-HHMMSS-N
 *   rotation         …/archives/<BEGIN>-<END>-N
 *   session          anything else: a session's whole output (stopped-session trace)
 * A rotation chunk being written (`<BEGIN>-N`) and LTTng's temporary directories
 * (`.tmp_old_chunk`, any dot name) are never archives.
 */
import type { Dirent } from "node:fs";
import { lstat, readdir, realpath } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { classifyArchive } from "./classify";

export type IndexedKind = "snapshot" | "rotation" | "session";

export interface Candidate {
  /** Real absolute directory. */
  path: string;
  /** Real root it was found under. */
  root: string;
  kind: IndexedKind;
  /** The session the layout suggests (the snapshot's or archives/ parent); the trace's env wins. */
  sessionHint: string;
  /** When LTTng says it wrote it (from the name), epoch ms; null when the name has no time. */
  namedAtMs: number | null;
}

export interface WalkResult {
  candidates: Candidate[];
  /** Real roots that exist (a vanished root must not turn its archives into "missing" wholesale). */
  roots: string[];
  /** A bound cut the walk: absence from it does not prove an archive vanished. */
  truncated: boolean;
}

const MAX_DEPTH = 8;
const MAX_DIRS = 50_000;
const DOMAIN_DIRS = new Set(["ust", "kernel"]);

/** LTTng's temporaries (`.tmp_old_chunk`, `.tmp_new_chunk`…) and other hidden directories. */
export function isHiddenOrTemporary(name: string): boolean {
  return name.startsWith(".");
}

/** Strips the `-YYYYMMDD-HHMMSS` LTTng appends to a default session directory name. */
function sessionFromDirName(name: string): string {
  return name.replace(/-\d{8}-\d{6}$/, "");
}

/** Classifies a directory known to hold trace data; null for a chunk still being written. */
export function classifyTraceDir(path: string): Omit<Candidate, "root"> | null {
  const base = basename(path);
  const parent = dirname(path);
  const info = classifyArchive(base, basename(parent));
  switch (info.kind) {
    case "rotation-chunk":
      return null;
    case "rotation-archive":
      // <session dir>/archives/<chunk>
      return { path, kind: "rotation", sessionHint: sessionFromDirName(basename(dirname(parent))), namedAtMs: info.end ?? null };
    case "snapshot":
      return { path, kind: "snapshot", sessionHint: sessionFromDirName(basename(parent)), namedAtMs: info.begin ?? null };
    case "session":
      return { path, kind: "session", sessionHint: sessionFromDirName(base), namedAtMs: null };
  }
}

/** Walks `roots` (bounded) and returns every archive directory found. */
export async function walkArchives(roots: readonly string[]): Promise<WalkResult> {
  const candidates: Candidate[] = [];
  const realRoots: string[] = [];
  let truncated = false;
  for (const r of roots) {
    const root = await realpath(r).catch(() => null);
    if (root === null) continue;
    realRoots.push(root);
    let visited = 0;
    const walk = async (dir: string, depth: number): Promise<void> => {
      if (depth > MAX_DEPTH || visited >= MAX_DIRS) {
        truncated = true;
        return;
      }
      visited++;
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => [] as Dirent[]);
      const holdsTrace = entries.some((e) => (e.isDirectory() && DOMAIN_DIRS.has(e.name)) || (e.isFile() && e.name === "metadata"));
      if (holdsTrace) {
        const c = classifyTraceDir(dir);
        if (c) candidates.push({ ...c, root });
        // A trace directory holds streams, not other archives.
        return;
      }
      for (const e of entries) {
        if (!e.isDirectory() || isHiddenOrTemporary(e.name) || e.name === "index") continue;
        await walk(join(dir, e.name), depth + 1);
      }
    };
    await walk(root, 0);
  }
  return { candidates, roots: realRoots, truncated };
}

export interface Fingerprint {
  bytes: number;
  files: number;
  /** Newest mtime of any file, epoch ms. */
  newestMs: number;
  /** bytes:files:newest, compared between scans. */
  key: string;
}

/** Size, file count and newest change of every regular file below `dir` (links not followed). */
export async function fingerprint(dir: string): Promise<Fingerprint | null> {
  let bytes = 0;
  let files = 0;
  let newestMs = 0;
  const walk = async (d: string, depth: number): Promise<boolean> => {
    let entries: Dirent[];
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return depth > 0;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (depth < MAX_DEPTH) await walk(p, depth + 1);
      } else if (e.isFile()) {
        const st = await lstat(p).catch(() => null);
        if (!st) continue;
        bytes += st.size;
        files++;
        newestMs = Math.max(newestMs, st.mtimeMs);
      }
    }
    return true;
  };
  if (!(await walk(dir, 0))) return null;
  return { bytes, files, newestMs, key: `${bytes}:${files}:${Math.floor(newestMs)}` };
}
