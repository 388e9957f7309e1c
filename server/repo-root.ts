import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const found = new Map<string, string>();

/**
 * The checkout directory that holds `marker` (a repository-relative path), or null. Bundles
 * (dist/, .next/) move the calling module, so the search goes up from both this module's
 * directory and the working directory, at most 8 levels each. A hit is remembered: request
 * handlers ask on every poll, and the checkout does not move while the process runs.
 */
export function findRepoRoot(marker: string): string | null {
  const known = found.get(marker);
  if (known !== undefined) return known;
  const starts = [process.cwd()];
  try {
    starts.unshift(dirname(fileURLToPath(import.meta.url)));
  } catch {
    // import.meta.url is not a file URL in some bundles: the working directory will do.
  }
  for (const start of starts) {
    let dir = start;
    for (let i = 0; i < 8; i++) {
      // Run-time path: the mark keeps Next's output tracing from following it.
      if (existsSync(/*turbopackIgnore: true*/ join(/*turbopackIgnore: true*/ dir, marker))) {
        found.set(marker, dir);
        return dir;
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return null;
}
