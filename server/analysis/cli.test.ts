import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseLamiJson } from "./lami/json";
import { diff, readFixture } from "./testing/oracle";
import { TRACES } from "../testing/shared";

const run = promisify(execFile);
const root = join(__dirname, "..", "..");
const cli = join(root, "dist", "tracedeck.mjs");

async function tracedeck(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [cli, ...args], { env: { ...process.env, TZ: "UTC" }, maxBuffer: 64 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe("tracedeck analyze (the CLI, as Trace Compass's External Analyses runs it)", () => {
  it("--mi prints lttng-schedtop-mi's LAMI document", async () => {
    const r = await tracedeck(["analyze", "schedtop", join(TRACES, "bt-tracefile-rotation"), "--no-intersection", "--mi"]);
    expect(r.code).toBe(0);
    const doc = parseLamiJson(r.stdout) as { results: { data: unknown[] }[] };
    expect(doc.results[0]!.data.length).toBe(10);
    expect(diff(doc, readFixture("bt-tracefile-rotation/schedtop.json"))).toBeNull();
  });

  it("--metadata prints the table classes without reading a trace", async () => {
    const r = await tracedeck(["analyze", "schedtop", "--metadata"]);
    const m = parseLamiJson(r.stdout) as Record<string, unknown>;
    const expected = readFixture("metadata/schedtop.json") as Record<string, unknown>;
    expect(diff(m["table-classes"], expected["table-classes"])).toBeNull();
  });

  it("prints text tables with the ASCII histogram for freq", async () => {
    const r = await tracedeck(["analyze", "schedfreq", join(TRACES, "bt-tracefile-rotation"), "--no-intersection", "--freq-resolution=4"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Timerange: \[2019-10-16 21:36:35\.\d{9}, 2019-10-16 21:36:37\.\d{9}\]/);
    expect(r.stdout).toContain("Scheduling latency frequency distribution TID: ");
    expect(r.stdout).toMatch(/\n {2}\d+\.\d{3} █+/);
  });

  it("follows Trace Compass's protocol: --mi-version, --test-compatibility, then --output-progress lines before the JSON", async () => {
    expect((await tracedeck(["analyze", "cputop", "--mi-version"])).stdout).toBe("1.0\n");
    const compat = await tracedeck(["analyze", "cputop", join(TRACES, "tc-flipping-endianness"), "--mi", "--test-compatibility"]);
    expect(compat).toMatchObject({ code: 0, stdout: "" });
    const r = await tracedeck(["analyze", "cputop", join(TRACES, "tc-many-threads"), "--mi", "--output-progress"]);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^0 Starting analysis from 17:46:22\.\d{9} to 17:46:23\.\d{9}$/);
    expect(lines[1]).toMatch(/^0\.\d+ 17:46:2\d\.\d{9}\/17:46:23\.\d{9}; 65536 events processed$/);
    expect(lines.at(-2)).toBe("1 Done!");
    expect(diff(parseLamiJson(lines.at(-1)!), readFixture("tc-many-threads/cputop.json"))).toBeNull();
  });

  it("refuses, as lttng-analyses does by default, a trace whose streams never all overlap (--no-intersection reads it)", async () => {
    const rotated = join(TRACES, "bt-tracefile-rotation");
    const mi = await tracedeck(["analyze", "schedtop", rotated, "--mi"]);
    expect(mi.code).toBe(1);
    expect(JSON.parse(mi.stdout)).toEqual(readFixture("bt-tracefile-rotation/schedtop__intersect.json"));
    const text = await tracedeck(["analyze", "schedtop", rotated]);
    expect(text).toMatchObject({ code: 1, stdout: "", stderr: "Error: Trace has no intersection. Use --no-intersection to override\n" });
  });

  it("reports errors as LAMI error objects in --mi mode, and on stderr otherwise", async () => {
    const bad = await tracedeck(["analyze", "iolatencytop", "--tid", "1", "/x", "--mi"]);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toEqual({ "error-message": "Command line error: unrecognized arguments: --tid" });
    const missing = await tracedeck(["analyze", "schedtop", "/nonexistent/trace"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^Error: /);
  });
});
