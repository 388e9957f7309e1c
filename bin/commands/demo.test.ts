import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ["dist/tracedeck.mjs", ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, stdout, stderr });
    });
  });
}

describe("tracedeck demo", () => {
  it("runs the C demo for its duration and prints the exact request count", async () => {
    const r = await cli(["demo", "--rate", "1000", "--duration", "0.5", "--slow-every", "100", "--slow-ms", "1", "--quiet"]);
    expect(r.stderr).toContain("tracedeck-demo --rate 1000");
    expect(r.stdout).toMatch(/finished after [\d.]+ s: 500 requests, 5 slow, 2005 events/);
    expect(r.code).toBe(0);
  });

  it("runs the Python agent demo with --python", async () => {
    const r = await cli(["demo", "--python", "--rate", "100", "--duration", "0.3", "--slow-every", "10", "--slow-ms", "1", "--quiet"]);
    expect(r.stderr).toContain("python_demo.py");
    expect(r.stdout).toMatch(/finished after [\d.]+ s: \d+ requests/);
    expect(r.code).toBe(0);
  });

  it("rejects out-of-range options with exit code 2", async () => {
    const r = await cli(["demo", "--threads", "99"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/threads: Too big/);
  });
});
