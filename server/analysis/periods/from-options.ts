/**
 * From a run's options to its period definitions (lttng-analyses' --period options, new
 * and deprecated spellings), for every analysis: the period commands define periods with
 * them, the others use them to restrict what they count.
 */
import { AnalysisError } from "../errors";
import type { AnalysisOptions } from "../options";
import { PeriodDefinitions } from "./engine";
import { parseExpression, type Expr } from "./parser";

/** The deprecated --period-begin/--period-end/--period-*-key options as a --period expression. */
function legacyPeriod(opts: AnalysisOptions): { begin: Expr; end: Expr } | null {
  if (opts.periodBegin === undefined) return null;
  const q = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  const beginKeys = (opts.periodBeginKey ?? "cpu_id").split(",");
  const endKeys = (opts.periodEndKey ?? opts.periodBeginKey ?? "cpu_id").split(",");
  const begin = [`$evt.$name == ${q(opts.periodBegin)}`];
  const end = [`$evt.$name == ${q(opts.periodEnd ?? opts.periodBegin)}`];
  if (opts.periodKeyValue !== undefined) {
    opts.periodKeyValue.split(",").forEach((v, i) => {
      const k = beginKeys[i];
      if (k === undefined) return;
      const lit = Number.isNaN(Number.parseFloat(v)) ? q(v) : v;
      begin.push(`$begin.$evt.${k} == ${lit}`);
    });
  }
  beginKeys.forEach((k, i) => {
    const ek = endKeys[i];
    if (ek !== undefined) end.push(`$evt.${ek} == $begin.$evt.${k}`);
  });
  return { begin: parseExpression(begin.join(" && ")), end: parseExpression(end.join(" && ")) };
}

/**
 * The period definitions of a run's options: --period/--period-captures, or the deprecated
 * --period-begin/--period-end/--period-*-key options (never both). Empty when there are none.
 */
export function periodDefinitionsFromOptions(opts: AnalysisOptions): PeriodDefinitions {
  const hasNew = (opts.period?.length ?? 0) > 0 || (opts.periodCaptures?.length ?? 0) > 0;
  const hasOld =
    opts.periodBegin !== undefined ||
    opts.periodEnd !== undefined ||
    opts.periodKeyValue !== undefined ||
    opts.periodBeginKey !== undefined ||
    opts.periodEndKey !== undefined;
  if (hasNew && hasOld)
    throw new AnalysisError("INVALID_OPTIONS", "Do not use another period option when using one or more --period or --period-captures options");
  const mode = { truncateLiterals: opts.compat === "lttng-analyses-0.6.1" };
  if (hasNew) return PeriodDefinitions.fromArgs(opts.period ?? [], opts.periodCaptures ?? [], mode);
  const reg = new PeriodDefinitions(mode);
  const legacy = legacyPeriod(opts);
  if (legacy !== null) reg.add(null, null, legacy.begin, legacy.end);
  return reg;
}

/**
 * The event classes the run's period definitions can begin or end with (empty without
 * periods), or null when one does not name its events (or the options are bad: the run
 * reports them), so every class may matter.
 */
export function periodEventNames(opts: AnalysisOptions): Set<string> | null {
  let periodDefs: PeriodDefinitions;
  try {
    periodDefs = periodDefinitionsFromOptions(opts);
  } catch {
    return null;
  }
  if (periodDefs.isEmpty) return new Set();
  return periodDefs.eventNames === null ? null : new Set(periodDefs.eventNames);
}
