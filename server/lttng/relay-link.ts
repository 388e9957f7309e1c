/**
 * Whether a streaming (network or live) session still reaches its relay daemon. LTTng 2.13
 * says nothing about it: after the relay dies, `lttng list` keeps showing the session as
 * recording while the consumer drops everything, and a relay started again does not know the
 * session (LTTng never reconnects it). Measured on 2.13.9 (server/faults/faults.test.ts).
 *
 * Stateless, so it survives a restart of the dashboard: the relay creates
 * `<output>/<hostname>/<session>-YYYYMMDD-HHMMSS/` when the session connects; a relay process
 * that started after that directory was born is not the one the session talks to.
 */
import { readFile, readdir, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import type { RelaydStatus } from "./daemons";
import { readStat } from "./proc";

export interface RelayLink {
  /** The session's data reaches a relay daemon. */
  ok: boolean;
  /** For the UI, when not ok: what is lost and what to do. */
  message: string | null;
}

const REMEDY =
  "LTTng does not reconnect a session to a relay daemon: stop and destroy it, then create it again or load its profile (Save profile keeps its configuration). Files the relay already wrote stay on disk.";

/** Linux reports process start times in clock ticks since boot, at USER_HZ = 100. */
const TICKS_PER_SECOND = 100;

async function bootTimeMs(): Promise<number | null> {
  try {
    const m = /^btime (\d+)$/m.exec(await readFile("/proc/stat", "utf8"));
    return m ? Number(m[1]) * 1000 : null;
  } catch {
    return null;
  }
}

async function processStartMs(pid: number): Promise<number | null> {
  const [st, boot] = await Promise.all([readStat(pid), bootTimeMs()]);
  return st && boot !== null ? boot + (st.startTime * 1000) / TICKS_PER_SECOND : null;
}

/** Control port of a session path as LTTng lists it: `tcp4://127.0.0.1:5342/ [data: 5343]`. */
function controlPortOf(path: string): number | null {
  const m = /^tcp[46]?:\/\/\S*?:(\d+)\//.exec(path);
  return m ? Number(m[1]) : null;
}

/** Birth time of the newest relay directory of `session` (ms), or null when the relay never saw it. */
async function relayDirBirthMs(outputDir: string, host: string, session: string): Promise<number | null> {
  const hostDir = join(/*turbopackIgnore: true*/ outputDir, host);
  let names: string[];
  try {
    names = await readdir(/*turbopackIgnore: true*/ hostDir);
  } catch {
    return null;
  }
  const mine = names.filter((n) => n.startsWith(`${session}-`) && /^\d{8}-\d{6}$/.test(n.slice(session.length + 1)));
  let newest: number | null = null;
  for (const n of mine) {
    try {
      const s = await stat(/*turbopackIgnore: true*/ join(hostDir, n));
      const born = s.birthtimeMs > 0 ? s.birthtimeMs : s.ctimeMs;
      if (newest === null || born > newest) newest = born;
    } catch {
      /* removed meanwhile */
    }
  }
  return newest;
}

/**
 * The link of a network or live session to the configured relay daemon; null for other modes,
 * for a session streaming to another relay, or one that never connected (not started yet).
 * `host` is the hostname of the session daemon (the relay files its sessions under it).
 */
export async function relayLinkOf(
  session: { name: string; mode: string; path: string; active: boolean },
  relayd: RelaydStatus,
  host: string = hostname(),
): Promise<RelayLink | null> {
  if (session.mode !== "network" && session.mode !== "live") return null;
  if (controlPortOf(session.path) !== relayd.expected.controlPort) return null;
  if (!relayd.running || relayd.pid === null) {
    return {
      ok: false,
      message: `The relay daemon is not running (${relayd.expected.host}:${relayd.expected.controlPort}): ${session.active ? "everything this session records now is dropped" : "this session has nowhere to send its data"}. ${REMEDY}`,
    };
  }
  if (relayd.outputDir === null) return null;
  const [born, relaydStart] = await Promise.all([relayDirBirthMs(relayd.outputDir, host, session.name), processStartMs(relayd.pid)]);
  if (born === null || relaydStart === null) return null;
  // One second of slack: the start time has 10 ms ticks, the relay creates the directory just after it starts listening.
  if (relaydStart > born + 1_000) {
    return {
      ok: false,
      message: `The relay daemon was restarted at ${new Date(relaydStart).toISOString()}, after this session connected to it: the running relay does not know this session, so ${session.active ? "what it records is dropped" : "it cannot stream again"}. ${REMEDY}`,
    };
  }
  return { ok: true, message: null };
}
