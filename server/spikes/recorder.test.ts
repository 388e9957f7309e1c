/**
 * The live recorder with real LTTng: a live session on the shared relay, the demo workload
 * tracked into it, the server's hub (consumer in its worker thread) feeding the history.
 * Every request the demo served is one value in the database, its slow ones included.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LiveHub } from "../live/hub";
import { createLiveSession, removeRelayOutput, spawnDemo, until, type LiveSession } from "../live/testing";
import { config } from "../config";
import { tempDb } from "../testing/db";
import { HistoryWriter, NS_PER_SEC, queryRange } from "./history";
import { LiveRecorder } from "./recorder";
import { epochNs } from "../time";

const t = tempDb();
const hub = new LiveHub({ lingerMs: 100, statsMs: 200 });
let session: LiveSession | undefined;

beforeAll(async () => {
  session = await createLiveSession({ tag: "spk-rec", trackNothing: true });
}, 60_000);

afterAll(async () => {
  await session?.destroy();
  if (session) await removeRelayOutput(session.name);
  hub.closeAll();
  await t.cleanup();
});

describe("LiveRecorder", () => {
  it("records every request of a live session into the history, once the session streams", async () => {
    const s = session!;
    const src = await t.db.latencySource.create({
      data: {
        name: "req",
        sessionName: s.name,
        definition: JSON.stringify({ kind: "field", event: "tracedeck_demo:request_end", field: "latency_ns", unit: "ns" }),
      },
    });
    // Another session's source (not live): never subscribed.
    await t.db.latencySource.create({
      data: { name: "other", sessionName: `${s.name}-absent`, definition: JSON.stringify({ kind: "kernel", what: "syscall" }) },
    });
    const writer = new HistoryWriter(t.db, { flushIntervalMs: 200 });
    const seen: number[] = [];
    writer.onValue((id, _ts, v) => id === src.id && seen.push(v));
    writer.start();
    const r = config().relayd;
    const rec = new LiveRecorder(t.db, writer, hub, { relay: { host: r.host, port: r.livePort }, pollMs: 200 });
    rec.start();
    try {
      await until(() => (rec.status().find((x) => x.session === s.name && x.state === "streaming") ? true : undefined), "the recorder to attach", 30_000);
      expect(rec.status().map((x) => x.session)).toEqual([s.name]);
      const demo = await spawnDemo(["--rate", "1000", "--duration", "2", "--slow-every", "500", "--slow-ms", "8"]);
      await s.trackPid(demo.pid);
      demo.release();
      const out = await demo.done;
      expect(out.code).toBe(0);
      const served = Number(JSON.parse(out.stdout.trim().split("\n").at(-1)!).requests);
      expect(served).toBe(2000);
      await s.stop();
      await until(() => (seen.length >= served ? true : undefined), `${served} values from the live stream`, 60_000);
      await writer.flush();
      const [series] = await queryRange(t.db, { sourceIds: [src.id], fromNs: epochNs(0n), toNs: epochNs(4_000_000_000n * NS_PER_SEC), width: 1 });
      const [p] = series!.points;
      expect(p!.count).toBe(served);
      expect(seen).toHaveLength(served);
      expect(p!.max).toBeGreaterThanOrEqual(8e6);
      expect(p!.max).toBe(Math.max(...seen));
    } finally {
      await rec.stop();
      await writer.stop();
    }
  }, 120_000);
});
