/**
 * `tracedeck archives list|show|report|download|rm` and `tracedeck record`: the same index,
 * rescan, report and delete code as the server. The CLI runs archive work in-process (the
 * worker's own function): it has no event loop to keep free. Archives the server has not
 * indexed (it is not running) are found by the same rescan it does at start-up.
 */
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { audit } from "../audit";
import { config } from "../config";
import { db as defaultDb, type Db } from "../db";
import { toLamiJson } from "../analysis/lami/json";
import type { LamiResults, LamiValue } from "../analysis/lami/types";
import { lttng } from "../lttng/instance";
import runTask from "./archive.worker";
import { evaluateCondition, parseCondition, ConditionError, type Condition } from "./condition";
import { packTraceDir } from "./download";
import { ArchiveIndexer } from "./indexer";
import { lttngViewOf } from "./lttng-view";
import type { ArchiveReportDoc } from "./report";
import { ReportQueue } from "./reports";
import { deleteArchive } from "./retention";
import { ArchiveError, archiveDir, getArchiveReport, getArchiveRow, listIndexedArchives, type ArchiveRow } from "./store";

export interface CliIo {
  out(s: string): void;
  err(s: string): void;
  /** Where `download` writes when no -o is given. */
  stdout: NodeJS.WritableStream;
}

const defaultIo: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), stdout: process.stdout };

export const ARCHIVES_USAGE = `usage: tracedeck archives list [--json] [--session S] [--kind snapshot|rotation|session] [--limit N] [--no-scan]
       tracedeck archives show ID [--json]
       tracedeck archives report ID          the report as LAMI 1.0 JSON (built now if missing)
       tracedeck archives download ID [-o FILE]   .tar.gz of the archive to stdout or FILE
       tracedeck archives rm ID --yes        delete the archive's directory and its row
`;

export const RECORD_USAGE = `usage: tracedeck record --profile NAME [--fail-if 'p99(request_end.latency_ns) > 50ms']... -- COMMAND [ARGS...]
  Creates a session from the saved profile NAME, records while COMMAND runs, stores the trace as
  an archive with its report, prints the report, and exits non-zero when COMMAND fails or a
  --fail-if condition holds. Destroys only the session it created; the trace stays.
`;

class CliUsage extends Error {}

const inProcess = async (t: Parameters<typeof runTask>[0]) => runTask(t);

/** The archive row as `list --json` prints it: numbers where exact, epoch ns as strings. */
function jsonRow(a: ArchiveRow) {
  return {
    id: a.id,
    path: a.path,
    session: a.session,
    host: a.host,
    kind: a.kind,
    cause: a.cause,
    domains: a.domains === "" ? [] : a.domains.split(","),
    state: a.state,
    error: a.error,
    bytes: Number(a.bytes),
    files: a.fileCount,
    events: a.events === null ? null : Number(a.events),
    discarded: a.discarded === null ? null : Number(a.discarded),
    lostPackets: a.lostPackets === null ? null : Number(a.lostPackets),
    firstEventNs: a.firstEventNs?.toString() ?? null,
    lastEventNs: a.lastEventNs?.toString() ?? null,
    createdAt: a.createdAt.toISOString(),
    report: a.reportState,
  };
}

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith("--")) throw new CliUsage(`${name} needs a value`);
  return v;
}

function idArg(v: string | undefined): number {
  if (v === undefined || !/^\d{1,9}$/.test(v) || Number(v) === 0)
    throw new CliUsage(`give the archive's id (a positive number, see 'tracedeck archives list'), not '${v ?? ""}'`);
  return Number(v);
}

function indexer(db: Db, inlineReports = false): ArchiveIndexer {
  return new ArchiveIndexer({ db, roots: () => config().archiveRoots, settleMs: 0, runTask: inProcess, lttng: lttngViewOf(lttng().controller), inlineReports });
}

async function buildReport(db: Db, id: number): Promise<void> {
  const q = new ReportQueue({ db, runTask: inProcess });
  await q.enqueue(id);
  await q.idle();
}

export async function archivesCli(argv: string[], io: CliIo = defaultIo, db: Db = defaultDb()): Promise<number> {
  const [verb, ...rest] = argv;
  try {
    switch (verb) {
      case "list": {
        if (!rest.includes("--no-scan")) await indexer(db).scan();
        const limit = Number(option(rest, "--limit") ?? "100");
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new CliUsage("--limit is 1 to 100");
        const kind = option(rest, "--kind");
        if (kind !== undefined && !["snapshot", "rotation", "session"].includes(kind)) throw new CliUsage("--kind is snapshot, rotation or session");
        const r = await listIndexedArchives(db, { session: option(rest, "--session"), kind: kind as "snapshot" | undefined, pageSize: limit });
        if (rest.includes("--json")) io.out(JSON.stringify(r.archives.map(jsonRow), null, 2) + "\n");
        else {
          for (const a of r.archives.map(jsonRow)) {
            io.out(
              `${String(a.id).padStart(6)}  ${a.createdAt.slice(0, 19)}  ${a.kind.padEnd(8)}  ${a.state.padEnd(8)}  ${String(a.events ?? "-").padStart(9)} ev  ${a.session}  ${a.path}\n`,
            );
          }
          io.out(`${r.total} archive(s)${r.total > r.archives.length ? `, ${r.archives.length} shown` : ""}\n`);
        }
        return 0;
      }
      case "show": {
        const row = await getArchiveRow(db, idArg(rest[0]));
        const report = await getArchiveReport(db, row.id);
        const out = {
          ...jsonRow(row),
          reportSections: report?.doc.sections.map((s) => ({ analysis: s.analysis, title: s.title, tables: s.count, error: s.error ?? null })) ?? [],
        };
        if (rest.includes("--json")) io.out(JSON.stringify(out, null, 2) + "\n");
        else for (const [k, v] of Object.entries(out)) io.out(`${k}: ${typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}\n`);
        return 0;
      }
      case "report": {
        const id = idArg(rest[0]);
        let report = await getArchiveReport(db, id);
        if (!report) {
          const row = await getArchiveRow(db, id);
          if (row.state !== "complete") throw new ArchiveError("BUSY", `Archive ${id} is ${row.state}: only a complete archive gets a report.`);
          await buildReport(db, id);
          report = await getArchiveReport(db, id);
          if (!report)
            throw new ArchiveError(
              "NOT_FOUND",
              `Archive ${id}: the report could not be built: ${(await getArchiveRow(db, id)).reportError ?? "unknown reason"}`,
            );
        }
        io.out(toLamiJson(report.doc as unknown as LamiResults) + "\n");
        return 0;
      }
      case "download": {
        const row = await getArchiveRow(db, idArg(rest[0]));
        const dir = await archiveDir(row);
        const file = option(rest, "-o");
        await pipeline(packTraceDir(dir), file === undefined ? io.stdout : createWriteStream(file));
        if (file !== undefined) io.err(`wrote ${file}\n`);
        return 0;
      }
      case "rm": {
        const id = idArg(rest[0]);
        if (!rest.includes("--yes")) throw new CliUsage("rm deletes the archive's files: confirm with --yes");
        // Reports the CLI builds run in this process and are done before it returns.
        const d = await deleteArchive(db, id, { isBusy: () => false });
        await audit(db, null, "cli.archives.rm", { id }, true, `Deleted ${d.path} from the command line.`);
        io.out(`deleted archive ${id}: ${d.path}\n`);
        return 0;
      }
      case "--help":
      case "-h":
        io.out(ARCHIVES_USAGE);
        return 0;
      default:
        throw new CliUsage(verb === undefined ? "give a command" : `unknown command '${verb}'`);
    }
  } catch (e) {
    if (e instanceof CliUsage) {
      io.err(`tracedeck archives: ${e.message}\n${ARCHIVES_USAGE}`);
      return 2;
    }
    if (e instanceof ArchiveError) {
      io.err(`tracedeck archives: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

function cellText(v: LamiValue): string {
  if (v === null) return "";
  switch (v.class) {
    case "duration":
      return `${(v.value / 1e3).toFixed(3)} us`;
    case "timestamp":
      return v.value.toString();
    case "number":
      return String(v.value ?? "");
    case "string":
      return v.value;
    case "process":
      return `${v.name ?? ""}${v.pid !== undefined ? ` (${v.pid})` : ""}`;
    default:
      return "value" in v ? String(v.value) : JSON.stringify(v);
  }
}

/** A compact text rendering of a report: the summary and the first rows of each analysis. */
export function reportText(doc: ArchiveReportDoc): string {
  const s = doc.summary;
  const lines = [
    `events: ${s.events}  discarded: ${s.discarded}  lost packets: ${s.lostPackets}`,
    `span: ${s.firstEventNs ?? "-"} .. ${s.lastEventNs ?? "-"} (${s.firstEventNs !== null && s.lastEventNs !== null ? Number(s.lastEventNs - s.firstEventNs) / 1e9 : 0} s)`,
    ...s.perName.slice(0, 10).map((n) => `  ${String(n.count).padStart(10)}  ${n.name}`),
  ];
  for (const sec of doc.sections) {
    if (sec.analysis === "summary") continue;
    lines.push("", `${sec.title} (${sec.analysis})${sec.error ? `: not available: ${sec.error}` : ""}`);
    for (const t of doc.results.slice(sec.first, sec.first + Math.min(sec.count, 2))) {
      for (const row of t.data.slice(0, 5)) lines.push(`  ${row.map(cellText).join("  ")}`);
    }
  }
  return lines.join("\n") + "\n";
}

function runCommand(cmd: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((done, fail) => {
    // An argument array, never a shell: the command runs exactly as given.
    const child = spawn(cmd[0]!, cmd.slice(1), { stdio: "inherit" });
    child.once("error", fail);
    child.once("close", (code, signal) => done({ code, signal }));
  });
}

export async function recordCli(argv: string[], io: CliIo = defaultIo, db: Db = defaultDb()): Promise<number> {
  const dash = argv.indexOf("--");
  const opts = dash < 0 ? argv : argv.slice(0, dash);
  const cmd = dash < 0 ? [] : argv.slice(dash + 1);
  let profile: string | undefined;
  const conditions: Condition[] = [];
  try {
    if (opts.includes("--help") || opts.includes("-h")) {
      io.out(RECORD_USAGE);
      return 0;
    }
    profile = option(opts, "--profile");
    if (profile === undefined || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(profile)) throw new CliUsage("give a saved profile with --profile NAME");
    opts.forEach((a, i) => {
      if (a === "--fail-if") conditions.push(parseCondition(option(opts.slice(i), "--fail-if")!));
    });
    if (cmd.length === 0) throw new CliUsage("give the command to record after --");
  } catch (e) {
    if (e instanceof CliUsage || e instanceof ConditionError) {
      io.err(`tracedeck record: ${e.message}\n${RECORD_USAGE}`);
      return 2;
    }
    throw e;
  }
  const ctl = lttng().controller;
  const name = `${profile.slice(0, 80)}-rec-${Date.now().toString(36)}`;
  await ctl.load({ session: profile, overrideName: name, overrideOutputDir: name });
  let run: { code: number | null; signal: NodeJS.Signals | null };
  let path: string;
  try {
    const st = await ctl.sessionState(name);
    path = st.session.path;
    if (!st.session.active) await ctl.start(name);
    io.err(`recording session ${name} to ${path}\n`);
    run = await runCommand(cmd);
    // `stop` returns once the buffers are flushed: the trace is complete after it.
    await ctl.stop(name);
  } finally {
    await ctl.destroy(name).catch((err: unknown) => io.err(`tracedeck record: cannot destroy ${name}: ${err instanceof Error ? err.message : String(err)}\n`));
  }
  // The trace is closed: index it and build its report in one pass.
  const ix = indexer(db, true);
  const id = await ix.indexNow(path, "manual");
  if (id === null) {
    io.err(`tracedeck record: ${path} holds no trace under the trace directories (did the command emit the profile's events?)\n`);
    return 1;
  }
  const row = await getArchiveRow(db, id);
  // Above INLINE_REPORT_MAX_BYTES the index read only the summary.
  if (row.state === "complete" && row.reportState !== "done") await buildReport(db, id);
  const report = await getArchiveReport(db, id);
  io.out(`archive ${id}: ${path}\n`);
  if (report) io.out(reportText(report.doc));
  else io.out(`no report: ${(await getArchiveRow(db, id)).reportError ?? row.error ?? row.state}\n`);
  let failed = false;
  for (const c of conditions) {
    const r = evaluateCondition(path, c);
    io.out(`fail-if ${c.text}: ${c.fn}=${r.actual ?? "no sample"} over ${r.samples} sample(s): ${r.holds ? "HOLDS" : "does not hold"}\n`);
    failed ||= r.holds;
  }
  if (run.code !== 0) {
    io.err(`tracedeck record: the command ${run.signal ? `was killed by ${run.signal}` : `exited with ${run.code}`}\n`);
    return run.code !== null && run.code !== 0 ? run.code : 1;
  }
  return failed ? 1 : 0;
}
