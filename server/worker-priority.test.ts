import { mkdtempSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { getPriority } from "node:os";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { buildSync } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";

// The module bundled as the build bundles workers, run in a real worker thread.
const dir = mkdtempSync(join(tmpdir(), "td-prio-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
buildSync({
  entryPoints: [join(__dirname, "worker-priority.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: join(dir, "prio.mjs"),
  logLevel: "silent",
});
writeFileSync(
  join(dir, "entry.mjs"),
  `import { parentPort } from "node:worker_threads";
import { readlinkSync } from "node:fs";
import { getPriority } from "node:os";
import { lowerThreadPriority } from "./prio.mjs";
const nice = lowerThreadPriority(10);
const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
parentPort.postMessage({ nice, tid, seen: getPriority(tid) });
`,
);

describe("lowerThreadPriority", () => {
  it("lowers the priority of the worker thread that calls it, not of the process's main thread", async () => {
    const mainTid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    const before = getPriority(mainTid);
    const w = new Worker(join(dir, "entry.mjs"));
    const got = await new Promise<{ nice: number; tid: number; seen: number }>((resolve, reject) => {
      w.once("message", resolve);
      w.once("error", reject);
    });
    await w.terminate();
    expect(got).toMatchObject({ nice: 10, seen: 10 });
    expect(got.tid).not.toBe(mainTid);
    expect(getPriority(mainTid)).toBe(before);
  });
});
