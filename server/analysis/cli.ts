/**
 * `tracedeck analyze`: parses lttng-analyses-style arguments, runs the analysis in
 * this thread through the worker's own execution path (job.ts runAnalysisJob; a CLI
 * run is one job, so it needs no pool),
 * and prints LAMI JSON (--mi), LAMI metadata (--metadata) or text tables.
 */
import { analyzeUsage, parseAnalyzeArgs } from "./cli-args";
import { AnalysisError } from "./errors";
import { openAnalysisTraces, runAnalysisJob } from "./job";
import { toLamiJson, writeLamiJson } from "./lami/json";
import { formatTimestamp, renderText } from "./lami/text";
import { analysisMetadata } from "./catalog";
import { toEpochNs } from "../time";

export interface CliIo {
  out(s: string): void;
  err(s: string): void;
}

const stdio: CliIo = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};

/** Returns the exit code; errors go out as LAMI error objects in --mi mode, as lttng-analyses does. */
export async function analyzeCli(argv: string[], io: CliIo = stdio): Promise<number> {
  let args;
  try {
    args = parseAnalyzeArgs(argv);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (argv.includes("--mi")) io.out(toLamiJson({ "error-message": `Command line error: ${msg}` }) + "\n");
    else io.err(`tracedeck analyze: ${msg}\n${analyzeUsage()}`);
    return 2;
  }
  if (args.help) {
    io.out(analyzeUsage());
    return 0;
  }
  if (args.miVersion) {
    io.out("1.0\n");
    return 0;
  }
  if (args.metadata) {
    io.out(toLamiJson(analysisMetadata(args.name)) + "\n");
    return 0;
  }
  const fail = (msg: string, code: number): number => {
    if (args.mi) io.out(toLamiJson({ "error-message": msg }) + "\n");
    else io.err(`${msg}\n`);
    return code;
  };
  if (args.paths.length === 0) return fail("Command line error: Please specify a trace path", 2);
  let set;
  try {
    set = openAnalysisTraces({ analysis: args.name, options: args.opts, paths: args.paths });
  } catch (e) {
    return fail(`Error: Cannot open trace: ${e instanceof Error ? e.message : String(e)}`, 1);
  }
  try {
    if (set.traces.length === 0) return fail(`Error: Failed to open ${args.paths.join(" ")}`, 1);
    // Trace Compass asks this first; lttng-analyses then only opens the trace.
    if (args.mi && args.opts.testCompatibility === true) return 0;
    const progress = args.mi && args.outputProgress;
    const begin = set.beginTs;
    const span = progress ? Math.max(1, set.endTs - begin) : 1;
    const clock = (ts: number) => formatTimestamp(toEpochNs(set.originNs, ts));
    // lttng-analyses' MiProgress lines: "<fraction> <message>", then "1 Done!".
    if (progress) io.out(`0 Starting analysis from ${clock(begin)} to ${clock(begin + span)}\n`);
    const { result, tables } = runAnalysisJob(
      set,
      { analysis: args.name, options: args.opts, paths: args.paths },
      {
        onProgress: progress
          ? (p) => {
              const at = Math.min(1, Math.max(0, (p.ts - begin) / span));
              io.out(`${Math.round(at * 10_000) / 10_000} ${clock(p.ts)}/${clock(begin + span)}; ${p.events} events processed\n`);
            }
          : undefined,
      },
    );
    if (progress) io.out("1 Done!\n");
    if (args.mi) {
      writeLamiJson({ results: result.results }, (text) => io.out(text));
      io.out("\n");
    } else {
      if (result.discarded > 0) io.err(`Warning: the tracer discarded ${result.discarded} events\n`);
      const first = tables[0];
      const multiDay =
        first !== undefined && new Date(Number(first.begin / 1_000_000n)).toDateString() !== new Date(Number(first.end / 1_000_000n)).toDateString();
      io.out(renderText(tables, { multiDay }));
    }
    return 0;
  } catch (e) {
    if (e instanceof AnalysisError && e.code === "INVALID_ARGUMENTS") return fail(`Command line error: ${e.message}`, 2);
    if (e instanceof AnalysisError && e.code === "NO_INTERSECTION") return fail(`Error: ${e.message}`, 1);
    return fail(`Error: Cannot run analysis: ${e instanceof Error ? e.message : String(e)}`, 1);
  } finally {
    set.close();
  }
}
