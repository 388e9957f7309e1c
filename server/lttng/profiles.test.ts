import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LttngError } from "./errors";
import { listProfiles, readProfile } from "./profiles";

const dir = mkdtempSync(join(tmpdir(), "tracedeck-profiles-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("session profiles", () => {
  it("lists saved .lttng files newest first and skips other files and bad names", async () => {
    writeFileSync(join(dir, "old.lttng"), "<sessions/>");
    writeFileSync(join(dir, "new.lttng"), "<sessions><session><name>new</name></session></sessions>");
    writeFileSync(join(dir, "notes.txt"), "x");
    writeFileSync(join(dir, "-bad.lttng"), "x");
    mkdirSync(join(dir, "dir.lttng"));
    utimesSync(join(dir, "old.lttng"), new Date(1_000_000), new Date(1_000_000));
    const list = await listProfiles(dir);
    expect(list.map((p) => p.name)).toEqual(["new", "old"]);
    expect(list[0]).toMatchObject({ path: join(dir, "new.lttng"), sizeBytes: 56 });
  });

  it("returns an empty list when nothing was ever saved", async () => {
    expect(await listProfiles(join(dir, "missing"))).toEqual([]);
  });

  it("reads one profile's XML and refuses names that would leave the directory", async () => {
    expect((await readProfile(dir, "new")).xml).toContain("<name>new</name>");
    await expect(readProfile(dir, "nope")).rejects.toBeInstanceOf(LttngError);
    await expect(readProfile(dir, "../etc/passwd")).rejects.toThrow();
  });
});
