import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readRange } from "./range";
import { TRACES } from "../testing/shared";
import { epochNs } from "../time";

const TRACE = join(TRACES, "tc-many-threads");

function babeltrace2Range(begin: bigint, end: bigint): string[] {
  const sec = (ns: bigint) => `${ns / 1_000_000_000n}.${(ns % 1_000_000_000n).toString().padStart(9, "0")}`;
  const r = spawnSync("babeltrace2", [TRACE, `--begin=${sec(begin)}`, `--end=${sec(end)}`], { encoding: "utf8", maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.split("\n").filter((l) => l.length > 0);
}

describe("readRange", () => {
  // A 200 µs window in the middle of the trace (17:46:22.893946420 is iolatencytop's top open()).
  const begin = epochNs(1457113582893900000n);
  const end = epochNs(1457113582894100000n);

  it("returns the events of the range exactly as babeltrace2 --begin/--end prints them", () => {
    const r = readRange({ paths: [TRACE], begin, end, limit: 10_000 });
    const expected = babeltrace2Range(begin, end);
    expect(expected.length).toBeGreaterThan(5);
    expect(r.lines).toEqual(expected);
    expect(r.truncated).toBe(false);
    expect(Object.values(r.counts).reduce((a, b) => a + b, 0)).toBe(expected.length);
    expect(BigInt(r.timestamps[0] ?? "0")).toBeGreaterThanOrEqual(begin);
    expect(BigInt(r.timestamps.at(-1) ?? "0")).toBeLessThanOrEqual(end);
  });

  it("cuts the lines at the limit but counts the whole range", () => {
    const all = readRange({ paths: [TRACE], begin, end, limit: 10_000 });
    const cut = readRange({ paths: [TRACE], begin, end, limit: 3 });
    expect(cut.lines).toEqual(all.lines.slice(0, 3));
    expect(cut.truncated).toBe(true);
    expect(cut.counts).toEqual(all.counts);
  });

  it('shows an empty string as "" whatever the window (babeltrace2 2.0.4\'s stale value only with compat)', () => {
    // syscall_entry_access of /usr/bin/wilbrod at 17:46:23.226574671: its filename is empty in
    // the trace; babeltrace2 2.0.4 prints the previous access's "/var/run/utmpx" (0.4 ms before).
    const t = epochNs(1457113583226574671n);
    const line = (r: { lines: string[]; timestamps: string[] }) => r.lines[r.timestamps.indexOf(t.toString())];
    const narrow = { paths: [TRACE], begin: epochNs(t - 1_000n), end: epochNs(t + 1_000n), limit: 10_000 };
    const wide = { paths: [TRACE], begin: epochNs(t - 1_000_000n), end: epochNs(t + 1_000n), limit: 10_000 };
    for (const req of [narrow, wide]) expect(line(readRange(req))).toMatch(/syscall_entry_access: \{ cpu_id = 4 \}, \{ filename = "", mode = 4 \}$/);
    expect(line(readRange({ ...wide, compat: "babeltrace2-2.0.4" }))).toMatch(/filename = "\/var\/run\/utmpx", mode = 4 \}$/);
    expect(line(readRange({ ...narrow, compat: "babeltrace2-2.0.4" }))).toMatch(/filename = "", mode = 4 \}$/);
  });
});
