/**
 * The server's one spike service (on globalThis: Next may load this module more than once),
 * wired to the archive index, the LTTng controller, `tracedeck-notify`, the metrics and the
 * Grafana push.
 */
import { archiveService } from "../archives/service";
import { db, type Db } from "../db";
import { fleetInstance } from "../fleet/instance";
import { lttng } from "../lttng/instance";
import { watchNotifications } from "../lttng/notify";
import { moduleLogger } from "../log";
import { HistoryBaseline } from "./baseline";
import { SpikeService } from "./rule-service";
import { historyWriter } from "./service";

const log = moduleLogger("spikes");

type Hook = (s: Parameters<NonNullable<ConstructorParameters<typeof SpikeService>[0]["onSpike"]>>[0]) => void;
const g = globalThis as unknown as { tracedeckSpikes?: WeakMap<Db, SpikeService>; tracedeckSpikeHooks?: Set<Hook> };

/** Called for each spike: acted on (id > 0), or not (id 0, outcome cooldown / hourly-limit). */
export function onSpikeRecorded(hook: Hook): () => void {
  g.tracedeckSpikeHooks ??= new Set();
  g.tracedeckSpikeHooks.add(hook);
  return () => g.tracedeckSpikeHooks?.delete(hook);
}

/** The spike service of a database (the server's own by default; API tests bring theirs). */
export function spikeService(database: Db = db()): SpikeService {
  g.tracedeckSpikes ??= new WeakMap();
  let s = g.tracedeckSpikes.get(database);
  if (!s) {
    const l = lttng();
    s = new SpikeService({
      db: database,
      controller: l.controller,
      noteRecorded: (path, cause, complete) => archiveService().indexer.noteRecorded(path, cause, complete),
      watch: (names, signal) => watchNotifications(names, { target: l.runner.target, signal }),
      baseline: new HistoryBaseline(database),
      groupSnapshot: (group, session, name) => fleetInstance(database).fleet.bulk({ group }, { kind: "snapshot", session, name }),
      onSuppressed: (rule, verdict) => {
        for (const h of g.tracedeckSpikeHooks ?? [])
          h({
            id: 0,
            ruleId: rule.id,
            ruleName: rule.name,
            sourceId: rule.sourceId,
            tsNs: 0n,
            valueNs: 0n,
            thresholdNs: 0n,
            detection: rule.detection,
            outcome: verdict === "hourly-limit" ? "hourly-limit" : "cooldown",
            archivePath: null,
            actionMs: null,
            error: null,
          });
      },
      onSpike: (s) => {
        for (const h of g.tracedeckSpikeHooks ?? []) {
          try {
            h(s);
          } catch (e) {
            log.warn({ err: e instanceof Error ? e.message : String(e) }, "spike hook failed");
          }
        }
      },
    });
    g.tracedeckSpikes.set(database, s);
  }
  return s;
}

const POLL_MS = 3_000;

/**
 * Start-up: load the rules and arm the trigger path; then follow edits made outside this
 * process (the CLI) by polling the rules' version (count and last update).
 */
export async function startSpikeService(): Promise<void> {
  const s = spikeService();
  await s.reload();
  const gg = globalThis as unknown as { tracedeckSpikePoll?: NodeJS.Timeout };
  if (gg.tracedeckSpikePoll) return;
  // The live path: every value the live recorder puts in the history goes through the detector.
  historyWriter().onValue(s.observe);
  const version = async () => {
    const a = await db().spikeRule.aggregate({ _count: { _all: true }, _max: { updatedAt: true } });
    return `${a._count._all}:${a._max.updatedAt?.getTime() ?? 0}`;
  };
  let last = await version();
  gg.tracedeckSpikePoll = setInterval(() => {
    void version()
      .then(async (v) => {
        if (v === last) return;
        last = v;
        await s.reload();
      })
      .catch((err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, "cannot read the spike rules"));
  }, POLL_MS);
  gg.tracedeckSpikePoll.unref();
}
