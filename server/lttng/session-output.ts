/**
 * Where a session writes, as every page and the creation log say it. A snapshot session has
 * no path of its own (LTTng's `create` and `list` MI give an empty path): it writes to its
 * snapshot output. No Node import here: the wizard's client bundle reaches it.
 */
export function sessionOutput(s: { mode: string; path: string }, snapshotOutputs: ReadonlyArray<{ ctrlUrl: string | null }>): string {
  if (s.mode === "snapshot") {
    const o = snapshotOutputs[0];
    return o?.ctrlUrl ? `snapshots → ${o.ctrlUrl}` : "no snapshot output";
  }
  return s.path || "no output";
}
