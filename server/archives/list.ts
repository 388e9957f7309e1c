import { basename, dirname } from "node:path";
import { listTraces, type TraceSessionEntry } from "../traces/catalog";
import { classifyArchive, type ArchiveInfo } from "./classify";

export interface ArchiveEntry extends TraceSessionEntry {
  archive: ArchiveInfo;
}

/** Every trace directory under the trace roots, with what LTTng's naming says it is. */
export async function listArchives(): Promise<{ archives: ArchiveEntry[]; truncated: boolean; roots: { path: string; exists: boolean }[] }> {
  const catalog = await listTraces();
  const archives = catalog.sessions
    .map((s) => ({ ...s, archive: classifyArchive(basename(s.path), basename(dirname(s.path))) }))
    .sort((a, b) => b.modifiedAt.getTime() - a.modifiedAt.getTime());
  return { archives, truncated: catalog.truncated, roots: catalog.roots };
}
