/**
 * Spike actions and the trigger path on the real session daemon: a snapshot session that
 * records only this test's demo (tracked by vpid), real snapshots, real triggers and
 * `tracedeck-notify`. Other tests' demos run meanwhile: the trigger filter names our vpid.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArchiveIndexer } from "../archives/indexer";
import { openTraceSet } from "../ctf/index";
import { LttngController } from "../lttng/controller";
import { ensureNotifyBuilt, watchNotifications } from "../lttng/notify";
import { LttngRunner } from "../lttng/runner";
import { lttng, spawnDemo, until, type DemoRun } from "../live/testing";
import { tempDb } from "../testing/db";
import { ensureSessiond, uniqueSessionName } from "../testing/record";
import { SpikeActions, spikeCause, type RecordedSpike } from "./actions";
import { addRule } from "./rules";
import { TriggerRule, triggerPrefix } from "./trigger-path";

const t = tempDb();
let dir: string;
let bin: string;
let session: string;
let demo: DemoRun | undefined;
const controller = () =>
  new LttngController(new LttngRunner(), {
    tracesDir: dir,
    relaydOutputDir: join(dir, "relayd"),
    relayd: { host: "127.0.0.1", controlPort: 5342, dataPort: 5343, livePort: 5344 },
  });

/** Slow `request_end` events (latency over `minNs`) of process `pid` in a snapshot directory. */
function slowRequests(path: string, pid: number, minNs: number): number[] {
  const set = openTraceSet([path]);
  const out: number[] = [];
  set.forEach((it) => {
    if (it.kind !== "event" || it.name !== "tracedeck_demo:request_end") return;
    const lat = Number(it.payload.latency_ns);
    if (lat > minNs && Number(it.context.vpid) === pid) out.push(lat);
  });
  set.close();
  return out;
}

beforeAll(async () => {
  await ensureSessiond();
  dir = await mkdtemp(join(tmpdir(), "td-spikes-"));
  bin = await ensureNotifyBuilt(join(dir, "bin"));
  session = uniqueSessionName("spksnap");
  await lttng(["create", session, "--snapshot", "-o", join(dir, "snapshots")]);
  await lttng(["untrack", "-u", "-s", session, "--vpid", "--all"]);
  await lttng(["enable-event", "-u", "-s", session, "tracedeck_demo:*"]);
  await lttng(["add-context", "-u", "-s", session, "-t", "vpid"]);
  await lttng(["start", session]);
});

afterAll(async () => {
  demo?.kill();
  await lttng(["destroy", session]).catch(() => undefined);
  await t.cleanup();
  await rm(dir, { recursive: true, force: true });
});

async function startDemo(args: string[]): Promise<DemoRun> {
  const d = await spawnDemo(args);
  demo = d;
  await lttng(["track", "-u", "-s", session, "--vpid", String(d.pid)]);
  return d;
}

describe("spike actions (live path)", () => {
  it("records the spike, snapshots under a unique name, and the archive index links the snapshot by cause spike:<id>", async () => {
    const d = await startDemo(["--rate", "500", "--duration", "2", "--slow-every", "200", "--slow-ms", "60"]);
    d.release();
    await d.done;
    const rule = await addRule(t.db, { name: "live-slow", sourceId: 1, threshold: { kind: "absolute", ns: "50ms" }, snapshotSession: session });
    const noted = new Map<string, string>();
    const actions = new SpikeActions({ db: t.db, controller: controller(), noteRecorded: (p, c) => noted.set(p, c) });
    const s = await actions.act({ rule, tsNs: 1n, valueNs: 60_000_000, thresholdNs: 50_000_000, detection: "live" });
    expect(s.outcome).toBe("snapshot");
    expect(s.archivePath).toMatch(new RegExp(`/spike-${s.id}-[0-9a-z]+-\\d{8}-\\d{6}-\\d+$`));
    expect(noted.get(s.archivePath!)).toBe(spikeCause(s.id));
    const row = await t.db.spike.findUniqueOrThrow({ where: { id: s.id } });
    expect([row.outcome, row.ruleName, row.valueNs, row.archivePath]).toEqual(["snapshot", "live-slow", 60_000_000n, s.archivePath]);
    // The snapshot holds the demo's slow requests (each 60 ms, over the 50 ms rule).
    expect(slowRequests(s.archivePath!, d.pid, 50_000_000).length).toBeGreaterThanOrEqual(4);

    // The archive index takes the cause Tracedeck noted for the directory.
    const indexer = new ArchiveIndexer({ db: t.db, roots: () => [dir], settleMs: 0, runTask: undefined });
    for (const [p, c] of noted) indexer.noteRecorded(p, c);
    const id = await indexer.indexNow(s.archivePath!);
    const archive = await t.db.archive.findUniqueOrThrow({ where: { id: id! } });
    expect([archive.cause, archive.kind, archive.state]).toEqual([spikeCause(s.id), "snapshot", "complete"]);
  });

  it("a failed snapshot is recorded as failed with LTTng's reason; spikes in the cooldown are counted on the last one", async () => {
    const rule = await addRule(t.db, { name: "no-such", sourceId: 1, threshold: { kind: "absolute", ns: 1000 }, snapshotSession: uniqueSessionName("gone") });
    const actions = new SpikeActions({ db: t.db, controller: controller(), noteRecorded: () => undefined });
    const input = { rule, tsNs: 5n, valueNs: 2_000, thresholdNs: 1_000, detection: "live" as const };
    const s = await actions.act(input);
    expect(s.outcome).toBe("failed");
    expect(s.error).toMatch(/Snapshot of td.*failed: .+/);
    actions.suppress(input, "cooldown");
    actions.suppress(input, "cooldown");
    actions.suppress(input, "hourly-limit");
    await actions.flushAll();
    expect((await t.db.spike.findUniqueOrThrow({ where: { id: s.id } })).suppressed).toBe(3);
  });
});

describe("trigger path", () => {
  it("snapshots inside the app on a slow request, records each spike with its captured value, and respects the cooldown", async () => {
    const d = await startDemo(["--rate", "400", "--duration", "8", "--slow-every", "200", "--slow-ms", "60"]);
    const rule = await addRule(t.db, {
      name: "trig-slow",
      sourceId: 1,
      detection: "trigger",
      threshold: { kind: "absolute", ns: "50ms" },
      snapshotSession: session,
      cooldownMs: 3_000,
      triggerFilter: `$ctx.vpid == ${d.pid}`,
    });
    const spikes: RecordedSpike[] = [];
    const suppressed: string[] = [];
    const noted = new Map<string, string>();
    const ctl = controller();
    const actions = new SpikeActions({
      db: t.db,
      controller: ctl,
      noteRecorded: (p, c) => noted.set(p, c),
      onSpike: (s) => spikes.push(s),
      onSuppressed: (_r, v) => suppressed.push(v),
    });
    const instance = `t${process.pid}`;
    const tr = new TriggerRule({ controller: ctl, actions, instance, watch: (names, signal) => watchNotifications(names, { binary: bin, signal }) }, rule, {
      event: "tracedeck_demo:request_end",
      field: "latency_ns",
    });
    await tr.start();
    let slow = 0;
    try {
      const names = (await ctl.listTriggers()).map((x) => x.name).filter((n) => n.startsWith(triggerPrefix(instance, rule.id)));
      expect(names.sort()).toEqual([`${triggerPrefix(instance, rule.id)}notify`, `${triggerPrefix(instance, rule.id)}snap-1`]);
      d.release();
      const summary = JSON.parse((await d.done).stdout.trim().split("\n").pop()!) as { slow: number };
      // 8 s at 400 req/s, one slow request in 200: 16 slow requests, every 0.5 s.
      expect(summary.slow).toBe(16);
      slow = summary.slow;
      await until(() => (spikes.length + suppressed.length >= slow ? true : undefined), "every slow request notified", 20_000);
      await tr.settled();
    } finally {
      await tr.stop();
    }
    await actions.flushAll();
    // Slow requests from t=0.5 s to t=8 s, cooldown 3 s: at most 3 snapshots, 3 s apart at least.
    expect(spikes.length).toBeGreaterThanOrEqual(1);
    expect(spikes.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < spikes.length; i++) expect(spikes[i]!.tsNs - spikes[i - 1]!.tsNs).toBeGreaterThanOrEqual(3_000_000_000n);
    expect(spikes.length + suppressed.length).toBe(slow);
    expect(new Set(suppressed)).toEqual(new Set(["cooldown"]));
    const rows = await t.db.spike.findMany({ where: { ruleId: rule.id }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.outcome)).toEqual(spikes.map(() => "snapshot"));
    expect(rows.reduce((n, r) => n + r.suppressed, 0)).toBe(suppressed.length);
    for (const r of rows) {
      expect(r.detection).toBe("trigger");
      expect(Number(r.valueNs)).toBeGreaterThan(50_000_000);
      expect(noted.get(r.archivePath!)).toBe(spikeCause(r.id));
      // LTTng's snapshot holds the slow request that fired it.
      expect(slowRequests(r.archivePath!, d.pid, 50_000_000)).toContain(Number(r.valueNs));
    }
    // Snapshots counted on disk: LTTng wrote exactly one per spike acted on (the armed trigger
    // fires once, the next is armed after the cooldown), none for the spikes in the cooldown.
    const onDisk = (await readdir(join(dir, "snapshots"))).filter((e) => e.startsWith(`spike-r${rule.id}-`));
    expect(onDisk.sort()).toEqual(rows.map((r) => basename(r.archivePath!)).sort());
    // Stopping removed every trigger of the rule.
    expect((await ctl.listTriggers()).filter((x) => x.name.startsWith(triggerPrefix(instance, rule.id)))).toEqual([]);
  });
});
