/**
 * A spike's snapshot may hold many slow requests: its report still lists the spike's own one,
 * and ranks it. Recorded with real LTTng: the demo makes every 40th request slow (30 of them in
 * 0.6 s at 2,000 req/s), more than an analysis's default 10 rows of "top".
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { buildArchiveReport } from "../archives/report";
import { openTraceSet } from "../ctf/index";
import { recordTrace } from "../testing/record";
import { findSpikeInReport } from "./store";

const outDir = mkdtempSync(join(tmpdir(), "td-spikes-rank-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

it("ranks a spike's request among 30 slow ones: the report's top table holds it", async () => {
  const r = await recordTrace({
    name: "spk-rank",
    events: ["tracedeck_demo:*"],
    workload: ["--rate", "2000", "--duration", "0.6", "--threads", "2", "--slow-every", "40", "--slow-ms", "60"],
    outDir,
  });
  const set = openTraceSet([r.path]);
  // Every request_end: [end time, latency, status]. The demo answers its deliberately slow
  // requests with 503; on a loaded machine an ordinary one may be slow too, and ranks with them.
  const ends: Array<{ tsNs: bigint; valueNs: bigint; status: number }> = [];
  set.forEach((it) => {
    if (it.kind === "event" && it.name === "tracedeck_demo:request_end") {
      ends.push({ tsNs: set.originNs + BigInt(it.ts), valueNs: BigInt(it.payload.latency_ns as number), status: Number(it.payload.status) });
    }
  });
  set.close();
  const slow = ends.filter((e) => e.status === 503).sort((a, b) => (a.valueNs > b.valueNs ? -1 : a.valueNs < b.valueNs ? 1 : 0));
  expect(slow.length).toBe(30);
  // The 25th slowest of them: beyond a 10-row table.
  const spike = slow[24]!;
  const rank = ends.filter((e) => e.valueNs > spike.valueNs).length + 1;
  expect(rank).toBeGreaterThan(10);
  const at = findSpikeInReport(buildArchiveReport(r.path), spike);
  expect(at).toMatchObject({ table: "tracedeck_demo:request_end.latency_ns: top", rank, endNs: spike.tsNs });
});
