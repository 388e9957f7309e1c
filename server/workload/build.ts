import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildWorkload, workloadPaths, type WorkloadPaths } from "../../workload/build.mjs";

/**
 * Finds the repository's `workload/` directory. Bundles (dist/, .next/) move this module, so
 * search upward from both this file and the working directory; TRACEDECK_WORKLOAD_DIR wins.
 */
export function findWorkloadDir(): string {
  const fromEnv = process.env.TRACEDECK_WORKLOAD_DIR;
  if (fromEnv) return resolve(fromEnv);
  const starts: string[] = [process.cwd()];
  try {
    starts.unshift(dirname(fileURLToPath(import.meta.url)));
  } catch {
    // import.meta.url is not a file URL in some bundles: the working directory will do.
  }
  for (const start of starts) {
    let dir = start;
    for (let i = 0; i < 8; i++) {
      if (existsSync(join(dir, "workload", "src", "tracedeck_demo.c"))) return join(dir, "workload");
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`Cannot find the workload/ directory from ${starts.join(" or ")} (set TRACEDECK_WORKLOAD_DIR)`);
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
