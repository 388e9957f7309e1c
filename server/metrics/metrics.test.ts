/**
 * /metrics (token, Prometheus text from prom-client) and the Grafana annotation push,
 * against a real HTTP server on loopback that records what it receives.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
const dataDir = mkdtempSync(join(tmpdir(), "td-metrics-"));
process.env.TRACEDECK_DATA_DIR = dataDir;
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain ESM script without type declarations
import { migrateSqlite } from "../../scripts/migrate.mjs";
import { db } from "../db";
import { spikeService } from "../spikes/running";
import { addRule } from "../spikes/rules";
import { uniqueSessionName } from "../testing/record";
import { handleMetrics, metrics } from "./http";
import { writeInteropSettings } from "./settings";

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
const grafana = createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8").on("data", (d: string) => (body += d));
  req.on("end", () => {
    received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
    res.writeHead(200, { "content-type": "application/json" }).end('{"id":1,"message":"Annotation added"}');
  });
});
let grafanaUrl: string;

beforeAll(async () => {
  (migrateSqlite as (f: string) => string[])(join(dataDir, "tracedeck.db"));
  await new Promise<void>((r) => grafana.listen(0, "127.0.0.1", r));
  grafanaUrl = `http://127.0.0.1:${(grafana.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await spikeService().stop();
  await new Promise((r) => grafana.close(r));
  await db().$disconnect();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (auth?: string) => handleMetrics(new Request("http://127.0.0.1:3000/metrics", { headers: auth ? { authorization: auth } : {} }));

describe("/metrics", () => {
  it("is off without a token, refuses a wrong one, and serves Prometheus text with the right one", async () => {
    expect((await get("Bearer x")).status).toBe(404);
    await writeInteropSettings(db(), { metricsToken: "s3cret-token", grafanaUrl: "", grafanaToken: "" });
    expect((await get()).status).toBe(401);
    expect((await get("Bearer wrong")).status).toBe(401);
    await db().archive.create({ data: { path: "/a/s1", root: "/a", session: "s", kind: "snapshot", bytes: 1234n, createdAt: new Date(), state: "complete" } });
    await db().archive.create({ data: { path: "/a/s2", root: "/a", session: "s", kind: "snapshot", bytes: 100n, createdAt: new Date(), state: "missing" } });
    const m = metrics();
    m.observeLatency(3, 0n, 60_000_000);
    m.observeLatency(3, 0n, 2_000_000);
    m.spike({ ruleName: "slow", detection: "live", outcome: "snapshot" });
    m.spike({ ruleName: "slow", detection: "live", outcome: "cooldown" });
    const res = await get("Bearer s3cret-token");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('tracedeck_latency_seconds_count{source="3"} 2');
    expect(text).toContain('tracedeck_latency_seconds_bucket{le="0.05",source="3"} 1');
    expect(text).toContain('tracedeck_latency_seconds_bucket{le="0.1",source="3"} 2');
    expect(text).toContain('tracedeck_spikes_total{rule="slow",detection="live",outcome="snapshot"} 1');
    expect(text).toContain('tracedeck_spikes_total{rule="slow",detection="live",outcome="cooldown"} 1');
    expect(text).toContain('tracedeck_spike_snapshots_total{rule="slow",detection="live"} 1');
    // Missing archives are not on disk: only the complete one counts.
    expect(text).toContain('tracedeck_archive_bytes{kind="snapshot"} 1234');
  });
});

describe("Grafana annotations", () => {
  it("posts one annotation per spike, with the token and a link to the spike, to the configured Grafana", async () => {
    await writeInteropSettings(db(), { metricsToken: "s3cret-token", grafanaUrl, grafanaToken: "glsa_test" });
    metrics();
    const source = await db().latencySource.create({
      data: { name: "req", definition: JSON.stringify({ kind: "field", event: "tracedeck_demo:request_end", field: "latency_ns", unit: "ns" }) },
    });
    const rule = await addRule(db(), {
      name: "graf",
      sourceId: source.id,
      threshold: { kind: "absolute", ns: "50ms" },
      snapshotSession: uniqueSessionName("nosnap"),
    });
    // The snapshot session does not exist: the spike is recorded as failed, and still annotated.
    const s = await spikeService().actions.act({ rule, tsNs: 1_700_000_000_123_000_000n, valueNs: 61_000_000, thresholdNs: 50_000_000, detection: "live" });
    expect(s.outcome).toBe("failed");
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect([r.method, r.url, r.headers.authorization, r.headers["content-type"]]).toEqual(["POST", "/api/annotations", "Bearer glsa_test", "application/json"]);
    const body = JSON.parse(r.body) as { time: number; tags: string[]; text: string };
    expect(body.time).toBe(1_700_000_000_123);
    expect(body.tags).toEqual(["tracedeck", "spike", "rule:graf", "live"]);
    expect(body.text).toMatch(
      new RegExp(
        `^Spike #${s.id}: 61\\.000 ms > 50\\.000 ms \\(graf, failed\\) <a href="http://127\\.0\\.0\\.1:\\d+/spikes#spike-${s.id}">snapshot report</a>$`,
      ),
    );
  });
});
