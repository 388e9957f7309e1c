/**
 * Fault test: a channel streaming from a relay daemon that dies and comes back. It runs
 * against a relayd of its own (other loopback ports, its own output directory), never the
 * shared one. LTTng 2.13.9 sessions do not stream to a restarted relay by themselves, so the
 * session is re-created under the same name, as an operator (or Tracedeck) would.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DaemonManager } from "../lttng/daemons";
import { prepareLiveFilter } from "./filter";
import { LiveHub } from "./hub";
import { createLiveSession, spawnDemo, until, type LiveSession } from "./testing";
import type { LiveMessage } from "./wire";

const relay = { host: "127.0.0.1", controlPort: 36342, dataPort: 36343, livePort: 36344 };
const runDir = mkdtempSync(join(tmpdir(), "td-live-relay-run-"));
const outDir = mkdtempSync(join(tmpdir(), "td-live-relay-out-"));
const daemons = new DaemonManager({ runDir, relaydOutputDir: outDir, relayd: relay });
const hub = new LiveHub({ backoffMinMs: 100, backoffMaxMs: 400, lingerMs: 100, statsMs: 200 });
const cleanup: (() => Promise<unknown> | void)[] = [];

afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
  hub.closeAll();
  await daemons.stopRelayd();
  rmSync(runDir, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
});

describe("live channel across a relay restart", () => {
  it("reports the loss, reconnects with backoff, marks the gap with its duration, then streams again", async () => {
    const started = await daemons.startRelayd();
    expect(started).toMatchObject({ running: true, ownedByTracedeck: true });
    const url = `net://127.0.0.1:${relay.controlPort}:${relay.dataPort}`;
    let session: LiveSession = await createLiveSession({ tag: "fault", url });
    cleanup.push(() => session.destroy());
    const demo = await spawnDemo(["--rate", "500", "--duration", "0"]);
    cleanup.push(() => demo.kill());
    demo.release();

    const messages: LiveMessage[] = [];
    const ac = new AbortController();
    cleanup.push(() => ac.abort());
    const reading = (async () => {
      for await (const m of hub.subscribe(
        { relayHost: "127.0.0.1", relayPort: relay.livePort, hostname: undefined, session: session.name },
        prepareLiveFilter({}),
        {
          seek: "beginning",
          signal: ac.signal,
        },
      ))
        messages.push(m);
    })();
    const eventCount = () => messages.reduce((n, m) => n + (m.kind === "events" ? m.events.length : 0), 0);
    await until(() => (eventCount() > 200 ? true : undefined), "events before the restart");

    await daemons.stopRelayd();
    await until(() => (messages.some((m) => m.kind === "status" && m.state === "reconnecting") ? true : undefined), "the channel noticing");
    const beforeGap = eventCount();
    expect((await daemons.startRelayd()).running).toBe(true);
    // The old session lost its relay for good; the same name streams again.
    const name = session.name;
    await session.destroy();
    session = await createLiveSession({ tag: "fault", name, url });
    await until(() => (messages.some((m) => m.kind === "gap") && eventCount() > beforeGap + 100 ? true : undefined), "events after the gap", 60_000);

    const gapAt = messages.findIndex((m) => m.kind === "gap");
    const gap = messages[gapAt] as Extract<LiveMessage, { kind: "gap" }>;
    expect(gap.durationMs).toBeGreaterThan(0);
    expect(gap.reason).toMatch(/lttng-relayd/);
    // Events before the gap end before `afterNs`; those after it come later.
    const before = messages.slice(0, gapAt).flatMap((m) => (m.kind === "events" ? [...m.events] : []));
    const after = messages.slice(gapAt).flatMap((m) => (m.kind === "events" ? [...m.events] : []));
    expect(gap.afterNs).toBe(before.at(-1)!.tsNs);
    expect(after[0]!.tsNs > gap.afterNs!).toBe(true);
    expect(messages.filter((m) => m.kind === "status").map((m) => (m as { state: string }).state)).toEqual(
      expect.arrayContaining(["streaming", "reconnecting"]),
    );
    const last = messages.filter((m) => m.kind === "status").at(-1) as { state: string };
    expect(last.state).toBe("streaming");
    // Stats go out on their own period (200 ms here): wait for one sent after the reattach.
    const stats = await until(
      () => messages.slice(gapAt).find((m): m is Extract<LiveMessage, { kind: "stats" }> => m.kind === "stats"),
      "stats after the reattach",
    );
    expect(stats.channel.reconnects).toBe(1);
    ac.abort();
    await reading;
  });
});
