/**
 * Small readers of /proc, for finding LTTng daemons without a shell (`pgrep`, `ss`). Every
 * reader returns null/empty for a process that vanished meanwhile: callers race with exits.
 *
 * The reads are synchronous by design: /proc files are made in memory by the kernel and
 * read in microseconds, while each asynchronous read is several trips through libuv's
 * thread pool and back to the event loop. The status bar walks every process; on a busy host
 * (analyses on both cores) those hundreds of trips took seconds (the load bench).
 */
import { readFileSync, readdirSync, readlinkSync } from "node:fs";

export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** Start time in clock ticks since boot: with the pid, identifies a process across pid reuse. */
  startTime: number;
}

export async function readStat(pid: number): Promise<ProcStat | null> {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm is in parentheses and may itself contain spaces or parentheses: split at the last ')'.
    const open = text.indexOf("(");
    const close = text.lastIndexOf(")");
    const rest = text.slice(close + 2).split(" ");
    // rest[0] is field 3 (state); ppid is field 4, starttime field 22.
    const state = rest[0];
    if (state === "Z" || state === "X") return null;
    return { pid, comm: text.slice(open + 1, close), ppid: Number(rest[1]), startTime: Number(rest[19]) };
  } catch {
    return null;
  }
}

export async function readUid(pid: number): Promise<number | null> {
  try {
    const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export async function readEnvVar(pid: number, name: string): Promise<string | null> {
  try {
    const env = readFileSync(`/proc/${pid}/environ`, "utf8");
    for (const kv of env.split("\0")) if (kv.startsWith(`${name}=`)) return kv.slice(name.length + 1);
    return null;
  } catch {
    return null;
  }
}

/** A /proc link's target, or null when the process is gone or not ours to read. */
async function procLink(pid: number, link: string): Promise<string | null> {
  try {
    return readlinkSync(`/proc/${pid}/${link}`);
  } catch {
    return null;
  }
}

export async function readExe(pid: number): Promise<string | null> {
  return procLink(pid, "exe");
}

/** Live processes whose `comm` is exactly `comm`. */
export async function findByComm(comm: string): Promise<ProcStat[]> {
  const out: ProcStat[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const st = await readStat(Number(name));
    if (st && st.comm === comm) out.push(st);
  }
  return out;
}

export interface ListeningSocket {
  inode: number;
  address: string;
  port: number;
}

function hexToIPv4(hex: string): string {
  // /proc/net/tcp prints the address as a little-endian u32.
  const n = parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255].join(".");
}

/** TCP sockets in LISTEN state (IPv4 and IPv6). */
export async function listeningTcp(): Promise<ListeningSocket[]> {
  const out: ListeningSocket[] = [];
  for (const table of ["tcp", "tcp6"]) {
    let text: string;
    try {
      // A literal /proc prefix keeps Next's output tracing from following this read.
      text = readFileSync(`/proc/net/${table}`, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== "0A") continue; // 0A = TCP_LISTEN
      const [addrHex, portHex] = (f[1] ?? "").split(":");
      if (!addrHex || !portHex) continue;
      out.push({ inode: Number(f[9]), address: addrHex.length === 8 ? hexToIPv4(addrHex) : `[${addrHex}]`, port: parseInt(portHex, 16) });
    }
  }
  return out;
}

/** Socket inodes held open by `pid` (needs the right to read its fds: root, or same user). */
export async function socketInodes(pid: number): Promise<Set<number>> {
  const out = new Set<number>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.add(Number(m[1]));
    } catch {
      /* closed meanwhile */
    }
  }
  return out;
}

/** The TCP ports `pid` listens on. */
export async function listeningPortsOf(pid: number): Promise<ListeningSocket[]> {
  const inodes = await socketInodes(pid);
  return (await listeningTcp()).filter((s) => inodes.has(s.inode));
}

const listeningMemo = new Map<number, { startTime: number; at: number; value: Promise<ListeningSocket[]> }>();

/**
 * listeningPortsOf, remembered for `maxAgeMs` per process — keyed by pid and start time, so a
 * process on a reused pid is never answered from another's entry. It reads every socket of
 * the machine (/proc/net/tcp: thousands of lines on a busy server) and resolves each of the
 * process's file descriptors (a relayd streaming many sessions holds thousands): 45 ms a
 * status poll, on the event loop, measured. A daemon binds its ports when it starts and keeps
 * them.
 */
export function listeningPortsOfProcess(st: ProcStat, maxAgeMs: number): Promise<ListeningSocket[]> {
  const hit = listeningMemo.get(st.pid);
  if (hit !== undefined && hit.startTime === st.startTime && Date.now() - hit.at < maxAgeMs) return hit.value;
  const value = listeningPortsOf(st.pid);
  // Not while it listens on nothing: a daemon just started binds its ports a moment later.
  void value.then((v) => {
    if (v.length === 0) return;
    if (listeningMemo.size >= 64) listeningMemo.clear();
    listeningMemo.set(st.pid, { startTime: st.startTime, at: Date.now(), value });
  });
  return value;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function readCmdline(pid: number): Promise<string[] | null> {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return raw.split("\0").filter((a, i, all) => a !== "" || i < all.length - 1);
  } catch {
    return null;
  }
}

export async function readCwd(pid: number): Promise<string | null> {
  return procLink(pid, "cwd");
}

/**
 * File descriptors `pid` holds, its soft limit (null when unlimited or unreadable), and
 * whether it is near it (80 %): past the limit a daemon refuses connections and files.
 */
export interface FdUsage {
  open: number;
  limit: number | null;
  nearLimit: boolean;
}

export function fdUsage(pid: number): FdUsage | null {
  try {
    const open = readdirSync(`/proc/${pid}/fd`).length;
    const m = /^Max open files\s+(\d+|unlimited)\s/m.exec(readFileSync(`/proc/${pid}/limits`, "utf8"));
    const limit = m && m[1] !== "unlimited" ? Number(m[1]) : null;
    return { open, limit, nearLimit: limit !== null && open >= 0.8 * limit };
  } catch {
    return null;
  }
}
