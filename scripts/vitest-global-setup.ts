import { spawnSync } from "node:child_process";

// Tests spawn the real CLI (`node dist/tracedeck.mjs`), so bundle it first; it is a no-op
// when up to date and takes about a second otherwise.
export default function setup(): void {
  const r = spawnSync(process.execPath, ["scripts/build.mjs", "--cli-only"], { stdio: "inherit" });
  if (r.status !== 0) throw new Error("CLI build failed");
}
