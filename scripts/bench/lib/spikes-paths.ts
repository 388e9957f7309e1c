/**
 * The spike → snapshot side of `npm run bench -- spikes` (bundled and run by scripts/bench/spikes.mjs),
 * on the real session daemon and relay with the demo (2,000 req/s, one 60 ms request a second):
 *
 * - live path: live session → LiveHub → LiveRecorder → HistoryWriter → detector → `snapshot record`;
 * - trigger path: Tracedeck's trigger pair (notify + snapshot trigger, re-armed after the cooldown);
 * - LTTng's own trigger: a bare `lttng add-trigger … --action snapshot-session`, no Tracedeck,
 *   alternating with the trigger path in rounds so both see the same machine.
 *
 * For every spike: the slow event's timestamp (from the trace: epoch ns), the time the snapshot
 * was complete on disk (the newest mtime of its files: LTTng's last write), and, for Tracedeck's
 * paths, the time Tracedeck had recorded the spike with its directory. Both paths pace their
 * snapshots alike (one every ~2 s) so that each flushes as much data. Prints one JSON line.
 * Never asserts.
 */
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
// @ts-expect-error: plain ESM script without type declarations
import { migrateSqlite } from "../../migrate.mjs";
import { openTraceSet } from "../../../server/ctf/index";
import { openDb } from "../../../server/db";
import { LiveHub } from "../../../server/live/hub";
import { createLiveSession, lttng, removeRelayOutput, spawnDemo, until, type DemoRun } from "../../../server/live/testing";
import { LttngController } from "../../../server/lttng/controller";
import { ensureNotifyBuilt, watchNotifications } from "../../../server/lttng/notify";
import { LttngRunner } from "../../../server/lttng/runner";
import type { RecordedSpike } from "../../../server/spikes/actions";
import { HistoryWriter } from "../../../server/spikes/history";
import { LiveRecorder } from "../../../server/spikes/recorder";
import { SpikeService } from "../../../server/spikes/rule-service";
import { addRule, removeRule } from "../../../server/spikes/rules";
import { uniqueSessionName } from "../../../server/testing/record";

const [dbFile = "", outDir = "", nArg = "20", workerFile = ""] = process.argv.slice(2);
const N = Math.max(2, Number(nArg));
const SLOW_NS = 50_000_000;
(migrateSqlite as (f: string) => string[])(dbFile);
const db = openDb(`file:${dbFile}`);
const relay = { host: "127.0.0.1", controlPort: 5342, dataPort: 5343, livePort: Number(process.env.TRACEDECK_RELAYD_LIVE_PORT ?? 5344) };
const controller = new LttngController(new LttngRunner(), { tracesDir: outDir, relaydOutputDir: join(outDir, "relayd"), relayd: relay });
const nowNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e3)) * 1000n;
const bin = await ensureNotifyBuilt(join(outDir, "bin"));

interface Sample {
  /** Event timestamp → Tracedeck learns of it (live: the value read from the stream; trigger: the notification) (ms). */
  detectMs?: number;
  /** Event timestamp → snapshot complete on disk (ms). */
  diskMs: number;
  /** Event timestamp → Tracedeck has the spike recorded with its directory (ms). */
  knownMs?: number;
}
interface Phase {
  samples: Sample[];
  /** This process's CPU (main thread and workers) during the phase, s. */
  cpuS: number;
  wallS: number;
  load: number;
  /** Slow requests not acted on (cooldown). */
  suppressed: number;
}

/** The newest mtime of the files under `dir` (epoch ns): when LTTng finished writing the snapshot. */
function completedNs(dir: string): bigint {
  let max = 0n;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const m = statSync(join(e.parentPath, e.name), { bigint: true }).mtimeNs;
    if (m > max) max = m;
  }
  return max;
}

/** Slow request_end events of `pid` in a trace: [epoch ns, latency_ns], in time order. */
function slowRequests(path: string, pid: number): Array<[bigint, number]> {
  const set = openTraceSet([path]);
  const out: Array<[bigint, number]> = [];
  set.forEach((it) => {
    if (it.kind !== "event" || it.name !== "tracedeck_demo:request_end") return;
    const v = Number(it.payload.latency_ns);
    if (v > SLOW_NS && Number(it.context.vpid) === pid) out.push([set.originNs + BigInt(it.ts), v]);
  });
  set.close();
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

const ms = (ns: bigint) => Number(ns) / 1e6;

async function snapshotSession(tag: string): Promise<{ name: string; dir: string }> {
  const name = uniqueSessionName(tag);
  const dir = join(outDir, tag);
  mkdirSync(dir, { recursive: true });
  await lttng(["create", name, "--snapshot", "-o", dir]);
  await lttng(["untrack", "-u", "-s", name, "--vpid", "--all"]);
  await lttng(["enable-event", "-u", "-s", name, "tracedeck_demo:*"]);
  await lttng(["add-context", "-u", "-s", name, "-t", "vpid"]);
  await lttng(["start", name]);
  return { name, dir };
}

/** The demo for `spikes` slow requests, one a second from t = 1 s, waiting to be released. */
async function demoFor(spikes: number, sessions: string[]): Promise<DemoRun> {
  const d = await spawnDemo(["--rate", "2000", "--duration", String(2 * spikes + 1), "--slow-every", "2000", "--slow-ms", "60"]);
  for (const s of sessions) await lttng(["track", "-u", "-s", s, "--vpid", String(d.pid)]);
  return d;
}

async function measured<T>(fn: () => Promise<T>): Promise<{ r: T; cpuS: number; wallS: number; load: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const l0 = loadavg()[0]!;
  const r = await fn();
  const c = process.cpuUsage(c0);
  return { r, cpuS: (c.user + c.system) / 1e6, wallS: (performance.now() - t0) / 1000, load: (l0 + loadavg()[0]!) / 2 };
}

const known = new Map<number, bigint>();
/** Slow values as the live recorder hands them to the detector: value → when. */
const seenAt = new Map<number, bigint>();
const spikes: RecordedSpike[] = [];
let suppressed = 0;
const service = new SpikeService({
  db,
  controller,
  noteRecorded: () => undefined,
  watch: (names, signal) => watchNotifications(names, { binary: bin, signal }),
  onSpike: (s) => {
    known.set(s.id, nowNs());
    spikes.push(s);
  },
  onSuppressed: () => suppressed++,
});
const hub = new LiveHub({ workerFile: workerFile || undefined, lingerMs: 100 });
const cleanup: Array<() => Promise<unknown>> = [];

/** Tracedeck's spikes since `from` as samples (event time from the trace for the trigger path). */
function samplesOf(from: number, pid: number): Sample[] {
  const out: Sample[] = [];
  for (const s of spikes.slice(from)) {
    if (s.outcome !== "snapshot" || s.archivePath === null) continue;
    // The live path knows the event's time; the trigger path knows the value (captured): find it.
    const ts = s.detection === "live" ? s.tsNs : slowRequests(s.archivePath, pid).find(([, v]) => v === Number(s.valueNs))?.[0];
    if (ts === undefined) continue;
    const seen = s.detection === "live" ? seenAt.get(Number(s.valueNs)) : s.tsNs;
    out.push({ detectMs: seen === undefined ? undefined : ms(seen - ts), diskMs: ms(completedNs(s.archivePath) - ts), knownMs: ms(known.get(s.id)! - ts) });
  }
  return out;
}

const result: Record<string, Phase> = {};
try {
  // --- live path ---
  const live = await createLiveSession({ tag: "bspklive", trackNothing: true });
  cleanup.push(async () => {
    await live.destroy();
    await removeRelayOutput(live.name);
  });
  const snapLive = await snapshotSession("bspkl");
  cleanup.push(() => lttng(["destroy", snapLive.name]));
  const liveSource = await db.latencySource.create({
    data: {
      name: "requests-live",
      sessionName: live.name,
      definition: JSON.stringify({ kind: "field", event: "tracedeck_demo:request_end", field: "latency_ns", unit: "ns" }),
    },
  });
  const liveRule = await addRule(db, {
    name: "live",
    sourceId: liveSource.id,
    threshold: { kind: "absolute", ns: SLOW_NS },
    snapshotSession: snapLive.name,
    cooldownMs: 1_500,
  });
  await service.reload();
  const writer = new HistoryWriter(db);
  writer.onValue(service.observe);
  writer.onValue((_id, _ts, v) => {
    if (v > SLOW_NS && !seenAt.has(v)) seenAt.set(v, nowNs());
  });
  const recorder = new LiveRecorder(db, writer, hub, { relay: { host: relay.host, port: relay.livePort }, pollMs: 300 });
  recorder.start();
  {
    const d = await demoFor(N, [snapLive.name]);
    await live.trackPid(d.pid);
    await until(() => (recorder.status().some((r) => r.session === live.name && r.state === "streaming") ? true : undefined), "the recorder to attach", 60_000);
    const from = spikes.length;
    suppressed = 0;
    const m = await measured(async () => {
      d.release();
      await d.done;
      await until(() => (spikes.length - from >= N ? true : undefined), "the live spikes", 30_000).catch(() => undefined);
      await service.settled();
    });
    result.live = { samples: samplesOf(from, d.pid), cpuS: m.cpuS, wallS: m.wallS, load: m.load, suppressed };
  }
  await recorder.stop();
  await writer.stop();
  await removeRule(db, liveRule.id);
  await service.reload();

  // --- trigger path and LTTng's own trigger, alternating rounds ---
  const snapTrig = await snapshotSession("bspkt");
  cleanup.push(() => lttng(["destroy", snapTrig.name]));
  const snapBare = await snapshotSession("bspkb");
  cleanup.push(() => lttng(["destroy", snapBare.name]));
  const trigSource = await db.latencySource.create({
    data: { name: "requests-trigger", definition: JSON.stringify({ kind: "field", event: "tracedeck_demo:request_end", field: "latency_ns", unit: "ns" }) },
  });
  const trig: Phase = { samples: [], cpuS: 0, wallS: 0, load: 0, suppressed: 0 };
  const bare: Phase = { samples: [], cpuS: 0, wallS: 0, load: 0, suppressed: 0 };
  const ROUNDS = 2;
  const per = Math.ceil(N / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    {
      const d = await demoFor(per, [snapTrig.name]);
      const rule = await addRule(db, {
        name: `trigger-${round}`,
        sourceId: trigSource.id,
        detection: "trigger",
        threshold: { kind: "absolute", ns: SLOW_NS },
        snapshotSession: snapTrig.name,
        cooldownMs: 1_500,
        triggerFilter: `$ctx.vpid == ${d.pid}`,
      });
      await service.reload();
      const from = spikes.length;
      suppressed = 0;
      const m = await measured(async () => {
        d.release();
        await d.done;
        await until(() => (spikes.length - from >= per ? true : undefined), "the trigger spikes", 30_000).catch(() => undefined);
        await service.settled();
      });
      await removeRule(db, rule.id);
      await service.reload();
      trig.samples.push(...samplesOf(from, d.pid));
      trig.cpuS += m.cpuS;
      trig.wallS += m.wallS;
      trig.load += m.load / ROUNDS;
      trig.suppressed += suppressed;
    }
    {
      const d = await demoFor(per, [snapBare.name]);
      const name = `${snapBare.name}-bare-${round}`;
      // Every second match: one snapshot every ~2 s, the trigger path's pace.
      await lttng([
        "add-trigger",
        `--name=${name}`,
        "--condition=event-rule-matches",
        "--type=user",
        "--name=tracedeck_demo:request_end",
        `--filter=latency_ns > ${SLOW_NS} && $ctx.vpid == ${d.pid}`,
        "--action=snapshot-session",
        snapBare.name,
        "--rate-policy=every:2",
      ]);
      const before = new Set(readdirSync(snapBare.dir));
      const m = await measured(async () => {
        d.release();
        await d.done;
        await new Promise((r) => setTimeout(r, 500));
      });
      await lttng(["remove-trigger", name]);
      for (const e of readdirSync(snapBare.dir)) {
        if (before.has(e)) continue;
        const path = join(snapBare.dir, e);
        // Each snapshot's newest slow request is the one that fired it (the next comes 2 s later).
        const last = slowRequests(path, d.pid).at(-1);
        if (last !== undefined) bare.samples.push({ diskMs: ms(completedNs(path) - last[0]) });
      }
      bare.cpuS += m.cpuS;
      bare.wallS += m.wallS;
      bare.load += m.load / ROUNDS;
    }
  }
  result.trigger = trig;
  result.bare = bare;
  console.log(JSON.stringify({ n: N, ...result }));
} finally {
  await service.stop().catch(() => undefined);
  hub.closeAll();
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
  await db.$disconnect();
}
