/**
 * Brings a trace directory of a traced host home over SFTP: a local-mode session's snapshot
 * or rotation archive, which never went through our relay. Streamed file by file, resumable
 * (a `.part` file continues where it stopped, a finished file with the right checksum is
 * kept), checked end to end against `sha256sum` run on the host, and written to a hidden
 * staging directory renamed into place only when every file matched, so the archive index
 * never sees half a trace.
 *
 * The host is not trusted: names it lists are single path components (no `/`, `..` or NUL),
 * symbolic links and special files are skipped, and the walk is bounded.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { lstat, mkdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, posix, relative, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import type { FileEntryWithStats, SFTPWrapper } from "ssh2";
import type { SshTransport } from "./ssh";
import { brandDomainError } from "../shared/domain-error";

export const MAX_FILES = 100_000;
const MAX_DEPTH = 8;
/** Files per `sha256sum` command, so one command line stays well under the argument limit. */
const HASH_BATCH = 200;

export class FetchError extends Error {
  override readonly name = "FetchError";
}
brandDomainError(FetchError, "FetchError");

export interface FetchProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
}

export interface FetchResult {
  dir: string;
  files: number;
  bytes: number;
  /** Bytes not transferred again because a previous attempt had them. */
  reusedBytes: number;
}

interface RemoteFile {
  /** Path relative to the fetched directory, `/`-separated. */
  rel: string;
  size: number;
}

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;

function checkRemoteDir(dir: string): string {
  if (dir.length === 0 || dir.length > 4096 || dir.includes("\0") || !dir.startsWith("/")) throw new FetchError(`Not an absolute path: ${dir}`);
  const norm = posix.normalize(dir).replace(/\/+$/, "");
  if (norm === "" || norm !== dir.replace(/\/+$/, "")) throw new FetchError(`Not a normalized path: ${dir}`);
  return norm;
}

function readdir(sftp: SFTPWrapper, path: string): Promise<FileEntryWithStats[]> {
  return new Promise((res, rej) => sftp.readdir(path, (err, list) => (err ? rej(new FetchError(`${path}: ${err.message}`)) : res(list))));
}

async function walk(sftp: SFTPWrapper, root: string): Promise<RemoteFile[]> {
  const out: RemoteFile[] = [];
  const visit = async (relDir: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) throw new FetchError(`${root}: deeper than ${MAX_DEPTH} levels`);
    for (const e of await readdir(sftp, relDir === "" ? root : `${root}/${relDir}`)) {
      const name = e.filename;
      if (name === "." || name === ".." || name.length === 0 || name.includes("/") || name.includes("\0")) continue;
      const rel = relDir === "" ? name : `${relDir}/${name}`;
      const type = (e.attrs.mode ?? 0) & S_IFMT;
      if (type === S_IFDIR) await visit(rel, depth + 1);
      else if (type === S_IFREG) {
        out.push({ rel, size: e.attrs.size ?? 0 });
        if (out.length > MAX_FILES) throw new FetchError(`${root}: more than ${MAX_FILES} files`);
      }
      // Symbolic links, sockets, devices: not part of a trace, never followed.
    }
  };
  await visit("", 0);
  return out;
}

/** The host's own SHA-256 of each file (`sha256sum -z`, so any byte in a name survives). */
async function remoteHashes(t: SshTransport, root: string, files: RemoteFile[]): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (let i = 0; i < files.length; i += HASH_BATCH) {
    const batch = files.slice(i, i + HASH_BATCH);
    const r = await t.exec("sha256sum", ["-z", "--", ...batch.map((f) => `${root}/${f.rel}`)], { timeoutMs: 300_000 });
    if (r.code !== 0) throw new FetchError(`sha256sum on ${t.where} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
    for (const rec of r.stdout.split("\0")) {
      const m = /^([0-9a-f]{64}) [ *](.*)$/s.exec(rec);
      if (m) hashes.set(m[2]!.slice(root.length + 1), m[1]!);
    }
  }
  for (const f of files) if (!hashes.has(f.rel)) throw new FetchError(`sha256sum on ${t.where} gave no checksum for ${f.rel}`);
  return hashes;
}

async function sha256File(path: string): Promise<string> {
  const h = createHash("sha256");
  await pipeline(createReadStream(path), h);
  return h.digest("hex");
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    const s = await lstat(path);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Fetches `remoteDir` of the host into `localDir` (which must not exist yet; its parent is
 * created). Resumes a previous attempt left in the staging directory.
 */
export async function fetchRemoteDir(
  t: SshTransport,
  remoteDir: string,
  localDir: string,
  opts: { onProgress?: (p: FetchProgress) => void; signal?: AbortSignal } = {},
): Promise<FetchResult> {
  const root = checkRemoteDir(remoteDir);
  const target = resolve(localDir);
  if (
    await stat(target).then(
      () => true,
      () => false,
    )
  )
    throw new FetchError(`${target} already exists`);
  const staging = join(dirname(target), `.${basename(target)}.fetching`);
  await mkdir(staging, { recursive: true, mode: 0o750 });

  return t.withSftp(async (sftp) => {
    const files = await walk(sftp, root);
    const hashes = await remoteHashes(t, root, files);
    const totalBytes = files.reduce((n, f) => n + f.size, 0);
    const progress: FetchProgress = { files: 0, totalFiles: files.length, bytes: 0, totalBytes };
    let reusedBytes = 0;
    for (const f of files) {
      opts.signal?.throwIfAborted();
      const dest = resolve(staging, ...f.rel.split("/"));
      if (relative(staging, dest).startsWith("..") || !dest.startsWith(staging + sep)) throw new FetchError(`Refusing ${f.rel}: outside the fetch directory`);
      await mkdir(dirname(dest), { recursive: true, mode: 0o750 });
      const want = hashes.get(f.rel)!;
      if ((await sizeOf(dest)) === f.size && (await sha256File(dest)) === want) {
        reusedBytes += f.size;
      } else {
        await fetchFile(sftp, `${root}/${f.rel}`, dest, f.size, want, (n) => {
          reusedBytes += n;
        });
      }
      progress.files++;
      progress.bytes += f.size;
      opts.onProgress?.({ ...progress });
    }
    await rename(staging, target);
    return { dir: target, files: files.length, bytes: totalBytes, reusedBytes };
  });
}

async function fetchFile(sftp: SFTPWrapper, remote: string, dest: string, size: number, want: string, reused: (n: number) => void): Promise<void> {
  const part = `${dest}.part`;
  for (let attempt = 0; attempt < 2; attempt++) {
    let have = (await sizeOf(part)) ?? 0;
    if (have > size) {
      await rm(part, { force: true });
      have = 0;
    }
    if (have < size) {
      await pipeline(sftp.createReadStream(remote, { start: have }), createWriteStream(part, { flags: have > 0 ? "a" : "w", mode: 0o640 }));
    }
    if ((await sizeOf(part)) === size && (await sha256File(part)) === want) {
      reused(have);
      await rename(part, dest);
      return;
    }
    // A resumed prefix that does not match (the file changed, or a bad earlier write): start over once.
    await rm(part, { force: true });
  }
  throw new FetchError(`${remote}: the checksum does not match the host's after a full transfer`);
}
