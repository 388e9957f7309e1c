/**
 * The analyses and traces routers through createCaller, on a real database and the shared
 * kernel trace tc-many-threads, against lttng-analyses 0.6.1's committed outputs.
 */
process.env.TZ = "UTC";
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Real path: the server answers with resolved directories (shared/ may be a link to elsewhere).
const SHARED = realpathSync(TRACES);
const dataDir = mkdtempSync(join(tmpdir(), "td-analyses-router-"));
// config() reads the environment on first use, which comes after these lines.
process.env.TRACEDECK_DATA_DIR = dataDir;
process.env.TRACEDECK_TRACE_ROOTS = SHARED;

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analysisCatalog, closeAnalysisPool, runAnalysis, type LamiMetadata } from "../../analysis";
import { parseAnalyzeArgs } from "../../analysis/cli-args";
import { diff, readFixture } from "../../analysis/testing/oracle";
import { bootstrapAdmin } from "../../auth/bootstrap";
import { SESSION_COOKIE } from "../../auth/sessions";
import { tempDb } from "../../testing/db";
import { createContext } from "../init";
import { createCaller } from "../root";
import { joinResultParts, RESULT_PART_CHARS, type AnalysisStreamEvent, type WireTable, type WireValue } from "./analyses";
import { TRACES } from "../../testing/shared";

const t = tempDb();
let cookie = "";

async function caller(opts: { signal?: AbortSignal; anonymous?: boolean } = {}) {
  const headers = new Headers(opts.anonymous === true ? {} : { cookie });
  return createCaller(await createContext({ headers, resHeaders: new Headers(), db: t.db }), { signal: opts.signal });
}

beforeAll(async () => {
  await bootstrapAdmin(t.db, "router test password");
  const resHeaders = new Headers();
  const anon = createCaller(await createContext({ headers: new Headers(), resHeaders, db: t.db }));
  await anon.auth.login({ username: "admin", password: "router test password" });
  cookie = `${SESSION_COOKIE}=${/td_session=([^;]*)/.exec(resHeaders.get("set-cookie") ?? "")?.[1] ?? ""}`;
});

afterAll(async () => {
  await closeAnalysisPool();
  await t.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

async function collect(it: AsyncIterable<AnalysisStreamEvent>): Promise<AnalysisStreamEvent[]> {
  const out: AnalysisStreamEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

/** The wire cell back as LAMI (timestamps as bigint), to compare with the fixtures. */
function toLami(v: WireValue): unknown {
  if (v === null) return null;
  if (v.class === "timestamp") return { class: "timestamp", value: BigInt(v.value) };
  if (v.class === "time-range")
    return { class: "time-range", begin: { class: "timestamp", value: BigInt(v.begin) }, end: { class: "timestamp", value: BigInt(v.end) } };
  return v;
}

function decode(t: WireTable): { rows: WireValue[][]; ranges: ([string, string] | null)[] } {
  const rows = JSON.parse(t.rowsJson) as WireValue[][];
  const ranges = JSON.parse(t.rangesJson) as ([string, string] | null)[];
  expect(rows).toHaveLength(t.rowCount);
  expect(ranges).toHaveLength(t.rowCount);
  return { rows, ranges };
}

type Fixture = { results: { class: { inherit: string; title: string }; data: unknown[][] }[] };

describe("traces router", () => {
  it("lists the shared traces and refuses paths outside the roots", async () => {
    const c = await caller();
    const cat = await c.traces.list();
    expect(cat.sessions.map((s) => s.name)).toContain("tc-many-threads");
    expect(await c.traces.resolve({ path: "tc-many-threads" })).toEqual({ path: join(SHARED, "tc-many-threads") });
    await expect(c.traces.resolve({ path: "../lttng-mi" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(c.traces.resolve({ path: "/etc" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(c.traces.resolve({ path: "no-such-trace" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect((await caller({ anonymous: true })).traces.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("analyses router", () => {
  it("describes each analysis's form with exactly the options lttng-analyses' command line accepts", async () => {
    const list = await (await caller()).analyses.list();
    expect(list.map((a) => a.name)).toContain("periodfreq");
    for (const a of list) {
      for (const f of a.fields) {
        const value = f.choices?.[0] ?? (f.kind === "integer-list" || f.kind === "integer" || f.kind === "number" ? "1" : "x");
        const arg = f.kind === "boolean" ? [f.flag] : [f.flag, value];
        expect(() => parseAnalyzeArgs([a.name, "trace", ...arg]), `${a.name} ${f.flag}`).not.toThrow();
      }
    }
    // Every option the analysis reads has a field, and no other.
    for (const a of analysisCatalog()) {
      expect(
        list
          .find((d) => d.name === a.name)!
          .fields.map((f) => f.key)
          .sort(),
        a.name,
      ).toEqual([...a.options].sort());
    }
    const io = list.find((a) => a.name === "iolatencytop")!;
    expect(io.fields.map((f) => f.key)).toEqual(expect.arrayContaining(["begin", "end", "cpu", "min", "max", "limit", "freqResolution", "freqUniform"]));
    // --period is accepted everywhere but only in view for the period analyses.
    expect(io.fields.find((f) => f.key === "period")).toMatchObject({ advanced: true });
    // Types and bounds come from the request schema.
    expect(io.fields.find((f) => f.key === "limit")).toMatchObject({ kind: "integer", minimum: 1, maximum: 100_000 });
    expect(io.fields.find((f) => f.key === "cpu")).toMatchObject({ kind: "integer-list" });
    const sched = list.find((a) => a.name === "schedtop")!;
    expect(sched.fields.map((f) => f.key)).toEqual(expect.arrayContaining(["tid", "procname", "perPrio"]));
    // Options an analysis's command line refuses are not offered.
    expect(() => parseAnalyzeArgs(["syscallstats", "trace", "--limit", "3"])).toThrow();
    expect(list.find((a) => a.name === "syscallstats")!.fields.map((f) => f.key)).not.toContain("limit");
    const period = list.find((a) => a.name === "periodlog")!;
    expect(period.fields.find((f) => f.key === "period")).toMatchObject({ kind: "lines", flag: "--period", advanced: false });
    expect(period.fields.find((f) => f.key === "orderBy")).toMatchObject({ kind: "enum", choices: ["time", "hierarchy"] });
  });

  it("streams progress then lttng-analyses' iolatencytop tables, with columns from the metadata and row ranges from the analysis", async () => {
    const events = await collect(await (await caller()).analyses.run({ trace: "tc-many-threads", analysis: "iolatencytop", options: { limit: 3 } }));
    expect(events[0]).toEqual({ type: "started", trace: join(SHARED, "tc-many-threads") });
    const progress = events.filter((e) => e.type === "progress");
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual({ type: "progress", events: 240_644, fraction: 1 });
    const last = events.at(-1)!;
    if (last.type !== "result") throw new Error(`no result: ${JSON.stringify(last)}`);
    const r = joinResultParts(events)!;
    expect(r.events).toBe(240_644);

    const expected = readFixture("tc-many-threads/iolatencytop__limit3.json") as Fixture;
    const meta = readFixture("metadata/iolatencytop.json") as LamiMetadata;
    expect(r.tables).toHaveLength(expected.results.length);
    r.tables.forEach((t, i) => {
      const table = { ...t, ...decode(t) };
      const exp = expected.results[i]!;
      expect(table.className).toBe(exp.class.inherit);
      expect(table.title).toBe(exp.class.title);
      expect(table.kind).toBe("table");
      expect(table.columns).toEqual(meta["table-classes"][exp.class.inherit]?.["column-descriptions"]);
      // lttng-analyses prints --limit N + 1 rows; Tracedeck prints N (server/analysis/DEVIATIONS.md).
      expect(
        diff(
          table.rows.map((row) => row.map(toLami)),
          exp.data.slice(0, 3),
        ),
      ).toBeNull();
      // Each top-syscall row's range is its call's time range.
      table.rows.forEach((row, j) => {
        const cell = row[0];
        if (cell?.class !== "time-range") throw new Error("first cell is not a time range");
        expect(table.ranges[j]).toEqual([cell.begin, cell.end]);
      });
    });
  });

  it("sends a big result (syscallstats: thousands of tables) as JSON text in slices that join into the whole view", async () => {
    const events = await collect(await (await caller()).analyses.run({ trace: "tc-many-threads", analysis: "syscallstats", options: {} }));
    const parts = events.filter((e) => e.type === "result-part");
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.json.length).toBe(RESULT_PART_CHARS);
    const view = joinResultParts(events)!;
    expect(view.analysis).toBe("syscallstats");
    expect(view.events).toBe(240_644);
    const direct = await runAnalysis({ analysis: "syscallstats", options: {}, paths: [join(SHARED, "tc-many-threads")] });
    expect(view.tables).toHaveLength(direct.results.length);
    expect(view.tables.map((t) => t.rowCount)).toEqual(direct.results.map((t) => t.data.length));
  });

  it("classifies the histogram tables of iolatencyfreq and matches lttng-analyses' buckets", async () => {
    const events = await collect(await (await caller()).analyses.run({ trace: "tc-many-threads", analysis: "iolatencyfreq", options: {} }));
    const last = events.at(-1)!;
    if (last.type !== "result") throw new Error("no result");
    const expected = readFixture("tc-many-threads/iolatencyfreq.json") as Fixture;
    expect(joinResultParts(events)!.tables.map((x) => x.kind)).toEqual(expected.results.map(() => "freq"));
    joinResultParts(events)!.tables.forEach((t, i) => {
      const table = decode(t);
      expect(
        diff(
          table.rows.map((row) => row.map(toLami)),
          expected.results[i]!.data,
        ),
      ).toBeNull();
    });
  });

  it("classifies periodfreq --freq-series tables (bucket bounds, then a count column per group) as histograms", async () => {
    const options = {
      period: ['sw:$evt.$name == "sched_switch" : $evt.$name == "sched_switch" && $evt.cpu_id == $begin.$evt.cpu_id'],
      periodCaptures: ["sw:cpu=$evt.cpu_id"],
      groupBy: "sw.cpu",
      freqSeries: true,
      freqResolution: 5,
    };
    const events = await collect(await (await caller()).analyses.run({ trace: "tc-many-threads", analysis: "periodfreq", options }));
    const last = events.at(-1)!;
    if (last.type !== "result") throw new Error(`no result: ${JSON.stringify(last)}`);
    const series = joinResultParts(events)!.tables.filter((t) => t.className === "inline");
    expect(series).toHaveLength(1);
    const t = series[0]!;
    expect(t.kind).toBe("freq");
    // tc-many-threads has 8 CPUs: one series per captured cpu.
    expect(t.columns.map((c) => c.title).slice(0, 2)).toEqual(["Duration (lower bound)", "Duration (upper bound)"]);
    expect(
      t.columns
        .slice(2)
        .map((c) => c.title)
        .sort(),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((c) => `sw.cpu = ${c}`));
    const { rows } = decode(t);
    expect(rows).toHaveLength(5);
    // Every switch but each CPU's last begins a period that ends: the series add up to the periods.
    const total = rows.reduce((sum, row) => sum + row.slice(2).reduce((a, v) => a + (v !== null && v.class === "number" ? (v.value ?? 0) : 0), 0), 0);
    expect(total).toBe(28_325 - 8);
    // The per-group tables are histograms too.
    expect(
      joinResultParts(events)!
        .tables.filter((x) => x.className !== "inline")
        .every((x) => x.kind === "freq"),
    ).toBe(true);
  });

  it("refuses traces outside the roots and invalid options before running anything", async () => {
    const c = await caller();
    // A link inside a root (the data dir's traces/) pointing outside every root, at a real
    // trace: refused for where it leads, not for being missing.
    const outside = mkdtempSync(join(tmpdir(), "td-outside-root-"));
    const link = join(dataDir, "traces", "escape");
    try {
      cpSync(join(TRACES, "tc-flipping-endianness"), join(outside, "x"), { recursive: true });
      mkdirSync(join(dataDir, "traces"), { recursive: true });
      symlinkSync(outside, link);
      // Enough `..` to reach /etc (which exists) from any root.
      await expect(collect(await c.analyses.run({ trace: "../../../../../../../../etc", analysis: "cputop", options: {} }))).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      for (const trace of [join(link, "x"), join(link, "x", "kernel"), "escape/x"])
        await expect(collect(await c.analyses.run({ trace, analysis: "cputop", options: {} }))).rejects.toMatchObject({ code: "FORBIDDEN" });
    } finally {
      rmSync(link, { force: true });
      rmSync(outside, { recursive: true, force: true });
    }
    await expect(c.analyses.run({ trace: "tc-many-threads", analysis: "cputop", options: { limit: 0 } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(c.analyses.run({ trace: "tc-many-threads", analysis: "nope" as never, options: {} })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(c.analyses.run({ trace: "tc-many-threads", analysis: "cputop", options: { rm: "-rf" } as never })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect((await caller({ anonymous: true })).analyses.run({ trace: "tc-many-threads", analysis: "cputop", options: {} })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });

  it("reports an analysis error as a message for the user", async () => {
    const c = await caller();
    await expect(collect(await c.analyses.run({ trace: "tc-many-threads", analysis: "cputop", options: { begin: "not a time" } }))).rejects.toMatchObject({
      code: "UNPROCESSABLE_CONTENT",
      message: expect.stringMatching(/^Analysis failed: /),
    });
  });

  it("stops the worker when the client goes away: no result after the abort", async () => {
    const ac = new AbortController();
    const it = await (await caller({ signal: ac.signal })).analyses.run({ trace: "tc-many-threads", analysis: "iolog", options: {} });
    const seen: AnalysisStreamEvent["type"][] = [];
    for await (const e of it) {
      seen.push(e.type);
      if (e.type === "started") ac.abort();
    }
    expect(seen).toEqual(["started"]);
  });
});
