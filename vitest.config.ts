import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["server/**/*.test.ts", "components/**/*.test.ts", "bin/**/*.test.ts", "scripts/**/*.test.ts", "workload/**/*.test.ts"],
    environment: "node",
    globalSetup: ["scripts/vitest-global-setup.ts"],
    // Integration tests share one root sessiond; they isolate by session name, not by process.
    pool: "forks",
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
