import { cpSync, existsSync, mkdtempSync, rmSync, statSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { buildWorkload, workloadNeedsBuild } from "../../workload/build.mjs";
import { demoWorkloadPaths, ensureWorkloadBuilt, findWorkloadDir } from "./build";

// A private copy, so that rebuilding never races with tests running the shared binary.
const copy = mkdtempSync(join(tmpdir(), "tracedeck-build-"));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe("workload build", () => {
  it("ensureWorkloadBuilt returns the repository's executable tracedeck-demo", async () => {
    const binary = await ensureWorkloadBuilt();
    expect(binary).toBe(join(findWorkloadDir(), "build", "tracedeck-demo"));
    expect(binary).toBe(demoWorkloadPaths().binary);
    expect(statSync(binary).mode & 0o111).not.toBe(0);
    expect(execFileSync(binary, ["--help"]).toString()).toContain("--slow-every");
  });

  it("compiles with cc when the binary is missing or older than a source, and not otherwise", async () => {
    const dir = join(copy, "workload");
    const buildDir = join(findWorkloadDir(), "build");
    cpSync(findWorkloadDir(), dir, { recursive: true, filter: (src) => src !== buildDir && !src.startsWith(buildDir + "/") });
    expect(existsSync(join(dir, "build", "tracedeck-demo"))).toBe(false);
    expect(await workloadNeedsBuild(dir)).toBe(true);

    expect(await buildWorkload(dir)).toEqual({ binary: join(dir, "build", "tracedeck-demo"), built: true });
    expect(await workloadNeedsBuild(dir)).toBe(false);
    expect((await buildWorkload(dir)).built).toBe(false);

    const future = new Date(Date.now() + 60_000);
    utimesSync(join(dir, "src", "tracedeck_demo_tp.h"), future, future);
    expect(await workloadNeedsBuild(dir)).toBe(true);
    expect((await buildWorkload(dir)).built).toBe(true);
    expect(execFileSync(join(dir, "build", "tracedeck-demo"), ["--help"]).toString()).toContain("tracedeck_demo");
  });

  it("says which compiler is missing instead of failing obscurely", async () => {
    const dir = join(copy, "workload");
    await expect(buildWorkload(dir, { force: true, cc: join(copy, "no-such-cc") })).rejects.toThrow(/C compiler .*no-such-cc' not found/);
  });

  it("the set-up script form (node workload/build.mjs) reports an up-to-date build", () => {
    const out = execFileSync(process.execPath, [join(findWorkloadDir(), "build.mjs")]).toString();
    expect(out).toMatch(/^workload: (up to date|built )/);
  });
});
