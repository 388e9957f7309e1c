import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";

// A fresh data directory (database, traces) per run, shared with the workers through the
// environment; the real root sessiond and relayd started by `npm test` are used as they are.
process.env.TD_E2E_DATA ??= mkdtempSync(join(tmpdir(), "tracedeck-e2e-"));
// A port of its own per run (unless given), so that runs on one machine do not collide
// with each other or with a dashboard on 3000.
process.env.TD_E2E_PORT ??= String(3100 + (process.pid % 800));
export const E2E_PORT = Number(process.env.TD_E2E_PORT);
// The shared read-only kernel traces sit beside the clone (../shared/traces), in CI as here.
const sharedTraces = resolve(dirname(fileURLToPath(import.meta.url)), "../shared/traces");
// Real path: the server answers with resolved directories, and shared/ may be a link.
export const SHARED_TRACES = existsSync(sharedTraces) ? realpathSync(sharedTraces) : sharedTraces;
export const E2E_ADMIN_PASSWORD = "e2e-operator-pw";
// The key that seals traced hosts' SSH keys (server/fleet/secret.ts): one per run.
process.env.TD_E2E_SECRET_KEY ??= randomBytes(32).toString("base64");

export default defineConfig({
  testDir: "e2e",
  globalTeardown: "./e2e/teardown.ts",
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    headless: true,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "node scripts/serve.mjs",
    url: `http://127.0.0.1:${E2E_PORT}/login`,
    reuseExistingServer: false,
    timeout: 90_000,
    env: {
      TRACEDECK_DATA_DIR: process.env.TD_E2E_DATA,
      TRACEDECK_PORT: String(E2E_PORT),
      TRACEDECK_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
      TRACEDECK_LOG_LEVEL: "warn",
      TRACEDECK_TRACE_ROOTS: SHARED_TRACES,
      TRACEDECK_SECRET_KEY: process.env.TD_E2E_SECRET_KEY,
    },
  },
});
