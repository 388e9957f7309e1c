/**
 * Finding traces on disk: a path is a trace directory (holding `metadata`), or any directory
 * above traces (an LTTng session dir with kernel/ and ust/uid/0/64-bit/…), searched
 * recursively. A trace's data stream files are its other regular, non-empty files.
 */
import { lstatSync, readdirSync, realpathSync, statSync, type Dirent } from "node:fs";
import { join, resolve, basename, dirname } from "node:path";
import { CtfError } from "../errors";

const MAX_DEPTH = 12;
const MAX_DIRS = 100_000;

/**
 * Trace directories under each path, sorted, without duplicates, as real paths: the files
 * of a trace are then opened by paths free of symbolic links (safe-open.ts).
 */
export function findTraceDirs(paths: string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const abs = resolve(p);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      throw new CtfError("io", "Cannot open trace path", { file: abs }, { cause: e });
    }
    if (st.isFile()) {
      if (basename(abs) === "metadata") out.add(realpathSync(dirname(abs)));
      else throw new CtfError("not-a-trace", "Not a trace directory (expected a directory holding a 'metadata' file)", { file: abs });
      continue;
    }
    const found: string[] = [];
    walk(abs, 0, found, { n: 0 });
    if (found.length === 0) throw new CtfError("not-a-trace", "No CTF trace (no 'metadata' file) found", { file: abs });
    for (const f of found) out.add(realpathSync(f));
  }
  return [...out].sort();
}

function walk(dir: string, depth: number, found: string[], budget: { n: number }): void {
  if (depth > MAX_DEPTH || ++budget.n > MAX_DIRS) return;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if (depth === 0) throw new CtfError("io", "Cannot read directory", { file: dir }, { cause: e });
    return;
  }
  if (entries.some((e) => e.name === "metadata" && (e.isFile() || e.isSymbolicLink()))) {
    found.push(dir);
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.isDirectory() && !e.name.startsWith(".")) walk(join(dir, e.name), depth + 1, found, budget);
  }
}

export interface DataFile {
  path: string;
  name: string;
  size: number;
}

/** Data stream files of a trace directory (not metadata, not hidden, not empty), sorted by name. */
export function listDataFiles(traceDir: string): DataFile[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(traceDir, { withFileTypes: true });
  } catch (e) {
    throw new CtfError("io", "Cannot read trace directory", { file: traceDir }, { cause: e });
  }
  const out: DataFile[] = [];
  for (const e of entries) {
    if (e.name === "metadata" || e.name.startsWith(".")) continue;
    const path = join(traceDir, e.name);
    let st;
    try {
      // lstat: a symbolic link is not a stream of this trace (and is never followed).
      st = lstatSync(path);
    } catch {
      continue;
    }
    if (!st.isFile() || st.size === 0) continue;
    out.push({ path, name: e.name, size: st.size });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
