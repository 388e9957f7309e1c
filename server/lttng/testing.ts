/**
 * Test helpers for the LTTng layer: an isolated session daemon that tests may kill without
 * touching the shared root daemon, and unique session names. Imported only by tests.
 */
import { chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DaemonManager } from "./daemons";
import { findByComm, readStat } from "./proc";
import type { LttngTarget } from "./runner";

/** `nobody`: a root `lttng` ignores LTTNG_HOME, so an isolated daemon must run as another user. */
export const ISOLATED_USER = { uid: 65534, gid: 65534 };

export interface IsolatedDaemon {
  target: LttngTarget;
  home: string;
  runDir: string;
  daemons: DaemonManager;
  /** Stops the daemon we started and any consumer daemon it left behind; removes the dirs. */
  cleanup(): Promise<void>;
}

/** Per-test-run unique prefix for session and trigger names. */
export function uniqueName(tag: string): string {
  return `td-${tag}-${process.pid}-${Date.now().toString(36)}`;
}

/** Children of `pid` (consumer daemons, run-as helpers), to clean them up after a kill. */
export async function childrenOf(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (const comm of ["lttng-consumerd", "lttng-runas", "lttng-sessiond"]) {
    for (const st of await findByComm(comm)) if (st.ppid === pid) out.push(st.pid);
  }
  return out;
}

/**
 * Waits for the pids to exit, then SIGKILLs those still alive (they are ours). A pid is known by
 * its start time too: with pid_max at 32768 and a test run spawning tens of thousands of
 * processes, a pid freed by a dead daemon may be reused by an unrelated process (a test
 * worker, say) before the deadline, and that one must not be killed.
 */
export async function reap(pids: number[], waitMs = 5_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  const started = new Map<number, number>();
  for (const p of pids) {
    const st = await readStat(p);
    if (st) started.set(p, st.startTime);
  }
  for (;;) {
    const alive: number[] = [];
    for (const [p, t] of started) if ((await readStat(p))?.startTime === t) alive.push(p);
    if (alive.length === 0) return;
    if (Date.now() > deadline) {
      for (const p of alive) {
        try {
          process.kill(p, "SIGKILL");
        } catch {
          /* gone */
        }
      }
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function isolatedDaemon(relayd = { host: "127.0.0.1", controlPort: 25342, dataPort: 25343, livePort: 25344 }): Promise<IsolatedDaemon> {
  const home = await mkdtemp(join(tmpdir(), "td-lttng-home-"));
  await chown(home, ISOLATED_USER.uid, ISOLATED_USER.gid);
  const runDir = await mkdtemp(join(tmpdir(), "td-lttng-run-"));
  const target: LttngTarget = { lttngHome: home, user: ISOLATED_USER };
  const daemons = new DaemonManager({ target, runDir, relaydOutputDir: join(home, "relayd"), relayd });
  const started = new Set<number>();
  return {
    target,
    home,
    runDir,
    daemons,
    async cleanup() {
      const st = await daemons.sessiondStatus();
      if (st.running && st.pid !== null && st.ownedByTracedeck) {
        const kids = await childrenOf(st.pid);
        kids.forEach((k) => started.add(k));
        await daemons.stopSessiond();
      }
      await reap([...started]);
      await rm(home, { recursive: true, force: true });
      await rm(runDir, { recursive: true, force: true });
    },
  };
}
