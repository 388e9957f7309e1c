import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDb } from "../testing/db";
import { spikesCli } from "./cli";

const t = tempDb();
let sourceId: number;
beforeAll(async () => {
  sourceId = (
    await t.db.latencySource.create({
      data: {
        name: "req",
        sessionName: "web",
        definition: JSON.stringify({ kind: "field", event: "tracedeck_demo:request_end", field: "latency_ns", unit: "ns" }),
      },
    })
  ).id;
});
afterAll(() => t.cleanup());

async function run(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await spikesCli(argv, { out: (s) => (out += s), err: (s) => (err += s) }, t.db);
  return { code, out, err };
}

describe("tracedeck spikes", () => {
  it("adds, lists, disables and removes a rule, auditing each change", async () => {
    const add = await run("add", "--name", "slow", "--source", String(sourceId), "--threshold", "50ms", "--snapshot", "web-snap", "--cooldown", "5000");
    expect(add).toMatchObject({ code: 0, err: "" });
    expect(add.out).toMatch(/slow {2}source \d+ > 50\.000 ms → snapshot web-snap {2}\[live, cooldown 5000 ms, ≤ 60\/h\]/);
    const list = await run("list", "--json");
    expect(JSON.parse(list.out)).toMatchObject([{ name: "slow", threshold: { kind: "absolute", ns: 50_000_000 }, enabled: true }]);
    expect((await run("disable", "slow")).out).toMatch(/ off {2}slow/);
    expect((await run("rm", "slow")).out).toBe("removed slow\n");
    expect((await run("list")).out).toBe("");
    const actions = (await t.db.auditEntry.findMany({ orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["cli.spikes.add", "cli.spikes.disable", "cli.spikes.rm"]);
  });

  it("explains bad input with exit code 2, and unknown rules with 1", async () => {
    const none = await run("add", "--name", "x", "--source", String(sourceId), "--snapshot", "s");
    expect([none.code, none.err]).toEqual([2, expect.stringContaining("give --threshold LATENCY or --p99 FACTOR")]);
    const trig = await run("add", "--name", "x", "--source", String(sourceId), "--p99", "3", "--snapshot", "s", "--trigger");
    expect([trig.code, trig.err]).toEqual([2, expect.stringContaining("threshold.kind: An LTTng trigger compares against a constant")]);
    const src = await run("add", "--name", "x", "--source", "999", "--threshold", "1ms", "--snapshot", "s");
    expect([src.code, src.err]).toEqual([2, expect.stringContaining("latency source 999 not found")]);
    const rm = await run("rm", "nope");
    expect([rm.code, rm.err]).toEqual([1, "tracedeck spikes: Spike rule nope not found\n"]);
  });
});
