/**
 * The automatic report of one archive, built inside a worker thread: the summary tables
 * (events per name and per process, span and losses) and the analyses that apply to the
 * archive's domains (server/analysis's AnalysisRun, the loop of every analysis run), all
 * fed by one pass of the CTF reader. The result is one LAMI 1.0 document.
 */
import { AnalysisRun, type RunOutput } from "../analysis/run-on-source";
import type { AnalysisName } from "../analysis/catalog";
import type { AnalysisOptions } from "../analysis/options";
import type { LamiResultTable, LamiRow, LamiTimeRange } from "../analysis/lami/types";
import { archiveKinds, asCorrupt, openArchive, SummaryCollector, type ArchiveSummary } from "./summary";

/** One analysis of the report: which tables of `results` it produced, or why it failed. */
export interface ReportSection {
  /** "summary" or an analysis name (iolatencystats, periodstats…). */
  analysis: string;
  title: string;
  options: AnalysisOptions;
  /** Index of its first table in `results` and how many it produced. */
  first: number;
  count: number;
  error?: string;
  /**
   * The summary's: the one pass of the reader that fed every section. An analysis's: the
   * time to end it and build its tables (its share of the pass is not measured apart).
   */
  elapsedMs: number;
}

/** LAMI 1.0 results plus the sections that say which analysis made which table. */
export interface ArchiveReportDoc {
  "mi-version": { major: 1; minor: 0 };
  results: LamiResultTable[];
  sections: ReportSection[];
  summary: ArchiveSummary;
}

interface Planned {
  analysis: AnalysisName;
  title: string;
  options: AnalysisOptions;
}

/**
 * Rows of a report's period "top" tables. More than an analysis's default 10: a spike's
 * snapshot may hold many slow requests of about the same latency, and the spike's own request
 * must be in the table for its report to rank it (server/spikes/store.ts).
 */
export const REPORT_TOP_ROWS = 100;

/** Kernel: I/O latency stats/top/freq, syscalls, CPU top, sched top. UST: periods of each duration field. */
export function plannedAnalyses(summary: Pick<ArchiveSummary, "domains" | "durationFields">): Planned[] {
  const out: Planned[] = [];
  if (summary.domains.includes("kernel")) {
    out.push(
      { analysis: "iolatencystats", title: "I/O latency statistics", options: {} },
      { analysis: "iolatencytop", title: "Top I/O latencies", options: {} },
      { analysis: "iolatencyfreq", title: "I/O latency distribution", options: {} },
      { analysis: "syscallstats", title: "System calls", options: {} },
      { analysis: "cputop", title: "Top CPU usage", options: {} },
      { analysis: "schedtop", title: "Top scheduling latencies", options: {} },
    );
  }
  // Bounded: a metadata file naming dozens of duration fields must not make a report of hundreds of analyses.
  for (const field of summary.durationFields.slice(0, 4)) {
    out.push(
      { analysis: "periodstats", title: `${field}: statistics`, options: { durationField: field } },
      { analysis: "periodtop", title: `${field}: top`, options: { durationField: field, limit: REPORT_TOP_ROWS } },
      { analysis: "periodfreq", title: `${field}: distribution`, options: { durationField: field } },
    );
  }
  return out;
}

const ts = (v: bigint) => ({ class: "timestamp" as const, value: v });

function summaryTables(s: ArchiveSummary): LamiResultTable[] {
  const range: LamiTimeRange = { class: "time-range", begin: ts(s.firstEventNs ?? 0n), end: ts(s.lastEventNs ?? 0n) };
  const span: LamiRow = [
    { class: "number", value: s.events },
    s.firstEventNs === null ? null : ts(s.firstEventNs),
    s.lastEventNs === null ? null : ts(s.lastEventNs),
    { class: "duration", value: s.firstEventNs === null || s.lastEventNs === null ? 0 : Number(s.lastEventNs - s.firstEventNs) },
    { class: "number", value: s.discarded },
    { class: "number", value: s.lostPackets },
  ];
  return [
    {
      class: {
        title: "Archive summary",
        "column-descriptions": [
          { title: "Events", class: "number" },
          { title: "First event", class: "timestamp" },
          { title: "Last event", class: "timestamp" },
          { title: "Span", class: "duration", unit: "ns" },
          { title: "Discarded events", class: "number" },
          { title: "Lost packets", class: "number" },
        ],
      },
      "time-range": range,
      data: [span],
    },
    {
      class: {
        title: "Events per name",
        "column-descriptions": [
          { title: "Event", class: "string" },
          { title: "Count", class: "number" },
        ],
      },
      "time-range": range,
      data: s.perName.map((r) => [
        { class: "string", value: r.name },
        { class: "number", value: r.count },
      ]),
    },
    {
      class: {
        title: "Events per process",
        "column-descriptions": [
          { title: "Process", class: "process" },
          { title: "Count", class: "number" },
        ],
      },
      "time-range": range,
      data: s.perProcess.slice(0, 100).map((r) => [
        { class: "process", ...(r.procname ? { name: r.procname } : {}), ...(r.pid !== null ? { pid: r.pid } : {}) },
        { class: "number", value: r.count },
      ]),
    },
  ];
}

interface Feed extends Planned {
  run: AnalysisRun | null;
  error?: string;
  output?: RunOutput;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Builds the whole report of `dir` (a directory already checked to be an archive under a
 * root) from one pass of the CTF reader: each event, decoded once, goes to the summary and
 * to every analysis of the report (each with its own state machine, as executeAnalysis runs
 * it). The analyses are the same code as the Analyze page's, fed the same events in the same
 * order, so their tables are the same as a run of each alone.
 */
export function buildArchiveReport(dir: string): ArchiveReportDoc {
  const t0 = performance.now();
  const set = openArchive(dir);
  try {
    const collector = new SummaryCollector();
    const feeds: Feed[] = plannedAnalyses(archiveKinds(set)).map((p) => {
      try {
        return { ...p, run: new AnalysisRun(p.analysis, p.options, set) };
      } catch (e) {
        // One analysis that cannot run (a trace without the span it needs) leaves the others.
        return { ...p, run: null, error: message(e) };
      }
    });
    let live = feeds.filter((f) => f.run !== null);
    try {
      set.forEach((item) => {
        collector.visit(item);
        let ended = false;
        for (const f of live) {
          try {
            if (!f.run!.visit(item)) ended = true;
          } catch (e) {
            f.error = message(e);
            f.run = null;
            ended = true;
          }
        }
        if (ended) live = finishEnded(live);
      });
    } catch (e) {
      throw asCorrupt(e);
    }
    const summary = collector.result(set);
    const passMs = performance.now() - t0;
    const results = summaryTables(summary);
    const sections: ReportSection[] = [{ analysis: "summary", title: "Summary", options: {}, first: 0, count: results.length, elapsedMs: passMs }];
    for (const f of feeds) {
      const t1 = performance.now();
      if (f.run !== null && f.output === undefined) finish(f);
      const base = { analysis: f.analysis, title: f.title, options: f.options, first: results.length };
      if (f.output === undefined) {
        sections.push({ ...base, count: 0, error: f.error ?? "no result", elapsedMs: performance.now() - t1 });
        continue;
      }
      sections.push({ ...base, count: f.output.results.length, elapsedMs: performance.now() - t1 });
      results.push(...f.output.results);
    }
    return { "mi-version": { major: 1, minor: 0 }, results, sections, summary };
  } finally {
    set.close();
  }
}

function finish(f: Feed): void {
  try {
    f.output = f.run!.finish();
  } catch (e) {
    f.error = message(e);
  }
  f.run = null;
}

/** Finishes the analyses that read no further (their tables are final) and keeps the others. */
function finishEnded(live: Feed[]): Feed[] {
  for (const f of live) if (f.run !== null && !f.run.wantsMore) finish(f);
  return live.filter((f) => f.run !== null);
}
