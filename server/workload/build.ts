import { join, resolve } from "node:path";
import { findRepoRoot } from "../repo-root";
import { buildWorkload, workloadPaths, type WorkloadPaths } from "../../workload/build.mjs";

const MARKER = join("workload", "src", "tracedeck_demo.c");

/** The repository's `workload/` directory; TRACEDECK_WORKLOAD_DIR overrides it. */
export function findWorkloadDir(): string {
  const fromEnv = process.env.TRACEDECK_WORKLOAD_DIR;
  if (fromEnv) return resolve(fromEnv);
  const root = findRepoRoot(MARKER);
  if (root === null) throw new Error(`Cannot find the workload/ directory from ${process.cwd()} (set TRACEDECK_WORKLOAD_DIR)`);
  return join(root, "workload");
}

/** Paths of the demo workload files (binary, python demo) in this checkout. */
export function demoWorkloadPaths(): WorkloadPaths {
  return workloadPaths(findWorkloadDir());
}

let inFlight: Promise<string> | undefined;

/**
 * Compiles workload/build/tracedeck-demo when a source is newer than the binary and returns
 * the binary's absolute path. Concurrent callers in one process share one compilation; an
 * up-to-date check is a few stat() calls. Rejects with a message naming the missing package
 * (cc, liblttng-ust-dev) when it cannot build.
 */
export function ensureWorkloadBuilt(options: { force?: boolean } = {}): Promise<string> {
  if (inFlight !== undefined && !options.force) return inFlight;
  const p = buildWorkload(findWorkloadDir(), options)
    .then((r) => r.binary)
    .finally(() => {
      if (inFlight === p) inFlight = undefined;
    });
  inFlight = p;
  return p;
}
