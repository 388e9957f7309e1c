/**
 * Session profiles: the XML files `lttng save` writes into the controller's saved-sessions
 * directory (`<name>.lttng`), listed and read back so the UI can show and re-apply them.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { LttngError } from "./errors";
import { ZSessionName } from "./schemas";

export interface SessionProfile {
  /** The session name the file was saved from (`<name>.lttng`). */
  name: string;
  path: string;
  sizeBytes: number;
  savedAt: Date;
}

export async function listProfiles(dir: string): Promise<SessionProfile[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  const out: SessionProfile[] = [];
  for (const e of entries) {
    if (!e.endsWith(".lttng")) continue;
    const name = e.slice(0, -".lttng".length);
    if (!ZSessionName.safeParse(name).success) continue;
    const st = await stat(join(dir, e)).catch(() => null);
    if (st?.isFile()) out.push({ name, path: join(dir, e), sizeBytes: st.size, savedAt: st.mtime });
  }
  return out.sort((a, b) => b.savedAt.getTime() - a.savedAt.getTime());
}

/** The XML of one saved profile (bounded: a profile is a few kB). */
export async function readProfile(dir: string, name: string): Promise<{ name: string; path: string; xml: string }> {
  const n = ZSessionName.parse(name);
  const path = join(dir, `${n}.lttng`);
  const st = await stat(path).catch(() => null);
  if (!st?.isFile()) throw new LttngError("NOT_FOUND", `No saved profile named ${n}`, { field: "session" });
  if (st.size > 1024 * 1024) throw new LttngError("INVALID_INPUT", `Profile ${n} is larger than 1 MiB`, { field: "session" });
  return { name: n, path, xml: await readFile(path, "utf8") };
}
