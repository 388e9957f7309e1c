import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname } from "node:path";

// The per-run data directory made by playwright.config.ts (database, recorded traces): gone
// with the run, unless given from outside (then it is the caller's).
export default function teardown(): void {
  const dir = process.env.TD_E2E_DATA;
  if (dir && dirname(dir) === tmpdir() && basename(dir).startsWith("tracedeck-e2e-")) rmSync(dir, { recursive: true, force: true });
}
