#!/usr/bin/env node
// The CLI is TypeScript bundled by `npm run build:cli` (scripts/build.mjs); this shim keeps
// `npx tracedeck` working and says what to do when the bundle is missing.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const bundle = fileURLToPath(new URL("../dist/tracedeck.mjs", import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write("tracedeck: the CLI is not built yet; run `npm run build:cli` (or `npm start`).\n");
  process.exit(2);
}
await import(pathToFileURL(bundle).href);
