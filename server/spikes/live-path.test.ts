/**
 * The live path end to end on the real daemons: the demo (2,000 req/s, one 60 ms request
 * every 2 s) streams to the relay in live mode and into a snapshot session; the live recorder
 * (LiveHub → HistoryWriter) feeds the detector through `onValue`; the rule "latency > 50 ms →
 * snapshot, cooldown 5 s" records spikes whose snapshots hold exactly the slow request seen.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildArchiveReport } from "../archives/report";
import { openTraceSet } from "../ctf/index";
import { LiveHub } from "../live/hub";
import { createLiveSession, lttng, removeRelayOutput, spawnDemo, until, type DemoRun, type LiveSession } from "../live/testing";
import { LttngController } from "../lttng/controller";
import { LttngRunner } from "../lttng/runner";
import { tempDb } from "../testing/db";
import { uniqueSessionName } from "../testing/record";
import type { RecordedSpike } from "./actions";
import { HistoryWriter } from "./history";
import { LiveRecorder } from "./recorder";
import { SpikeService } from "./rule-service";
import { addRule } from "./rules";
import { findSpikeInReport } from "./store";

const t = tempDb();
let dir: string;
let live: LiveSession;
let snap: string;
let demo: DemoRun | undefined;
const hub = new LiveHub({ lingerMs: 100 });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "td-spikes-live-"));
  live = await createLiveSession({ tag: "spklive", trackNothing: true });
  snap = uniqueSessionName("spklsnap");
  await lttng(["create", snap, "--snapshot", "-o", join(dir, "snapshots")]);
  await lttng(["untrack", "-u", "-s", snap, "--vpid", "--all"]);
  await lttng(["enable-event", "-u", "-s", snap, "tracedeck_demo:*"]);
  await lttng(["start", snap]);
});

afterAll(async () => {
  demo?.kill();
  hub.closeAll();
  await live.destroy();
  await removeRelayOutput(live.name);
  await lttng(["destroy", snap]).catch(() => undefined);
  await t.cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** request_end events of a snapshot: [epoch ns, latency_ns]. */
function requestEnds(path: string): Array<[bigint, number]> {
  const set = openTraceSet([path]);
  const out: Array<[bigint, number]> = [];
  set.forEach((it) => {
    if (it.kind === "event" && it.name === "tracedeck_demo:request_end") out.push([set.originNs + BigInt(it.ts), Number(it.payload.latency_ns)]);
  });
  set.close();
  return out;
}

describe("live path", () => {
  it("the detector on the live stream snapshots each slow request it acts on, and counts those in the cooldown", async () => {
    const source = await t.db.latencySource.create({
      data: {
        name: "requests",
        sessionName: live.name,
        definition: JSON.stringify({ kind: "field", event: "tracedeck_demo:request_end", field: "latency_ns", unit: "ns" }),
      },
    });
    await addRule(t.db, { name: "slow", sourceId: source.id, threshold: { kind: "absolute", ns: "50ms" }, snapshotSession: snap, cooldownMs: 5_000 });
    const spikes: RecordedSpike[] = [];
    let suppressed = 0;
    const noted = new Map<string, string>();
    const service = new SpikeService({
      db: t.db,
      controller: new LttngController(new LttngRunner(), {
        tracesDir: dir,
        relaydOutputDir: join(dir, "relayd"),
        relayd: { host: "127.0.0.1", controlPort: 5342, dataPort: 5343, livePort: 5344 },
      }),
      noteRecorded: (p, c) => noted.set(p, c),
      watch: () => {
        throw new Error("no trigger rule here");
      },
      onSpike: (s) => spikes.push(s),
      onSuppressed: () => suppressed++,
    });
    await service.reload();
    const writer = new HistoryWriter(t.db);
    writer.onValue(service.observe);
    const recorder = new LiveRecorder(t.db, writer, hub, { relay: { host: "127.0.0.1", port: 5344 }, pollMs: 300 });
    recorder.start();
    try {
      demo = await spawnDemo(["--rate", "2000", "--duration", "9", "--slow-every", "4000", "--slow-ms", "60"]);
      await live.trackPid(demo.pid);
      await lttng(["track", "-u", "-s", snap, "--vpid", String(demo.pid)]);
      // The recorder attaches before the demo serves (it reads from the attach on).
      await until(() => (recorder.status().some((r) => r.session === live.name && r.state === "streaming") ? true : undefined), "the recorder to attach");
      demo.release();
      const summary = JSON.parse((await demo.done).stdout.trim().split("\n").pop()!) as { slow: number };
      expect(summary.slow).toBe(4);
      await until(() => (spikes.length + suppressed >= summary.slow ? true : undefined), "every slow request detected", 30_000);
      await service.settled();
    } finally {
      await recorder.stop();
      await service.stop();
    }
    // Slow requests at t = 2, 4, 6, 8 s, cooldown 5 s: acted on at 2 and 8, the two others counted.
    expect(spikes.length + suppressed).toBe(4);
    expect(spikes.length).toBeLessThanOrEqual(2);
    const rows = await t.db.spike.findMany({ orderBy: { id: "asc" } });
    expect(rows.reduce((n, r) => n + r.suppressed, 0)).toBe(suppressed);
    for (const s of spikes) {
      expect([s.outcome, s.detection, noted.get(s.archivePath!)]).toEqual(["snapshot", "live", `spike:${s.id}`]);
      // The snapshot holds the very request the live stream showed: the same latency, at the same
      // time up to the two sessions' clock offsets (LTTng measures one per session: µs apart).
      const same = requestEnds(s.archivePath!).filter(([, v]) => v === Number(s.valueNs));
      expect(same).toHaveLength(1);
      const skew = same[0]![0] - s.tsNs;
      expect(skew < 0n ? -skew : skew).toBeLessThan(1_000_000n);
      expect(Number(s.valueNs)).toBeGreaterThan(50_000_000);
      // Its report's period top table has that request among the slow ones at the top.
      const doc = buildArchiveReport(s.archivePath!);
      const at = findSpikeInReport(doc, s);
      expect(at).toMatchObject({ table: "tracedeck_demo:request_end.latency_ns: top" });
      expect(at!.rank).toBeLessThanOrEqual(4);
      const d = at!.endNs! - s.tsNs;
      expect(d < 0n ? -d : d).toBeLessThan(1_000_000n);
    }
  });
});
