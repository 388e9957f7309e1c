/**
 * Whether a process found on the host is an LTTng daemon Tracedeck may trust. Tracedeck runs
 * as root; any local user can start a program named `lttng-relayd` that listens on the relay
 * port before the real one does. Such a process must never be taken for the relay (set-up
 * would stream traces to it), and nothing it names (its executable, its `-o`) may be run or
 * read. A daemon is trusted only if:
 * - it runs the expected binary: the very file (device and inode) of `lttng-sessiond` /
 *   `lttng-relayd` in a system bin directory, owned by root and writable by root only (or,
 *   after a package upgrade replaced it, a deleted file of that same path owned by root);
 * - every uid of the process (real, effective, saved, filesystem) is root or the configured
 *   daemon user;
 * - (relayd) it listens on the configured address and control port (checked by the caller).
 * The version shown is that of the installed binary, run once by us; a found process's
 * executable is never run.
 */
import { readFileSync, statSync, type Stats } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { execBounded } from "./exec";
import { readExe } from "./proc";

/** Where the distribution installs the daemons; nothing a non-root user can write. */
export const SYSTEM_BIN_DIRS = ["/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/local/bin", "/usr/local/sbin"];

export interface TrustedBinary {
  /** Absolute path (symbolic links resolved) of the installed binary. */
  path: string;
  dev: number;
  ino: number;
}

export interface ProcessTrust {
  trusted: boolean;
  /** Why the process is not trusted; null when it is. */
  reason: string | null;
  /** The process's executable as /proc shows it. */
  exe: string | null;
  /** Owner (real uid) of the process. */
  uid: number | null;
}

const GROUP_OR_OTHER_WRITE = 0o022;

/**
 * The installed daemon binary: `name` (a bare name, or an absolute path) in a system bin
 * directory, a regular file owned by root that only root may write, in a directory with the
 * same properties. Null when there is none (LTTng not installed, or installed somewhere a user
 * could have replaced it).
 */
export async function trustedBinary(name: string): Promise<TrustedBinary | null> {
  const candidates = name.startsWith("/") ? [name] : SYSTEM_BIN_DIRS.map((d) => join(/*turbopackIgnore: true*/ d, name));
  for (const c of candidates) {
    const real = await realpath(c).catch(() => null);
    if (real === null || !SYSTEM_BIN_DIRS.includes(dirname(real))) continue;
    const [st, dir] = await Promise.all([stat(real).catch(() => null), stat(dirname(real)).catch(() => null)]);
    if (!st?.isFile() || st.uid !== 0 || (st.mode & GROUP_OR_OTHER_WRITE) !== 0) continue;
    if (!dir || dir.uid !== 0 || (dir.mode & GROUP_OR_OTHER_WRITE) !== 0) continue;
    return { path: real, dev: st.dev, ino: st.ino };
  }
  return null;
}

/** Real, effective, saved and filesystem uids of `pid`, or null when it is gone. */
export async function processUids(pid: number): Promise<number[] | null> {
  try {
    // Synchronous: a /proc file is made in memory (see proc.ts).
    const m = /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? m.slice(1, 5).map(Number) : null;
  } catch {
    return null;
  }
}

function procExeStat(pid: number): Stats | null {
  try {
    return statSync(`/proc/${pid}/exe`);
  } catch {
    return null;
  }
}

/** Checks `pid` against the expected binary and the uids allowed to run the daemon. */
export async function checkDaemonProcess(pid: number, binary: TrustedBinary | null, allowedUids: readonly number[]): Promise<ProcessTrust> {
  const [exe, uids, exeStat] = await Promise.all([
    readExe(pid),
    processUids(pid),
    // stat() of /proc/PID/exe reaches the executable's inode even when its path was deleted.
    procExeStat(pid),
  ]);
  const uid = uids?.[0] ?? null;
  const no = (reason: string): ProcessTrust => ({ trusted: false, reason, exe, uid });
  if (uids === null || exe === null || exeStat === null) return no("its owner and executable cannot be read");
  const stranger = uids.find((u) => !allowedUids.includes(u));
  if (stranger !== undefined) return no(`it runs as uid ${stranger}, not ${allowedUids.join(" or ")}`);
  if (binary === null) return no("no trusted LTTng binary is installed in the system bin directories to compare it with");
  const same = exeStat.dev === binary.dev && exeStat.ino === binary.ino;
  const upgraded = exe === `${binary.path} (deleted)` && exeStat.uid === 0;
  if (!same && !upgraded) return no(`it runs ${exe}, not ${binary.path}`);
  return { trusted: true, reason: null, exe, uid };
}

const versions = new Map<string, Promise<string | null>>();

/** `--version` of a trusted installed binary (run once per path). */
export function installedVersion(binary: TrustedBinary): Promise<string | null> {
  let v = versions.get(binary.path);
  if (v === undefined) {
    v = execBounded(binary.path, ["--version"], { timeoutMs: 5_000 })
      .then((r) => /(\d+\.\d+\.\d+(?:[-~.\w]*)?)/.exec(r.stdout + r.stderr)?.[1] ?? null)
      .catch(() => null);
    versions.set(binary.path, v);
  }
  return v;
}
