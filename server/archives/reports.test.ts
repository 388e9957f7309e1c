process.env.TZ = "UTC";
/**
 * The automatic report, built in the real worker pool and stored in a real SQLite file:
 * kernel archives get lttng-analyses' own tables (compared with its recorded output), UST
 * archives the period analyses of their duration fields, every archive its events per name
 * (compared with babeltrace2) and per process.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLamiJson } from "../analysis/lami/json";
import { executeAnalysis } from "../analysis/job";
import type { AnalysisName } from "../analysis/catalog";
import { closeAnalysisPool, runAnalysis } from "../analysis/worker-pool";
import { diff, readFixture } from "../analysis/testing/oracle";
import { babeltraceLines, countByName } from "../testing/babeltrace";
import { tempDb } from "../testing/db";
import { recordTrace } from "../testing/record";
import { TRACES } from "../testing/shared";
import type { ArchiveReportDoc } from "./report";
import { ReportQueue } from "./reports";

const t = tempDb();
let dir: string;
let ust: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "td-reports-"));
  ust = (
    await recordTrace({
      name: "report",
      events: ["tracedeck_demo:*"],
      contexts: ["vpid", "procname"],
      workload: ["--rate", "800", "--threads", "2", "--duration", "1", "--slow-every", "100", "--slow-ms", "2"],
      outDir: dir,
    })
  ).path;
});

afterAll(async () => {
  await closeAnalysisPool();
  await t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function archiveRow(path: string, session: string): Promise<number> {
  const r = await t.db.archive.create({ data: { path, root: path, session, kind: "session", state: "complete", createdAt: new Date() }, select: { id: true } });
  return r.id;
}

function section(doc: ArchiveReportDoc, analysis: string) {
  const s = doc.sections.find((x) => x.analysis === analysis);
  if (!s) throw new Error(`no ${analysis} section in ${doc.sections.map((x) => x.analysis).join(", ")}`);
  return { ...s, tables: doc.results.slice(s.first, s.first + s.count) };
}

function perName(doc: ArchiveReportDoc): Map<string, number> {
  const table = section(doc, "summary").tables.find((x) => typeof x.class === "object" && x.class.title === "Events per name")!;
  return new Map(table.data.map((row) => [(row[0] as { value: string }).value, (row[1] as { value: number }).value]));
}

describe("ReportQueue", () => {
  it("reports a kernel archive with lttng-analyses' I/O, syscall, CPU and sched tables and babeltrace2's counts", async () => {
    const path = join(TRACES, "tc-many-threads");
    const id = await archiveRow(path, "tc-many-threads");
    const done: number[] = [];
    const q = new ReportQueue({ db: t.db, onDone: (x) => done.push(x) });
    await q.enqueue(id);
    expect((await t.db.archive.findUniqueOrThrow({ where: { id } })).reportState).toMatch(/queued|running/);
    await q.idle();
    expect(done).toEqual([id]);
    const row = await t.db.archive.findUniqueOrThrow({ where: { id }, include: { report: true } });
    expect(row.reportState).toBe("done");
    const doc = parseLamiJson(row.report!.lami) as ArchiveReportDoc;
    expect(doc["mi-version"]).toEqual({ major: 1, minor: 0 });
    for (const [analysis, fixture] of [
      ["iolatencystats", "iolatencystats.json"],
      ["iolatencyfreq", "iolatencyfreq.json"],
      ["cputop", "cputop.json"],
      ["schedtop", "schedtop.json"],
    ] as const) {
      const s = section(doc, analysis);
      expect(s.error).toBeUndefined();
      const expected = readFixture(`tc-many-threads/${fixture}`) as { results: unknown[] };
      expect(diff(s.tables, expected.results), analysis).toBeNull();
    }
    // Where lttng-analyses has a documented bug (DEVIATIONS.md: limit + 1 rows, return-value
    // counts one too high), compare with the Analyze page's run of the same analysis.
    for (const analysis of ["iolatencytop", "syscallstats"] as const) {
      const direct = await runAnalysis({ analysis, options: {}, paths: [path] });
      expect(diff(section(doc, analysis).tables, direct.results), analysis).toBeNull();
    }
    const bt = countByName(await babeltraceLines(path));
    expect(perName(doc)).toEqual(bt);
    expect(doc.summary.events).toBe(240_644);
  });

  it("reports a UST archive with the period analyses of its latency field and events per process", async () => {
    const id = await archiveRow(ust, "ust");
    const q = new ReportQueue({ db: t.db });
    await q.enqueue(id);
    await q.idle();
    const row = await t.db.archive.findUniqueOrThrow({ where: { id }, include: { report: true } });
    expect(row.reportState).toBe("done");
    const doc = parseLamiJson(row.report!.lami) as ArchiveReportDoc;
    expect(doc.summary.durationFields).toEqual(["tracedeck_demo:io.latency_ns", "tracedeck_demo:request_end.latency_ns"]);
    const stats = section(doc, "periodstats");
    expect(stats.options).toEqual({ durationField: "tracedeck_demo:io.latency_ns" });
    // The same execution path as the Analyze page: the same tables.
    const direct = await runAnalysis({ analysis: "periodstats", options: { durationField: "tracedeck_demo:request_end.latency_ns" }, paths: [ust] });
    const endStats = doc.sections.filter((s) => s.analysis === "periodstats" && s.options.durationField === "tracedeck_demo:request_end.latency_ns");
    expect(endStats).toHaveLength(1);
    expect(diff(doc.results.slice(endStats[0]!.first, endStats[0]!.first + endStats[0]!.count), direct.results)).toBeNull();
    // One pass of the reader feeds every analysis of the report: each section equals a run of
    // that analysis alone, on its own reader (which decodes only the events it reads).
    const analyses = doc.sections.filter((s) => s.analysis !== "summary");
    expect(analyses.map((s) => s.analysis)).toEqual(["periodstats", "periodtop", "periodfreq", "periodstats", "periodtop", "periodfreq"]);
    for (const s of analyses) {
      expect(s.error).toBeUndefined();
      const alone = executeAnalysis({ analysis: s.analysis as AnalysisName, options: s.options, paths: [ust] });
      expect(alone.results.length, `${s.analysis} ${s.options.durationField}`).toBeGreaterThan(0);
      expect(diff(doc.results.slice(s.first, s.first + s.count), alone.results), `${s.analysis} ${s.options.durationField}`).toBeNull();
    }
    expect(perName(doc)).toEqual(countByName(await babeltraceLines(ust)));
    const procs = section(doc, "summary").tables.find((x) => typeof x.class === "object" && x.class.title === "Events per process")!;
    expect(procs.data).toHaveLength(1);
    expect(procs.data[0]![0]).toMatchObject({ class: "process", name: "tracedeck-demo" });
    expect((procs.data[0]![1] as { value: number }).value).toBe(doc.summary.events);
  });

  it("marks a report failed with the reader's message when the archive is not a trace any more, and resumes queued reports", async () => {
    const gone = mkdtempSync(join(tmpdir(), "td-reports-gone-"));
    rmSync(gone, { recursive: true });
    const id = await archiveRow(gone, "gone");
    const idle = await archiveRow(join(ust, "ust"), "ust-again");
    await t.db.archive.update({ where: { id: idle }, data: { reportState: "running" } });
    const q = new ReportQueue({ db: t.db });
    await q.enqueue(id);
    // The server stopped while `idle` was being reported: resume() queues it again.
    await q.resume();
    expect(q.status().queued.concat(q.status().running)).toEqual(expect.arrayContaining([id, idle]));
    expect(q.status().running.length).toBeLessThanOrEqual(1);
    await q.idle();
    const failed = await t.db.archive.findUniqueOrThrow({ where: { id } });
    expect(failed.reportState).toBe("failed");
    expect(failed.reportError).toMatch(/Cannot read the archive as CTF/);
    expect((await t.db.archive.findUniqueOrThrow({ where: { id: idle } })).reportState).toBe("done");
  });
});
