/**
 * Running an analysis in a test as the CLI and the worker do: the trace opened with only
 * the classes the run reads decoded (eventsNeeded), closed afterwards.
 */
import { openTraceSet } from "../../ctf";
import type { AnalysisOptions } from "../options";
import type { AnalysisName } from "../catalog";
import { eventsNeeded } from "../events-needed";
import { runAnalysisOnSource, type RunOutput } from "../run-on-source";
import { parseAnalyzeArgs } from "../cli-args";

export function analyzeTrace(path: string, name: AnalysisName, opts: AnalysisOptions): RunOutput {
  const set = openTraceSet([path], { events: eventsNeeded(name, opts) });
  try {
    return runAnalysisOnSource(name, opts, set);
  } finally {
    set.close();
  }
}

/** The same, with options spelled as on lttng-analyses' command line. */
export function analyzeWithArgs(path: string, name: AnalysisName, args: string[]): RunOutput {
  return analyzeTrace(path, name, parseAnalyzeArgs([name, ...args]).opts);
}
