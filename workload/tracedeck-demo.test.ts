import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { babeltraceLines, countByName, eventName } from "../server/testing/babeltrace";
import { recordTrace } from "../server/testing/record";
import { ensureWorkloadBuilt } from "../server/workload/build";

const outDir = mkdtempSync(join(tmpdir(), "tracedeck-demo-"));
let binary: string;
beforeAll(async () => {
  binary = await ensureWorkloadBuilt();
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Payload fields of a babeltrace2 text line, as strings (`id = 3` → { id: "3" }). */
function fields(line: string): Record<string, string> {
  const payload = line.slice(line.lastIndexOf("}, { ") + 4);
  const out: Record<string, string> = {};
  for (const m of payload.matchAll(/(\w+) = ("[^"]*"|\( "[^"]*" : container = \d+ \)|\[ (?:\[\d+\] = [^,\]]+(?:, )?)*\]|[^,}\s]+)/g)) {
    out[m[1]!] = m[2]!;
  }
  return out;
}

function run(args: string[], cwd = outDir): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(binary, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

describe("tracedeck-demo", () => {
  it("prints its options with --help and rejects bad values with exit code 2", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    for (const o of ["--rate", "--threads", "--duration", "--slow-every", "--slow-ms", "--tracef-every"]) {
      expect(help.stdout).toContain(o);
    }
    const bad = await run(["--rate", "fast"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("invalid value");
  });

  it("emits request_begin/io/request_end per request with consistent ids and decodable varied fields", async () => {
    const r = await recordTrace({
      name: "fields",
      events: ["tracedeck_demo:*", "lttng_ust_tracef:*"],
      contexts: ["vtid"],
      workload: ["--rate", "1000", "--duration", "0.5", "--threads", "3", "--slow-every", "100", "--slow-ms", "5", "--tracef-every", "50"],
      outDir,
    });
    const lines = await babeltraceLines(r.path);
    const counts = countByName(lines);
    expect(counts.get("tracedeck_demo:request_begin")).toBe(500);
    expect(counts.get("tracedeck_demo:request_end")).toBe(500);
    expect(counts.get("tracedeck_demo:io")).toBe(1000 + 5);
    expect(counts.get("lttng_ust_tracef:event")).toBe(10);

    // Per thread, events of one request are contiguous: begin, write, read, [fsync], end.
    const byTid = new Map<string, string[]>();
    for (const l of lines) {
      const tid = /vtid = (\d+)/.exec(l)?.[1];
      if (tid === undefined) throw new Error(`no vtid in ${l}`);
      byTid.set(tid, [...(byTid.get(tid) ?? []), l]);
    }
    expect(byTid.size).toBe(3);
    const ids = new Set<string>();
    for (const seq of byTid.values()) {
      const names = seq.map(eventName).filter((n) => n !== "lttng_ust_tracef:event");
      const text = names.map((n) => ({ "tracedeck_demo:request_begin": "B", "tracedeck_demo:io": "I", "tracedeck_demo:request_end": "E" })[n!]).join("");
      expect(text).toMatch(/^(BIII?E)+$/);
      for (const l of seq) if (eventName(l) === "tracedeck_demo:request_begin") ids.add(fields(l).id!);
    }
    expect(ids.size).toBe(500);

    const begin = fields(lines.find((l) => eventName(l) === "tracedeck_demo:request_begin")!);
    expect(begin.path).toMatch(/^"\//);
    expect(begin.method).toMatch(/^\( "(GET|POST|PUT|DELETE)" : container = \d \)$/);
    expect(begin.flags).toMatch(/^0x[0-9a-f]+$/);
    expect(begin.client_addr).toMatch(/^\[ \[0\] = 10, \[1\] = 0,/);
    const write = fields(lines.find((l) => /op = \( "write"/.test(l))!);
    expect(Number(write.size)).toBeGreaterThanOrEqual(256);
    expect(write.ret).toBe(write.size);
    expect(write._head_length).toBe("8");
    const end = fields(lines.find((l) => eventName(l) === "tracedeck_demo:request_end")!);
    expect(end.status).toBe("200");
    expect(Number(end.latency_ms) * 1e6).toBeCloseTo(Number(end.latency_ns), -1);
  });

  it("makes every Nth request slow: a real fsync, status 503 and at least --slow-ms of latency", async () => {
    const r = await recordTrace({
      name: "slow",
      events: ["tracedeck_demo:request_end", "tracedeck_demo:io"],
      workload: ["--rate", "500", "--duration", "1", "--threads", "2", "--slow-every", "100", "--slow-ms", "30"],
      outDir,
    });
    const lines = await babeltraceLines(r.path);
    const ends = lines.filter((l) => eventName(l) === "tracedeck_demo:request_end").map(fields);
    const slow = ends.filter((f) => f.status === "503");
    expect(slow.map((f) => Number(f.id) % 100)).toEqual([0, 0, 0, 0, 0]);
    for (const f of slow) {
      expect(f.slow).toBe("1");
      expect(Number(f.latency_ns)).toBeGreaterThanOrEqual(30_000_000);
    }
    expect(ends.filter((f) => f.status === "200")).toHaveLength(495);
    const fsyncs = lines.filter((l) => /op = \( "fsync"/.test(l)).map(fields);
    expect(fsyncs).toHaveLength(5);
    for (const f of fsyncs) expect(f.ret).toBe("0");
  });

  it("runs until SIGTERM with --duration 0, then exits 0 and removes its temp files", async () => {
    const cwd = mkdtempSync(join(outDir, "sigterm-"));
    const child = spawn(binary, ["--rate", "200", "--duration", "0", "--threads", "2", "--progress"], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    const reports: Array<Record<string, unknown>> = [];
    createInterface({ input: child.stdout }).on("line", (l) => reports.push(JSON.parse(l) as Record<string, unknown>));
    const closed = new Promise<number | null>((done) => child.on("close", done));
    // Wait (bounded) for the first progress line, so the workers are busy when the signal lands.
    for (let i = 0; i < 100 && reports.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(reports.map((r) => r.type)).toEqual(["ready", "progress"]);
    expect(readdirSync(cwd).filter((f) => f.endsWith(".dat"))).toHaveLength(2);
    child.kill("SIGTERM");
    expect(await closed).toBe(0);
    const summary = reports.at(-1)!;
    expect(summary).toMatchObject({ type: "summary", signal: "SIGTERM" });
    expect(Number(summary.requests)).toBeGreaterThan(0);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("handles SIGTERM cleanly from its ready line on, even before serving a request", async () => {
    for (let i = 0; i < 3; i++) {
      const cwd = mkdtempSync(join(outDir, "early-"));
      const child = spawn(binary, ["--rate", "1", "--duration", "0", "--progress"], { cwd, stdio: ["ignore", "pipe", "ignore"] });
      const lines: string[] = [];
      const rl = createInterface({ input: child.stdout });
      rl.on("line", (l) => lines.push(l));
      await new Promise((r) => rl.once("line", r));
      expect(JSON.parse(lines[0]!)).toEqual({ type: "ready", pid: child.pid });
      child.kill("SIGTERM");
      const [code, signal] = await new Promise<[number | null, string | null]>((done) => child.on("close", (c, s) => done([c, s])));
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: "summary", signal: "SIGTERM" });
      expect(readdirSync(cwd)).toEqual([]);
    }
  });

  it("with --exit-with-parent, stops when its parent is killed with SIGKILL", async () => {
    const cwd = mkdtempSync(join(outDir, "orphan-"));
    // The parent: a node process that starts the demo, prints its pid, and idles.
    const script = `const c = require("node:child_process").spawn(${JSON.stringify(binary)}, ["--rate", "10", "--duration", "0", "--exit-with-parent"], { stdio: "ignore", env: { ...process.env, TRACEDECK_PARENT_PID: String(process.pid) } }); console.log(c.pid); setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ["-e", script], { cwd, stdio: ["ignore", "pipe", "inherit"] });
    const pidLine = await new Promise<string>((done) => createInterface({ input: parent.stdout }).once("line", done));
    const pid = Number(pidLine);
    try {
      expect(alive(pid)).toBe(true);
      parent.kill("SIGKILL");
      for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      expect(alive(pid)).toBe(false);
    } finally {
      // A failed run must not leave the demo behind.
      if (alive(pid)) process.kill(pid, "SIGKILL");
    }
    expect(readdirSync(cwd)).toEqual([]);
  });
});

/** True while `pid` runs (a zombie waiting for its reaper counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}
