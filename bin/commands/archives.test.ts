/**
 * `tracedeck archives` and `tracedeck record` as a user runs them (the bundled CLI, a real
 * SQLite file in a data directory of its own, the real root session daemon), with no server
 * running: the CLI finds archives by the server's own start-up rescan.
 */
import { execFile, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain ESM script without type declarations
import { migrateSqlite } from "../../scripts/migrate.mjs";
import { uniqueName } from "../../server/lttng/testing";
import { ensureSessiond, lttng } from "../../server/testing/record";
import { TRACES } from "../../server/testing/shared";
import { ensureWorkloadBuilt } from "../../server/workload/build";

const data = mkdtempSync(join(tmpdir(), "td-cli-archives-"));
const root = join(data, "store");
const env = {
  ...process.env,
  TRACEDECK_DATA_DIR: data,
  TRACEDECK_TRACE_ROOTS: root,
  TRACEDECK_LOG_LEVEL: "error",
  DATABASE_URL: `file:${join(data, "tracedeck.db")}`,
};

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ["dist/tracedeck.mjs", ...args], { timeout: 120_000, env, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, stdout, stderr });
    });
  });
}

function files(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

let profile: string;

beforeAll(async () => {
  (migrateSqlite as (f: string) => string[])(join(data, "tracedeck.db"));
  mkdirSync(root, { recursive: true });
  cpSync(join(TRACES, "bt-tracefile-rotation"), join(root, "bt-tracefile-rotation"), { recursive: true });
  await ensureSessiond();
  await ensureWorkloadBuilt();
  // A saved profile: a local session recording the demo's events.
  profile = uniqueName("prof");
  await lttng(["create", profile, "-o", join(data, "scratch")]);
  try {
    await lttng(["enable-event", "-u", "-s", profile, "tracedeck_demo:*"]);
    mkdirSync(join(data, "sessions"), { recursive: true });
    await lttng(["save", `--output-path=${join(data, "sessions")}`, profile]);
  } finally {
    await lttng(["destroy", profile]);
  }
});

afterAll(() => rmSync(data, { recursive: true, force: true }));

describe("tracedeck archives", () => {
  it("lists what the rescan finds, shows, reports, downloads byte-identical and deletes, each once", async () => {
    const list = await cli(["archives", "list", "--json"]);
    expect(list.code, list.stderr).toBe(0);
    const rows = JSON.parse(list.stdout) as Array<{ id: number; path: string; kind: string; events: number; state: string }>;
    expect(rows).toHaveLength(1);
    // PROVENANCE.md: 12,305 events.
    expect(rows[0]).toMatchObject({ kind: "session", events: 12_305, state: "complete", path: join(root, "bt-tracefile-rotation") });
    const id = rows[0]!.id;
    // A second rescan indexes nothing twice.
    expect(JSON.parse((await cli(["archives", "list", "--json"])).stdout)).toHaveLength(1);

    const show = await cli(["archives", "show", String(id), "--json"]);
    expect(JSON.parse(show.stdout)).toMatchObject({ id, events: 12_305 });

    const report = await cli(["archives", "report", String(id)]);
    expect(report.code, report.stderr).toBe(0);
    const doc = JSON.parse(report.stdout) as { "mi-version": unknown; sections: Array<{ analysis: string }>; results: unknown[] };
    expect(doc["mi-version"]).toEqual({ major: 1, minor: 0 });
    expect(doc.sections.map((s) => s.analysis)).toEqual(["summary", "iolatencystats", "iolatencytop", "iolatencyfreq", "syscallstats", "cputop", "schedtop"]);

    const out = join(data, "dl");
    mkdirSync(out);
    const dl = await cli(["archives", "download", String(id), "-o", join(out, "a.tar.gz")]);
    expect(dl.code, dl.stderr).toBe(0);
    expect(spawnSync("tar", ["-xzf", join(out, "a.tar.gz"), "-C", out]).status).toBe(0);
    const src = join(root, "bt-tracefile-rotation");
    expect(files(join(out, "bt-tracefile-rotation"))).toEqual(files(src));
    for (const f of files(src)) expect(readFileSync(join(out, "bt-tracefile-rotation", f)).equals(readFileSync(join(src, f))), f).toBe(true);

    const unknown = await cli(["archives", "download", "999999"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No archive with id 999999.");
    const bad = await cli(["archives", "show", "../1"]);
    expect(bad.code).toBe(2);

    const noYes = await cli(["archives", "rm", String(id)]);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toContain("confirm with --yes");
    expect(existsSync(src)).toBe(true);
    const rm = await cli(["archives", "rm", String(id), "--yes"]);
    expect(rm.code, rm.stderr).toBe(0);
    expect(existsSync(src)).toBe(false);
    expect(JSON.parse((await cli(["archives", "list", "--json"])).stdout)).toEqual([]);
  });
});

describe("tracedeck record", () => {
  const sessionsLeft = () => spawnSync("lttng", ["--no-sessiond", "list"], { encoding: "utf8" }).stdout.split(`${profile}-rec-`).length - 1;

  it("records a command under a profile, stores the archive and its report, and fails when a threshold holds", async () => {
    const demo = await ensureWorkloadBuilt();
    const cmd = ["--", demo, "--rate", "400", "--duration", "1", "--slow-every", "20", "--slow-ms", "5", "--dir", data];
    const ok = await cli(["record", "--profile", profile, "--fail-if", "max(request_end.latency_ns) > 100s", ...cmd]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^archive \d+: /m);
    expect(ok.stdout).toContain("tracedeck_demo:request_end.latency_ns: statistics (periodstats)");
    expect(ok.stdout).toMatch(/fail-if max\(request_end\.latency_ns\) > 100s: max=\d+ over \d+ sample\(s\): does not hold/);

    // The demo's slow requests last at least 5 ms.
    const slow = await cli(["record", "--profile", profile, "--fail-if", "max(request_end.latency_ns) > 4ms", ...cmd]);
    expect(slow.code).toBe(1);
    expect(slow.stdout).toContain("HOLDS");

    const failing = await cli(["record", "--profile", profile, "--", demo, "--threads", "99"]);
    expect(failing.code).not.toBe(0);
    expect(failing.stderr).toMatch(/the command exited with \d+/);

    // Each recording is an indexed archive; no session was left behind.
    const rows = JSON.parse((await cli(["archives", "list", "--json", "--no-scan"])).stdout) as Array<{ session: string; report: string; path: string }>;
    const ours = rows.filter((r) => r.path.includes(`${profile}-rec-`));
    expect(ours.length).toBeGreaterThanOrEqual(2);
    expect(ours.filter((r) => r.report === "done").length).toBeGreaterThanOrEqual(2);
    expect(sessionsLeft()).toBe(0);

    const usage = await cli(["record", "--profile", profile, "--fail-if", "p99(x) > 1", "--", "true"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Cannot read the condition");
  });
});
