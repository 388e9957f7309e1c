process.env.TZ = "UTC";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeAnalysisPool, runAnalysis } from "./worker-pool";
import { diff, readFixture } from "./testing/oracle";
import type { AnalysisJobProgress } from "./job";
import { TRACES } from "../testing/shared";

const TRACE = join(TRACES, "tc-many-threads");

afterAll(async () => {
  await closeAnalysisPool();
});

describe("runAnalysis (worker thread)", () => {
  it("returns lttng-analyses' schedtop tables, each row with its wake-up→switch range, and reports progress", async () => {
    const progress: AnalysisJobProgress[] = [];
    const r = await runAnalysis({ analysis: "schedtop", options: { limit: 5 }, paths: [TRACE] }, { onProgress: (p) => progress.push(p) });
    const expected = readFixture("tc-many-threads/schedtop__limit5.json") as { results: unknown[] };
    expect(diff(r.results, expected.results)).toBeNull();
    expect(r.events).toBe(240644);
    // Each row's range is its wake-up and switch timestamps (first two cells).
    const row = r.results[0]!.data[0]!;
    const range = r.rowRanges[0]![0]!;
    expect(range).toEqual({
      begin: (row[0] as { value: bigint }).value,
      end: (row[1] as { value: bigint }).value,
    });
    expect(range!.end - range!.begin).toBe(BigInt((row[2] as { value: number }).value));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[progress.length - 1]).toEqual({ events: 240644, fraction: 1 });
  });

  it("rejects invalid requests before starting a worker", async () => {
    await expect(runAnalysis({ analysis: "schedtop", options: { limit: -1 }, paths: [TRACE] })).rejects.toThrow();
    await expect(runAnalysis({ analysis: "nope" as never, options: {}, paths: [TRACE] })).rejects.toThrow();
  });

  it("stops when its signal fires", async () => {
    const ac = new AbortController();
    const p = runAnalysis({ analysis: "iolog", options: {}, paths: [TRACE] }, { signal: ac.signal });
    setTimeout(() => ac.abort(), 5);
    await expect(p).rejects.toMatchObject({ name: "AbortError" });
  });
});
