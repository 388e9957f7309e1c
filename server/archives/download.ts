import { createReadStream } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
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
      const st = await lstat(file);
      const entry = pack.entry({ name: `${top}/${relative(dir, file)}`, size: st.size, mode: 0o644, mtime: st.mtime });
      // A file that grows or shrinks while being read (an active session's stream) would
      // corrupt the archive: the header promised `size` bytes, so read exactly that many.
      if (st.size === 0) entry.end(Buffer.alloc(0));
      // 1 MiB reads: trace streams are large files, and fewer, larger chunks keep gzip busy.
      else await pipeline(createReadStream(file, { start: 0, end: st.size - 1, highWaterMark: 1 << 20 }), entry);
    }
    pack.finalize();
  })().catch((err: unknown) => {
    log.warn({ dir, err }, "archive stream failed");
    pack.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  pipeline(pack, createGzip(), out).catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}
