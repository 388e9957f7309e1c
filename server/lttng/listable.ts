/**
 * `lttng list SESSION` makes lttng-sessiond < 2.13.10 segfault when the session has an event
 * rule with exclusions (lttng-facts.md §0). `lttng save` does not: the controller saves the
 * configuration to a scratch directory and looks for exclusions before it lists a session.
 */
import { saveArgs } from "./command-args";
import { EXCLUDE_SAFE_VERSION, compareVersions } from "./guards";
import type { HostFiles } from "./host-files";

/** Session name → why it must not be listed; `checked` names the sessions whose configuration was read. */
export type Unlistable = Map<string, string> & { checked?: Set<string> };

/**
 * The sessions (one, or all with `null`) that must not be listed, each with the reason; empty
 * on a daemon without the bug (`checked` then absent: every session is safe). `save --all`
 * writes every session's file in one command, in a scratch directory on the session
 * daemon's host (`files`). `run` runs an `lttng` command (the controller's one path).
 */
export async function unlistableSessions(
  session: string | null,
  sessiondVersion: string | null,
  files: HostFiles,
  run: (args: string[]) => Promise<unknown>,
): Promise<Unlistable> {
  const out: Unlistable = new Map<string, string>();
  if (sessiondVersion !== null && compareVersions(sessiondVersion, EXCLUDE_SAFE_VERSION) >= 0) return out;
  // The sessions whose saved configuration was read: only those are known to be safe.
  out.checked = new Set();
  const saved = await files.savedExclusions((dir) => run(saveArgs(session, dir, true)));
  for (const [name, excludes] of saved) {
    if (session !== null && name !== session) continue;
    out.checked.add(name);
    if (excludes) {
      out.set(
        name,
        `Session ${name} has an event rule with an exclusion: listing it would crash lttng-sessiond ${sessiondVersion ?? "(unknown version)"} (fixed in ${EXCLUDE_SAFE_VERSION}), so Tracedeck does not show its details. Destroy it, or upgrade LTTng.`,
      );
    }
  }
  return out;
}
