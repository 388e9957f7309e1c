/**
 * Opening a trace's files without letting the trace point elsewhere. Anyone who can write
 * under a trace root could replace `metadata` or a stream file with a symbolic link to
 * `/etc/shadow` (or swap a directory for a link between discovery and reading), and the
 * reader, run as root for viewers, would serve that file's bytes as events. So a trace file
 * is opened with O_NOFOLLOW (a link as last component fails), O_NONBLOCK (a FIFO must not
 * block the reader), must be a regular file, and the file actually opened (its /proc/self/fd
 * link) must be the path asked for: trace directories are real paths (discover.ts), so any
 * symbolic link on the way shows up as a difference.
 */
import { closeSync, constants, fstatSync, openSync, readlinkSync } from "node:fs";
import { CtfError } from "../errors";

const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** A descriptor of the regular file `path` (absolute, symbolic-link free); the caller closes it. */
export function openTraceFile(path: string, what = "trace file"): number {
  let fd: number;
  try {
    fd = openSync(path, FLAGS);
  } catch (e) {
    const link = (e as NodeJS.ErrnoException).code === "ELOOP";
    throw new CtfError("io", link ? `Refusing to open ${what}: it is a symbolic link` : `Cannot open ${what}`, { file: path }, { cause: e });
  }
  let problem: string | null = null;
  try {
    if (!fstatSync(fd).isFile()) problem = `Refusing to open ${what}: not a regular file`;
    else if (readlinkSync(`/proc/self/fd/${fd}`) !== path) problem = `Refusing to open ${what}: its path goes through a symbolic link`;
  } catch (e) {
    closeSync(fd);
    throw new CtfError("io", `Cannot open ${what}`, { file: path }, { cause: e });
  }
  if (problem !== null) {
    closeSync(fd);
    throw new CtfError("io", problem, { file: path });
  }
  return fd;
}
