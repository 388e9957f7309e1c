/**
 * Where LTTng wrote, found on disk: the MI does not say whether a stopped session ever
 * recorded, which directory a snapshot record made, or (for the first relay rotation) which
 * archive a rotation closed.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/** `<name>-YYYYMMDD-HHMMSS-N`: the directory `snapshot record --name=NAME` makes. */
export const SNAPSHOT_DIR_RE = /-\d{8}-\d{6}-\d+$/;
/** With rotation, chunks are named after their start time: `20261126T071235+0000-2/`. */
export const CHUNK_DIR_RE = /^\d{8}T\d{6}[+-]\d{4}-\d+$/;

/** Whether a local session's output directory already holds trace data (so it was started once). */
export async function holdsTraceData(sessionDir: string): Promise<boolean> {
  // The /*turbopackIgnore*/ marks: these paths come from LTTng at run time; Next's output
  // tracing must not follow them (it would copy the whole project into the server bundle).
  for (const sub of ["ust", "kernel", "archives"]) {
    try {
      await stat(/*turbopackIgnore: true*/ join(/*turbopackIgnore: true*/ sessionDir, sub));
      return true;
    } catch {
      /* not there */
    }
  }
  try {
    return (await readdir(/*turbopackIgnore: true*/ sessionDir)).some((e) => CHUNK_DIR_RE.test(e));
  } catch {
    return false;
  }
}

/** The directory of the snapshot recorded as `name` somewhere below `root` (at most 4 levels), or null. */
export function findSnapshotDir(root: string, name: string): Promise<string | null> {
  return findDir(root, (b) => b.startsWith(`${name}-`) && SNAPSHOT_DIR_RE.test(b), 4);
}

/** Breadth-first search for a directory whose basename matches, at most `depth` levels down. */
async function findDir(root: string, match: (base: string) => boolean, depth: number): Promise<string | null> {
  let level = [root];
  for (let d = 0; d < depth && level.length > 0; d++) {
    const next: string[] = [];
    for (const dir of level) {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (!e.isDirectory()) continue;
        const p = join(dir, e.name);
        if (match(e.name)) return p;
        // Never descend into trace data: snapshots sit above `ust/` and `kernel/`.
        if (e.name !== "ust" && e.name !== "kernel" && e.name !== "index") next.push(p);
      }
    }
    level = next;
  }
  return null;
}

/** The archive directory of a relay rotation (see `LttngController.rotate`). */
export async function resolveRelayArchive(relaydOutputDir: string, relativePath: string): Promise<string> {
  const path = join(relaydOutputDir, relativePath);
  if (/(^|\/)archives\//.test(relativePath)) return path;
  // LTTng reported the session directory, not the chunk: the chunk just closed is its newest archive.
  try {
    const archives = (await readdir(join(path, "archives"))).filter((e) => /-\d+$/.test(e));
    archives.sort((a, b) => Number(/-(\d+)$/.exec(a)![1]) - Number(/-(\d+)$/.exec(b)![1]));
    const last = archives.at(-1);
    if (last) return join(path, "archives", last);
  } catch {
    /* fall through */
  }
  return path;
}
