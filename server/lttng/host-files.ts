/**
 * The files LTTng writes on the host a controller acts on: this machine's, read directly, or
 * a traced host's, read through its transport (server/fleet/remote-files.ts). The MI does not
 * say everything (which directory a snapshot made, whether a stopped session ever recorded, a
 * session's exclusions without crashing old daemons): the answer is on the host's disk.
 */
import { chown, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { findSnapshotDir, holdsTraceData } from "./trace-dirs";
import type { LttngTarget } from "./runner";

export interface HostFiles {
  /** This machine's files: paths LTTng reports may be opened here. */
  readonly local: boolean;
  /** The name lttng-relayd files the host's traces under (`<relayd -o>/<hostname>/…`). */
  hostname(): Promise<string>;
  /**
   * Runs `save` (an `lttng save -o DIR` of the caller's) into a scratch directory on the host
   * and tells, for each session file it wrote, whether the configuration has an exclusion.
   */
  savedExclusions(save: (dir: string) => Promise<unknown>): Promise<Map<string, boolean>>;
  /** The directory of the snapshot recorded as `name` below `root` on the host, or null. */
  findSnapshotDir(root: string, name: string): Promise<string | null>;
  /** Whether a local-mode session's output directory on the host holds trace data. */
  holdsTraceData(dir: string): Promise<boolean>;
}

/** The name a `save` file of `session` has. */
export const SAVED_SUFFIX = ".lttng";

/** This machine's files; the scratch directory belongs to the user `lttng` runs as. */
export function localFiles(target: LttngTarget): HostFiles {
  return {
    local: true,
    hostname: () => Promise.resolve(hostname()),
    async savedExclusions(save) {
      const dir = await mkdtemp(join(tmpdir(), "td-lttng-save-"));
      try {
        if (target.user) await chown(dir, target.user.uid, target.user.gid);
        await save(dir);
        const out = new Map<string, boolean>();
        for (const file of await readdir(dir)) {
          if (!file.endsWith(SAVED_SUFFIX)) continue;
          out.set(file.slice(0, -SAVED_SUFFIX.length), /<exclusion>/.test(await readFile(join(dir, file), "utf8")));
        }
        return out;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    findSnapshotDir,
    holdsTraceData,
  };
}
