/**
 * The automatic report of one archive, built inside a worker thread: the summary tables
 * (events per name and per process, span and losses) from one pass of the CTF reader, then
 * the analyses that apply to the archive's domains, each through server/analysis's own
 * execution path (executeAnalysis). The result is one LAMI 1.0 document.
 */
import { executeAnalysis, type AnalysisResult } from "../analysis/job";
import type { AnalysisName } from "../analysis/catalog";
import type { AnalysisOptions } from "../analysis/options";
import type { LamiResultTable, LamiRow, LamiTimeRange } from "../analysis/lami/types";
import { summarizeArchive, type ArchiveSummary } from "./summary";

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
      { analysis: "periodtop", title: `${field}: top`, options: { durationField: field } },
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

/** Builds the whole report of `dir` (a directory already checked to be an archive under a root). */
export function buildArchiveReport(dir: string): ArchiveReportDoc {
  const t0 = performance.now();
  const summary = summarizeArchive(dir);
  const results = summaryTables(summary);
  const sections: ReportSection[] = [
    { analysis: "summary", title: "Summary", options: {}, first: 0, count: results.length, elapsedMs: performance.now() - t0 },
  ];
  for (const p of plannedAnalyses(summary)) {
    const t1 = performance.now();
    let r: AnalysisResult;
    try {
      r = executeAnalysis({ analysis: p.analysis, options: p.options, paths: [dir] });
    } catch (e) {
      // One analysis that cannot run (a trace without the events it needs) leaves the others.
      sections.push({ ...p, first: results.length, count: 0, error: e instanceof Error ? e.message : String(e), elapsedMs: performance.now() - t1 });
      continue;
    }
    sections.push({ ...p, first: results.length, count: r.results.length, elapsedMs: performance.now() - t1 });
    results.push(...r.results);
  }
  return { "mi-version": { major: 1, minor: 0 }, results, sections, summary };
}
