import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
const dataDir = mkdtempSync(join(tmpdir(), "td-spike-rules-"));
process.env.TRACEDECK_DATA_DIR = dataDir;
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lttng } from "../../lttng/instance";
import { uniqueName } from "../../lttng/testing";
import { ensureSessiond } from "../../testing/record";
import { spikeService } from "../../spikes/running";
import { tempDb } from "../../testing/db";
import { call, loginUsers, type Users } from "../testing";

const t = tempDb();
let users: Users;
let sourceId: number;
beforeAll(async () => {
  await ensureSessiond();
  users = await loginUsers(t.db, "spk");
  sourceId = (
    await t.db.latencySource.create({
      data: {
        name: "requests",
        sessionName: "web",
        definition: JSON.stringify({ kind: "field", event: "tracedeck_demo:request_end", field: "latency_ns", unit: "ns" }),
      },
    })
  ).id;
});
afterAll(async () => {
  await spikeService(t.db).stop();
  await t.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

const rule = (over: Record<string, unknown> = {}) => ({
  name: "slow-requests",
  sourceId,
  threshold: { kind: "absolute", ns: "50ms" },
  snapshotSession: "web-snap",
  cooldownMs: 5000,
  ...over,
});

describe("spikeRules router", () => {
  it("an operator adds, lists, updates and removes a rule; the detector follows; a viewer may only read", async () => {
    const added = await call("spikeRules.add", "mutation", rule(), { cookie: users.operator, db: t.db });
    expect(added.status).toBe(200);
    const id = (added.body as { result: { data: { json: { id: number } } } }).result.data.json.id;
    expect(spikeService(t.db).detector.watchedSources()).toEqual([sourceId]);

    const refused = await call("spikeRules.add", "mutation", rule({ name: "other" }), { cookie: users.viewer, db: t.db });
    expect([refused.status, refused.message]).toEqual([403, "This action needs the operator role."]);

    const list = await call("spikeRules.list", "query", undefined, { cookie: users.viewer, db: t.db });
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).toContain('"threshold":{"kind":"absolute","ns":50000000}');
    expect(JSON.stringify(list.body)).toContain('"state":"watching"');

    const upd = await call("spikeRules.update", "mutation", { id, rule: rule({ enabled: false }) }, { cookie: users.operator, db: t.db });
    expect(upd.status).toBe(200);
    expect(spikeService(t.db).detector.watchedSources()).toEqual([]);

    const rm = await call("spikeRules.remove", "mutation", { id }, { cookie: users.operator, db: t.db });
    expect(rm.status).toBe(200);
    expect(await t.db.spikeRule.count()).toBe(0);
    const again = await call("spikeRules.remove", "mutation", { id }, { cookie: users.operator, db: t.db });
    expect([again.status, again.message]).toEqual([404, `Spike rule ${id} not found`]);
  });

  it("refuses bad rules with the reason: unknown source, a relative threshold on the trigger path, a duplicate name, a bad filter", async () => {
    const op = { cookie: users.operator, db: t.db };
    expect((await call("spikeRules.add", "mutation", rule({ sourceId: 999 }), op)).message).toBe("Latency source 999 not found");
    const rel = await call("spikeRules.add", "mutation", rule({ detection: "trigger", threshold: { kind: "p99", factor: 3, windowMin: 5 } }), op);
    expect([rel.status, JSON.stringify(rel.body)]).toEqual([400, expect.stringContaining("An LTTng trigger compares against a constant")]);
    const bad = await call("spikeRules.add", "mutation", rule({ detection: "trigger", triggerFilter: "$ctx.vpid ==" }), op);
    expect([bad.status, JSON.stringify(bad.body)]).toEqual([400, expect.stringContaining("Filter:")]);
    const thr = await call("spikeRules.add", "mutation", rule({ threshold: { kind: "absolute", ns: "50 parsecs" } }), op);
    expect(thr.status).toBe(400);
    expect((await call("spikeRules.add", "mutation", rule({ name: "dup" }), op)).status).toBe(200);
    const dup = await call("spikeRules.add", "mutation", rule({ name: "dup" }), op);
    expect([dup.status, dup.message]).toEqual([409, "A spike rule named dup exists already"]);
  });

  it("lists what is wrong with an enabled rule's sessions on this host, from the real session daemon", async () => {
    const op = { cookie: users.operator, db: t.db };
    const ctl = lttng().controller;
    const snap = uniqueName("spk-ready");
    await ctl.createSession({ mode: "snapshot", name: snap });
    try {
      await ctl.enableEvent({ session: snap, domain: "userspace", names: ["tracedeck_demo:*"] });
      const add = await call(
        "spikeRules.add",
        "mutation",
        rule({ name: "ready", snapshotSession: snap, other: { action: "stop", session: `${snap}-gone` } }),
        op,
      );
      expect(add.status).toBe(200);
      const problems = async () => {
        const res = await call("spikeRules.list", "query", undefined, { cookie: users.viewer, db: t.db });
        const rows = (res.body as { result: { data: { json: Array<{ name: string; problems: string[] | null }> } } }).result.data.json;
        return rows.find((r) => r.name === "ready")?.problems;
      };
      expect(await problems()).toEqual([`${snap} is not recording: a snapshot would not hold the spike.`, `No session ${snap}-gone on this host to stop.`]);
      await ctl.start(snap);
      expect(await problems()).toEqual([`No session ${snap}-gone on this host to stop.`]);
      // A host group's hosts as the fleet view knows them: this one has none.
      const grp = await call("spikeRules.add", "mutation", rule({ name: "grp", snapshotSession: snap, hostGroup: "nobody" }), op);
      expect(grp.status).toBe(200);
      const rows = (await call("spikeRules.list", "query", undefined, { cookie: users.viewer, db: t.db })).body as {
        result: { data: { json: Array<{ name: string; problems: string[] | null }> } };
      };
      expect(rows.result.data.json.find((r) => r.name === "grp")?.problems).toEqual(["Host group nobody has no host: a spike would snapshot nothing."]);
      await call("spikeRules.remove", "mutation", { id: (grp.body as { result: { data: { json: { id: number } } } }).result.data.json.id }, op);
      // A disabled rule acts on nothing: nothing to say.
      const id = (add.body as { result: { data: { json: { id: number } } } }).result.data.json.id;
      const off = await call("spikeRules.update", "mutation", { id, rule: rule({ name: "ready", snapshotSession: snap, enabled: false }) }, op);
      expect(off.status).toBe(200);
      expect(await problems()).toEqual([]);
      await call("spikeRules.remove", "mutation", { id }, op);
    } finally {
      await ctl.destroy(snap);
    }
  });

  it("lists spikes of a time range with the archive their snapshot became (cause spike:<id>)", async () => {
    const r = await t.db.spikeRule.create({ data: { name: "markers", sourceId, thresholdNs: 50_000_000n, snapshotSession: "s" } });
    const mk = (tsNs: bigint, outcome: string) =>
      t.db.spike.create({
        data: { ruleId: r.id, ruleName: r.name, sourceId, tsNs, valueNs: 60_000_000n, thresholdNs: 50_000_000n, detection: "live", outcome, archivePath: "/x" },
      });
    const a = await mk(1_000n, "snapshot");
    const b = await mk(2_000n, "snapshot");
    await mk(9_000n, "snapshot");
    const archive = await t.db.archive.create({
      data: { path: "/x/spike-1", root: "/x", session: "s", kind: "snapshot", cause: `spike:${b.id}`, createdAt: new Date(), state: "complete" },
    });
    const res = await call("spikeRules.spikes", "query", { fromNs: "0", toNs: "5000" }, { cookie: users.viewer, db: t.db });
    expect(res.status).toBe(200);
    const spikes = (res.body as { result: { data: { json: Array<{ id: number; archive: { id: number } | null }> } } }).result.data.json;
    expect(spikes.map((s) => [s.id, s.archive?.id ?? null])).toEqual([
      [b.id, archive.id],
      [a.id, null],
    ]);
    const of = await call("spikeRules.ofArchive", "query", { id: archive.id }, { cookie: users.viewer, db: t.db });
    expect(JSON.stringify(of.body)).toContain(`"id":${b.id}`);
  });
});
