/**
 * Free space where a session writes. LTTng 2.13.9 handles a full file system badly, measured
 * with a small tmpfs as the output (server/faults/faults.test.ts): a snapshot fails with only
 * "Snapshot record failed" and leaves an empty directory; a recording session drops data
 * silently (no discarded-event or lost-packet count) and its rotations "complete" with empty
 * archives; once space is back, every rotation fails with "Rotation failure on consumer" until
 * the session is destroyed. So Tracedeck looks at the file system itself, says so on the
 * session, names the cause in LTTng's errors, and refuses to rotate onto a full disk.
 */
import { statfs } from "node:fs/promises";
import { dirname } from "node:path";

export interface OutputSpace {
  /** The directory measured (the session's output, or its nearest existing parent). */
  path: string;
  freeBytes: number;
  totalBytes: number;
  /** Less free space than one flush of the session's buffers may write. */
  low: boolean;
}

/** Bytes of ring buffer a flush may write: every channel's sub-buffers on every CPU. */
export function bufferBytes(channels: Array<{ attributes: { subbufSizeBytes: number; subbufCount: number } | null }>, cpus: number): number {
  return channels.reduce((n, c) => n + (c.attributes ? c.attributes.subbufSizeBytes * c.attributes.subbufCount * cpus : 0), 0);
}

/** Free space of the file system holding `dir` (walking up to an existing parent); null for a non-local output. */
export async function outputSpace(dir: string, needBytes: number): Promise<OutputSpace | null> {
  if (!dir.startsWith("/")) return null;
  let path = dir;
  for (let i = 0; i < 64; i++) {
    try {
      const s = await statfs(/*turbopackIgnore: true*/ path);
      const freeBytes = s.bavail * s.bsize;
      // At least 1 MiB: metadata, indexes and the chunk directories need room too.
      return { path, freeBytes, totalBytes: s.blocks * s.bsize, low: freeBytes < Math.max(needBytes, 1 << 20) };
    } catch {
      const up = dirname(path);
      if (up === path) return null;
      path = up;
    }
  }
  return null;
}

/** One sentence for the UI and for LTTng's own terse errors. */
export function describeFull(s: OutputSpace): string {
  const mib = (n: number) => `${(n / (1 << 20)).toFixed(1)} MiB`;
  return `The output file system is full or nearly so (${mib(s.freeBytes)} free of ${mib(s.totalBytes)} at ${s.path}): LTTng drops trace data silently when it cannot write, and its rotations fail until the session is re-created. Free some space first.`;
}
