/**
 * What a trace directory is, from the names LTTng 2.13 gives its output directories
 * (lttng-facts.md §5): LTTng forgets archives once written, so their names are all there is.
 *   snapshot:          <output-name>-YYYYMMDD-HHMMSS-<N>           (N: per-session counter)
 *   rotation archive:  archives/<BEGIN>-<END>-<N>                  (BEGIN/END: YYYYMMDDTHHMMSS+ZZZZ)
 *   rotation chunk:    <BEGIN>-<N>                                 (the chunk being written)
 *   session:           anything else (<session>-YYYYMMDD-HHMMSS by default)
 */
export type ArchiveKind = "snapshot" | "rotation-archive" | "rotation-chunk" | "session";

export interface ArchiveInfo {
  kind: ArchiveKind;
  /** Snapshot output name (`snapshot-1`, or the `-n` name). */
  snapshotName?: string;
  /** Per-session index LTTng gave the snapshot or the chunk. */
  index?: number;
  /** Time range of a rotation chunk, as epoch milliseconds; a snapshot's `begin` is when it was taken. */
  begin?: number;
  end?: number;
}

const SNAPSHOT = /^(.+)-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-(\d+)$/;
const STAMP = "(\\d{4})(\\d{2})(\\d{2})T(\\d{2})(\\d{2})(\\d{2})([+-])(\\d{2})(\\d{2})";
const ARCHIVE = new RegExp(`^${STAMP}-${STAMP}-(\\d+)$`);
const CHUNK = new RegExp(`^${STAMP}-(\\d+)$`);

/** `YYYYMMDDTHHMMSS±HHMM` parts (9 captures from `at`) → epoch ms. */
function stampMs(m: RegExpExecArray, at: number): number {
  const n = (i: number) => Number(m[at + i]);
  const sign = m[at + 6] === "-" ? -1 : 1;
  const offsetMin = sign * (n(7) * 60 + n(8));
  return Date.UTC(n(0), n(1) - 1, n(2), n(3), n(4), n(5)) - offsetMin * 60_000;
}

/** Classifies a directory by its own name and its parent's name. */
export function classifyArchive(baseName: string, parentName: string): ArchiveInfo {
  const a = ARCHIVE.exec(baseName);
  if (a && parentName === "archives") return { kind: "rotation-archive", begin: stampMs(a, 1), end: stampMs(a, 10), index: Number(a[19]) };
  const c = CHUNK.exec(baseName);
  if (c) return { kind: "rotation-chunk", begin: stampMs(c, 1), index: Number(c[10]) };
  const s = SNAPSHOT.exec(baseName);
  // Snapshot directories sit directly in the session's output, a session's default
  // directory has no trailing counter: `<session>-YYYYMMDD-HHMMSS`.
  if (s) {
    const [, name, y, mo, d, h, mi, se, idx] = s;
    return {
      kind: "snapshot",
      snapshotName: name,
      index: Number(idx),
      begin: Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se)),
    };
  }
  return { kind: "session" };
}
