/**
 * What `tracedeck print` and `tracedeck stats` share: TRACE... arguments, a trace set
 * opened and closed around the work, and reader errors printed as one line (exit 1).
 */
import type { Command } from "./command";
import { UsageError } from "./command";
import { CtfError, openTraceSet, type TraceSet } from "../server/ctf/index";

export function traceCommand(spec: {
  name: string;
  summary: string;
  usage: string;
  /**
   * Options the command takes besides TRACE... (`--name=value`), keyed by name; each
   * returns an error message for a bad value. Unknown options are usage errors.
   */
  options?: Record<string, (value: string) => string | undefined>;
  /** Runs with the open set (closed afterwards); `finish` runs after it, also on failure, before the error is printed. */
  run(set: TraceSet, paths: string[], openSeconds: number): void;
  finish?(): void;
}): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    async run(argv) {
      if (argv.includes("--help") || argv.includes("-h")) {
        process.stdout.write(spec.usage);
        return 0;
      }
      const paths: string[] = [];
      for (const a of argv) {
        if (!a.startsWith("-")) {
          paths.push(a);
          continue;
        }
        const eq = a.indexOf("=");
        const set = eq > 0 ? spec.options?.[a.slice(0, eq)] : undefined;
        if (set === undefined) throw new UsageError(`unknown option ${a}\n${spec.usage}`);
        const bad = set(a.slice(eq + 1));
        if (bad !== undefined) throw new UsageError(`${bad}\n${spec.usage}`);
      }
      if (paths.length === 0) throw new UsageError(`expected trace paths\n${spec.usage}`);
      try {
        const t0 = performance.now();
        const set = openTraceSet(paths);
        const openSeconds = (performance.now() - t0) / 1000;
        try {
          spec.run(set, paths, openSeconds);
        } finally {
          spec.finish?.();
          set.close();
        }
        return 0;
      } catch (e) {
        spec.finish?.();
        if (e instanceof CtfError) {
          process.stderr.write(`tracedeck ${spec.name}: ${e.message}\n`);
          return 1;
        }
        throw e;
      }
    },
  };
}
