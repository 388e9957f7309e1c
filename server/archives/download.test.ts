import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { afterAll, describe, expect, it } from "vitest";
import { packTraceDir } from "./download";
import { TRACES } from "../testing/shared";

const TRACE = join(TRACES, "bt-tracefile-rotation");
const tmp = mkdtempSync(join(tmpdir(), "td-archive-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  ).sort();
}

describe("packTraceDir", () => {
  it("streams a .tar.gz that GNU tar unpacks into the same files, byte for byte, and babeltrace2 reads", async () => {
    const archive = join(tmp, "t.tar.gz");
    await pipeline(packTraceDir(TRACE), createWriteStream(archive));
    const out = join(tmp, "x");
    spawnSync("mkdir", ["-p", out]);
    const r = spawnSync("tar", ["-xzf", archive, "-C", out], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const unpacked = join(out, "bt-tracefile-rotation");
    const files = listFiles(TRACE);
    expect(files.length).toBeGreaterThan(10);
    expect(listFiles(unpacked)).toEqual(files);
    for (const f of files) expect(readFileSync(join(unpacked, f)).equals(readFileSync(join(TRACE, f))), f).toBe(true);
    expect(statSync(archive).size).toBeLessThan(files.reduce((n, f) => n + statSync(join(TRACE, f)).size, 0));
    const bt = spawnSync("babeltrace2", [unpacked, "--output-format=dummy"], { encoding: "utf8" });
    expect(bt.status, bt.stderr).toBe(0);
  });
});
