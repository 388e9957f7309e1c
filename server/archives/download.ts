import { constants, createReadStream } from "node:fs";
import { open, readdir, readlink, type FileHandle } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { PassThrough, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import tar from "tar-stream";
import { moduleLogger } from "../log";

const log = moduleLogger("archives");

/** Regular files under `dir`, depth first, sorted; symbolic links are skipped, not followed. */
async function* filesUnder(dir: string): AsyncGenerator<string> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* filesUnder(p);
    else if (e.isFile()) yield p;
  }
}

/**
 * Opens `file` for the archive unless it is no longer the regular file the listing saw: a
 * link swapped in since (O_NOFOLLOW), a FIFO (O_NONBLOCK, then fstat), or a path through a
 * directory swapped for a link (the opened file's real path must be `file`, whose directory
 * is a real path). The file is then read through this descriptor only, so a later swap
 * changes nothing. Null means "leave it out".
 */
async function openListed(file: string): Promise<{ fh: FileHandle; size: number; mtime: Date } | null> {
  const fh = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => null);
  if (fh === null) return null;
  try {
    const st = await fh.stat();
    if (st.isFile() && (await readlink(`/proc/self/fd/${fh.fd}`)) === file) return { fh, size: st.size, mtime: st.mtime };
  } catch {
    /* vanished meanwhile */
  }
  await fh.close();
  return null;
}

/**
 * A `.tar.gz` of a trace directory, streamed: files are read one at a time into the archive,
 * so memory stays flat whatever the trace's size. Entries are named `<dir name>/…`, so the
 * archive unpacks into one directory that babeltrace2 opens as it is. The caller has already
 * checked that `dir` is a trace under a trace root (resolveTracePath).
 */
export function packTraceDir(dir: string): Readable {
  const pack = tar.pack();
  const out = new PassThrough();
  const top = basename(dir);
  void (async () => {
    for await (const file of filesUnder(dir)) {
      // A cancelled download destroys the pack, which ends the loop: no more files opened.
      if (pack.destroying) return;
      const opened = await openListed(file);
      if (opened === null) {
        log.warn({ file }, "left out of the archive: no longer a regular file inside the trace");
        continue;
      }
      const { fh, size, mtime } = opened;
      // The descriptor is ours until closed here, whatever happens: `pack.entry` throws once the
      // pack is destroyed (the download cancelled while this file was being opened), and a
      // descriptor left to the garbage collector stays open for as long as the server runs.
      try {
        const entry = pack.entry({ name: `${top}/${relative(dir, file)}`, size, mode: 0o644, mtime });
        // A file that grows or shrinks while being read (an active session's stream) would
        // corrupt the archive: the header promised `size` bytes, so read exactly that many.
        if (size === 0) entry.end(Buffer.alloc(0));
        // 1 MiB reads: trace streams are large files, and fewer, larger chunks keep gzip busy.
        else await pipeline(createReadStream("", { fd: fh, autoClose: false, start: 0, end: size - 1, highWaterMark: 1 << 20 }), entry);
      } finally {
        // Waits for a read still in flight: FileHandle closes once its last operation ends.
        await fh.close();
      }
    }
    pack.finalize();
  })().catch((err: unknown) => {
    // The browser went away: the common end of a download, not a fault.
    if (out.destroyed) log.debug({ dir }, "archive download cancelled");
    else log.warn({ dir, err }, "archive stream failed");
    pack.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  pipeline(pack, createGzip(), out).catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}
