/**
 * `tracedeck analyze <analysis> TRACE [options]`: lttng-analyses' command lines,
 * spelled the same (`--limit=10` or `--limit 10`, `--period 'DEF'` repeatable…), so
 * that scripts port by renaming `lttng-iolatencytop-mi` to `tracedeck analyze iolatencytop --mi`.
 */
import { ANALYSIS_COMPAT_MODES, type AnalysisCompat, type AnalysisOptions } from "./options";
import { FAMILIES, isAnalysisName, type AnalysisName, type OptionGroup } from "./catalog";
import { AnalysisError } from "./errors";

export interface AnalyzeArgs {
  name: AnalysisName;
  paths: string[];
  opts: AnalysisOptions;
  mi: boolean;
  metadata: boolean;
  miVersion: boolean;
  help: boolean;
  outputProgress: boolean;
}

type Kind = "flag" | "int" | "float" | "string" | "list" | "intlist" | "repeat";

interface OptSpec {
  kind: Kind;
  group: OptionGroup | "common";
  /** The option the flag sets (absent: accepted and ignored, as lttng-analyses' no-op flags). */
  key?: keyof AnalysisOptions;
  /** How the value is stored, when not as it is (a flag stores true). */
  apply?(o: AnalysisOptions, v: unknown): void;
}

function parseDuration(s: string): number {
  const m = /^([0-9.eE+-]+)\s*(s|ms|us|µs|ns)?$/.exec(s);
  if (m === null || Number.isNaN(Number.parseFloat(m[1]!))) throw new AnalysisError("INVALID_ARGUMENTS", `invalid duration: ${s}`);
  const mult = { s: 1e9, ms: 1e6, us: 1e3, µs: 1e3, ns: 1 }[(m[2] ?? "s") as "s"];
  return Math.trunc(Number.parseFloat(m[1]!) * mult);
}

const OPTIONS: Record<string, OptSpec> = {
  "--begin": { kind: "string", group: "common", key: "begin" },
  "--end": { kind: "string", group: "common", key: "end" },
  "--timerange": { kind: "string", group: "common", key: "timerange" },
  "--cpu": { kind: "intlist", group: "common", key: "cpu" },
  "--period": { kind: "repeat", group: "common", key: "period", apply: (o, v) => (o.period = [...(o.period ?? []), v as string]) },
  "--period-captures": {
    kind: "repeat",
    group: "common",
    key: "periodCaptures",
    apply: (o, v) => (o.periodCaptures = [...(o.periodCaptures ?? []), v as string]),
  },
  "--period-begin": { kind: "string", group: "common", key: "periodBegin" },
  "--period-end": { kind: "string", group: "common", key: "periodEnd" },
  "--period-begin-key": { kind: "string", group: "common", key: "periodBeginKey" },
  "--period-end-key": { kind: "string", group: "common", key: "periodEndKey" },
  "--period-key-value": { kind: "string", group: "common", key: "periodKeyValue" },
  "--refresh": { kind: "string", group: "common", key: "refresh", apply: (o, v) => (o.refresh = parseDuration(v as string)) },
  "-r": { kind: "string", group: "common", key: "refresh", apply: (o, v) => (o.refresh = parseDuration(v as string)) },
  "--no-intersection": { kind: "flag", group: "common", key: "noIntersection" },
  "--gmt": { kind: "flag", group: "common", key: "gmt" },
  "--skip-validation": { kind: "flag", group: "common" },
  "--progress-use-size": { kind: "flag", group: "common" },
  "--no-progress": { kind: "flag", group: "common" },
  "--no-color": { kind: "flag", group: "common" },
  "--debug": { kind: "flag", group: "common" },
  "--test-compatibility": { kind: "flag", group: "common", key: "testCompatibility" },
  "--compat": {
    kind: "string",
    group: "common",
    key: "compat",
    apply: (o, v) => {
      if (!(ANALYSIS_COMPAT_MODES as readonly string[]).includes(v as string))
        throw new AnalysisError(
          "INVALID_ARGUMENTS",
          `argument --compat: invalid choice: '${String(v)}' (choose from ${ANALYSIS_COMPAT_MODES.map((m) => `'${m}'`).join(", ")})`,
        );
      o.compat = v as AnalysisCompat;
    },
  },
  // The command already implies its view; these are accepted for compatibility.
  "--top": { kind: "flag", group: "common" },
  "--log": { kind: "flag", group: "common" },
  "--stats": { kind: "flag", group: "common" },
  "--freq": { kind: "flag", group: "common" },
  "--usage": { kind: "flag", group: "io" },
  "--min": { kind: "float", group: "minmax", key: "min" },
  "--max": { kind: "float", group: "minmax", key: "max" },
  "--procname": { kind: "list", group: "proc", key: "procname" },
  "--tid": { kind: "intlist", group: "proc", key: "tid" },
  "--limit": { kind: "int", group: "top", key: "limit" },
  "--freq-resolution": { kind: "int", group: "freq", key: "freqResolution" },
  "--freq-uniform": { kind: "flag", group: "freq", key: "freqUniform" },
  "--freq-series": { kind: "flag", group: "freq", key: "freqSeries" },
  "--minsize": { kind: "float", group: "io", key: "minsize" },
  "--maxsize": { kind: "float", group: "io", key: "maxsize" },
  "--total": { kind: "flag", group: "sched", key: "total" },
  "--per-tid": { kind: "flag", group: "sched", key: "perTid" },
  "--per-prio": { kind: "flag", group: "sched", key: "perPrio" },
  "--irq": { kind: "list", group: "irq", key: "irq" },
  "--softirq": { kind: "list", group: "irq", key: "softirq" },
  "--min-duration": { kind: "float", group: "period", key: "minDuration" },
  "--max-duration": { kind: "float", group: "period", key: "maxDuration" },
  "--select": {
    kind: "string",
    group: "period",
    key: "select",
    apply: (o, v) =>
      (o.select = (v as string)
        .split(",")
        .map((s) => s.split("/").pop()!.trim())
        .filter((s) => s.length > 0)),
  },
  "--group-by": { kind: "string", group: "period", key: "groupBy" },
  "--aggregate-by": { kind: "string", group: "period", key: "aggregateBy", apply: (o, v) => (o.aggregateBy = (v as string).split("/").pop()!) },
  "--order-by": {
    kind: "string",
    group: "period",
    key: "orderBy",
    apply: (o, v) => {
      if (v !== "time" && v !== "hierarchy") throw new AnalysisError("INVALID_ARGUMENTS", "Invalid order-by value");
      o.orderBy = v;
    },
  },
  "--duration-field": { kind: "string", group: "period", key: "durationField" },
};

function store(spec: OptSpec, o: AnalysisOptions, v: unknown): void {
  if (spec.apply !== undefined) spec.apply(o, v);
  else if (spec.key !== undefined) (o as Record<string, unknown>)[spec.key] = v;
}

/**
 * Each option's lttng-analyses flag (the first one listed when there are aliases), for
 * the Analyze form: the browser shows the flags the command line takes, from this table.
 */
export const OPTION_FLAGS: Readonly<Partial<Record<keyof AnalysisOptions, string>>> = (() => {
  const out: Partial<Record<keyof AnalysisOptions, string>> = {};
  for (const [flag, spec] of Object.entries(OPTIONS)) if (spec.key !== undefined) out[spec.key] ??= flag;
  return out;
})();

function convert(kind: Kind, name: string, raw: string): unknown {
  switch (kind) {
    case "int": {
      if (!/^[+-]?\d+$/.test(raw)) throw new AnalysisError("INVALID_ARGUMENTS", `argument ${name}: invalid int value: '${raw}'`);
      return Number.parseInt(raw, 10);
    }
    case "float": {
      const v = Number(raw);
      if (raw.trim() === "" || Number.isNaN(v)) throw new AnalysisError("INVALID_ARGUMENTS", `argument ${name}: invalid float value: '${raw}'`);
      return v;
    }
    case "list":
      return raw.split(",");
    case "intlist":
      return raw.split(",").map((x) => {
        if (!/^[+-]?\d+$/.test(x.trim())) throw new AnalysisError("INVALID_ARGUMENTS", `argument ${name}: invalid int value: '${x}'`);
        return Number.parseInt(x, 10);
      });
    default:
      return raw;
  }
}

export function parseAnalyzeArgs(argv: string[]): AnalyzeArgs {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h")
    return { name: "iolatencytop", paths: [], opts: {}, mi: false, metadata: false, miVersion: false, help: true, outputProgress: false };
  if (!isAnalysisName(name)) throw new AnalysisError("INVALID_ARGUMENTS", `unknown analysis '${name}'`);
  const groups = new Set<string>(["common", ...FAMILIES[name].options]);
  const out: AnalyzeArgs = { name, paths: [], opts: {}, mi: false, metadata: false, miVersion: false, help: false, outputProgress: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === "--") {
      out.paths.push(...rest.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      out.paths.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const key = eq > 0 && arg.startsWith("--") ? arg.slice(0, eq) : arg;
    switch (key) {
      case "--mi":
        out.mi = true;
        continue;
      case "--metadata":
        out.metadata = true;
        continue;
      case "--mi-version":
        out.miVersion = true;
        continue;
      case "--output-progress":
        out.outputProgress = true;
        continue;
      case "-h":
      case "--help":
        out.help = true;
        continue;
    }
    const spec = OPTIONS[key];
    if (spec === undefined || !groups.has(spec.group)) throw new AnalysisError("INVALID_ARGUMENTS", `unrecognized arguments: ${arg}`);
    if (spec.kind === "flag") {
      if (eq > 0 && key !== arg) throw new AnalysisError("INVALID_ARGUMENTS", `argument ${key}: ignored explicit argument '${arg.slice(eq + 1)}'`);
      store(spec, out.opts, true);
      continue;
    }
    let raw: string;
    if (eq > 0 && key !== arg) raw = arg.slice(eq + 1);
    else {
      const next = rest[i + 1];
      if (next === undefined) throw new AnalysisError("INVALID_ARGUMENTS", `argument ${key}: expected one argument`);
      raw = next;
      i++;
    }
    store(spec, out.opts, convert(spec.kind, key, raw));
  }
  return out;
}

export function analyzeUsage(): string {
  return [
    "usage: tracedeck analyze <analysis> TRACE [options] [--mi]",
    "",
    "analyses (lttng-analyses command names without 'lttng-'):",
    "  iolatencytop iolatencyfreq iolatencystats iolog iousagetop syscallstats",
    "  schedtop schedfreq schedstats schedlog irqstats irqfreq irqlog cputop memtop",
    "  periodlog periodtop periodstats periodfreq",
    "",
    "common options: --begin T --end T --timerange [B,E] --cpu LIST --period DEF",
    "  --period-captures DEF --refresh DURATION --no-intersection --mi --metadata",
    "  --compat=lttng-analyses-0.6.1 (reproduce its wrong numbers, DEVIATIONS.md; default: true values)",
    "per analysis (as lttng-analyses): --limit N --min US --max US --tid LIST --procname LIST",
    "  --freq-resolution N --freq-uniform --freq-series --minsize B --maxsize B",
    "  --total --per-tid --per-prio --irq LIST --softirq LIST --min-duration US",
    "  --max-duration US --select LIST --group-by LIST --aggregate-by NAME --order-by time|hierarchy",
    "  --duration-field EVENT.FIELD (periods from one event carrying its duration)",
    "",
  ].join("\n");
}
