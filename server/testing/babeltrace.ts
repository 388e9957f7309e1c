/**
 * Test oracle: babeltrace2's text output of a trace, and event counts taken from it.
 * Always run with TZ=UTC so that timestamps compare across machines.
 */
import { execFile } from "node:child_process";

/** Runs `babeltrace2 ARGS` (TZ=UTC) and returns stdout; throws with stderr on failure. */
export function babeltrace2(args: string[], timeoutMs = 120_000): Promise<string> {
  return new Promise((done, fail) => {
    execFile("babeltrace2", args, { timeout: timeoutMs, maxBuffer: 1 << 30, env: { ...process.env, TZ: "UTC" } }, (err, stdout, stderr) => {
      if (err) fail(new Error(`babeltrace2 ${args.join(" ")} failed: ${String(stderr).trim() || err.message}`));
      else done(String(stdout));
    });
  });
}

/** The trace's events as babeltrace2 prints them, one line each. */
export async function babeltraceLines(tracePath: string): Promise<string[]> {
  const out = await babeltrace2([tracePath]);
  return out.split("\n").filter((l) => l.length > 0);
}

/** Event name of one babeltrace2 text line (`[ts] (+delta) host name: { ... }`). */
export function eventName(line: string): string | undefined {
  return /^\[[^\]]+\] \([^)]+\) \S+ ([^ ]+): /.exec(line)?.[1];
}

/** Number of events per event name. */
export function countByName(lines: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const name = eventName(line);
    if (name !== undefined) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}
