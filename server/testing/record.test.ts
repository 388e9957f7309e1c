import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MiSessionList } from "../lttng/mi/outputs";
import { babeltraceLines, countByName } from "./babeltrace";
import { lttng, recordTrace, SESSION_PREFIX } from "./record";
import { ensureWorkloadBuilt } from "../workload/build";

const outDir = mkdtempSync(join(tmpdir(), "tracedeck-record-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe("recordTrace", () => {
  it("records the demo workload: 2000 req/s for 1 s gives 2000 request_begin/request_end and 2 io per request", async () => {
    const r = await recordTrace({
      name: "basic",
      events: ["tracedeck_demo:*"],
      contexts: ["vpid", "vtid", "procname"],
      workload: ["--rate", "2000", "--duration", "1", "--threads", "2", "--slow-every", "500", "--slow-ms", "20"],
      outDir,
    });
    expect(r.path.startsWith(outDir)).toBe(true);
    expect(r.sessionName.startsWith(SESSION_PREFIX)).toBe(true);
    expect(r.workload.summary).toMatchObject({ type: "summary", requests: 2000, slow: 4 });

    const lines = await babeltraceLines(r.path);
    const counts = countByName(lines);
    expect(counts.get("tracedeck_demo:request_begin")).toBe(2000);
    expect(counts.get("tracedeck_demo:request_end")).toBe(2000);
    // write + read per request, plus one fsync per slow request (every 500th → 4)
    expect(counts.get("tracedeck_demo:io")).toBe(2 * 2000 + 4);
    expect(lines.length).toBe(r.workload.summary?.events);
    expect(lines[0]).toMatch(/procname = "tracedeck-demo"/);
  });

  it("records only its own workload while another instance of the program runs", async () => {
    const other = spawn(await ensureWorkloadBuilt(), ["--rate", "5000", "--duration", "0", "--threads", "1"], { cwd: outDir, stdio: "ignore" });
    try {
      const r = await recordTrace({
        name: "isolated",
        events: ["tracedeck_demo:request_begin"],
        contexts: ["vpid"],
        workload: ["--rate", "1000", "--duration", "0.5", "--threads", "1"],
        outDir,
      });
      const lines = await babeltraceLines(r.path);
      expect(lines).toHaveLength(500);
      expect(new Set(lines.map((l) => /vpid = (\d+)/.exec(l)?.[1])).size).toBe(1);
      expect(lines[0]).not.toContain(`vpid = ${other.pid} `);
    } finally {
      other.kill("SIGTERM");
    }
  });

  it("uses a custom channel with tracefile rotation attributes and records tracef events", async () => {
    const r = await recordTrace({
      name: "chan",
      events: ["tracedeck_demo:request_end", "lttng_ust_tracef:*"],
      channel: { name: "demo", subbufSize: "64k", numSubbuf: 4, tracefileSize: "1M", tracefileCount: 2 },
      workload: ["--rate", "2000", "--duration", "0.3", "--threads", "1", "--slow-every", "0", "--tracef-every", "10"],
      outDir,
    });
    // 600 requests stay far below the 2 × 1 MiB that tracefile rotation keeps.
    const requests = Number(r.workload.summary?.requests);
    expect(requests).toBe(600);
    const counts = countByName(await babeltraceLines(r.path));
    expect(counts.get("tracedeck_demo:request_end")).toBe(requests);
    expect(counts.get("lttng_ust_tracef:event")).toBe(Math.floor(requests / 10));
    expect(counts.has("tracedeck_demo:request_begin")).toBe(false);
  });

  it("records Python agent logging records from workload/python_demo.py", async () => {
    const r = await recordTrace({
      name: "py",
      events: ["*"],
      contexts: ["vpid"],
      workload: "python",
      pythonArgs: ["--count", "30", "--rate", "0", "--slow-every", "10", "--slow-ms", "1", "--error-every", "15"],
      outDir,
    });
    const lines = await babeltraceLines(r.path);
    // per request: one DEBUG (logger tracedeck.demo.db) + one INFO or WARNING; ERROR every 15th
    expect(countByName(lines).get("lttng_python:event")).toBe(30 + 30 + 2);
    expect(lines.filter((l) => /int_loglevel = 30,/.test(l))).toHaveLength(3);
    expect(lines.filter((l) => /logger_name = "tracedeck.demo.db"/.test(l))).toHaveLength(30);
    expect(lines[0]).toMatch(/vpid = \d+/);
  });

  it("destroys its session when the workload or a set-up step fails", async () => {
    await expect(recordTrace({ name: "fail", events: ["tracedeck_demo:*"], workload: ["--threads", "0"], outDir })).rejects.toThrow(/exit 2/);
    await expect(
      recordTrace({ name: "failctx", events: ["tracedeck_demo:*"], contexts: ["no_such_context"], workload: ["--duration", "0.1"], outDir }),
    ).rejects.toThrow();
    const names = MiSessionList.parse((await lttng(["list"])).doc.output).map((s) => s.name);
    expect(names.filter((n) => n.startsWith(`${SESSION_PREFIX}-fail`))).toEqual([]);
  });
});
