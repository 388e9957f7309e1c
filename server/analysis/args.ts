/**
 * `tracedeck analyze <analysis> TRACE [options]`: lttng-analyses' command lines,
 * spelled the same (`--limit=10` or `--limit 10`, `--period 'DEF'` repeatable…), so
 * that scripts port by renaming `lttng-iolatencytop-mi` to `tracedeck analyze iolatencytop --mi`.
 */
import type { AnalysisOptions } from "./options";
import { FAMILIES, isAnalysisName, type AnalysisName, type OptionGroup } from "./registry";

export class ArgsError extends Error {}

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
  apply(o: AnalysisOptions, v: unknown): void;
}

const ignore = () => {};

function parseDuration(s: string): number {
  const m = /^([0-9.eE+-]+)\s*(s|ms|us|µs|ns)?$/.exec(s);
  if (m === null || Number.isNaN(Number.parseFloat(m[1]!))) throw new ArgsError(`invalid duration: ${s}`);
  const mult = { s: 1e9, ms: 1e6, us: 1e3, µs: 1e3, ns: 1 }[(m[2] ?? "s") as "s"];
  return Math.trunc(Number.parseFloat(m[1]!) * mult);
}

const OPTIONS: Record<string, OptSpec> = {
  "--begin": { kind: "string", group: "common", apply: (o, v) => (o.begin = v as string) },
  "--end": { kind: "string", group: "common", apply: (o, v) => (o.end = v as string) },
  "--timerange": { kind: "string", group: "common", apply: (o, v) => (o.timerange = v as string) },
  "--cpu": { kind: "intlist", group: "common", apply: (o, v) => (o.cpu = v as number[]) },
  "--period": { kind: "repeat", group: "common", apply: (o, v) => (o.period = [...(o.period ?? []), v as string]) },
  "--period-captures": {
    kind: "repeat",
    group: "common",
    apply: (o, v) => (o.periodCaptures = [...(o.periodCaptures ?? []), v as string]),
  },
  "--period-begin": { kind: "string", group: "common", apply: (o, v) => (o.periodBegin = v as string) },
  "--period-end": { kind: "string", group: "common", apply: (o, v) => (o.periodEnd = v as string) },
  "--period-begin-key": { kind: "string", group: "common", apply: (o, v) => (o.periodBeginKey = v as string) },
  "--period-end-key": { kind: "string", group: "common", apply: (o, v) => (o.periodEndKey = v as string) },
  "--period-key-value": { kind: "string", group: "common", apply: (o, v) => (o.periodKeyValue = v as string) },
  "--refresh": { kind: "string", group: "common", apply: (o, v) => (o.refresh = parseDuration(v as string)) },
  "-r": { kind: "string", group: "common", apply: (o, v) => (o.refresh = parseDuration(v as string)) },
  "--no-intersection": { kind: "flag", group: "common", apply: (o) => (o.noIntersection = true) },
  "--gmt": { kind: "flag", group: "common", apply: (o) => (o.gmt = true) },
  "--skip-validation": { kind: "flag", group: "common", apply: ignore },
  "--progress-use-size": { kind: "flag", group: "common", apply: ignore },
  "--no-progress": { kind: "flag", group: "common", apply: ignore },
  "--no-color": { kind: "flag", group: "common", apply: ignore },
  "--debug": { kind: "flag", group: "common", apply: ignore },
  "--test-compatibility": { kind: "flag", group: "common", apply: (o) => (o.testCompatibility = true) },
  // The command already implies its view; these are accepted for compatibility.
  "--top": { kind: "flag", group: "common", apply: ignore },
  "--log": { kind: "flag", group: "common", apply: ignore },
  "--stats": { kind: "flag", group: "common", apply: ignore },
  "--freq": { kind: "flag", group: "common", apply: ignore },
  "--usage": { kind: "flag", group: "io", apply: ignore },
  "--min": { kind: "float", group: "minmax", apply: (o, v) => (o.min = v as number) },
  "--max": { kind: "float", group: "minmax", apply: (o, v) => (o.max = v as number) },
  "--procname": { kind: "list", group: "proc", apply: (o, v) => (o.procname = v as string[]) },
  "--tid": { kind: "intlist", group: "proc", apply: (o, v) => (o.tid = v as number[]) },
  "--limit": { kind: "int", group: "top", apply: (o, v) => (o.limit = v as number) },
  "--freq-resolution": { kind: "int", group: "freq", apply: (o, v) => (o.freqResolution = v as number) },
  "--freq-uniform": { kind: "flag", group: "freq", apply: (o) => (o.freqUniform = true) },
  "--freq-series": { kind: "flag", group: "freq", apply: (o) => (o.freqSeries = true) },
  "--minsize": { kind: "float", group: "io", apply: (o, v) => (o.minsize = v as number) },
  "--maxsize": { kind: "float", group: "io", apply: (o, v) => (o.maxsize = v as number) },
  "--total": { kind: "flag", group: "sched", apply: (o) => (o.total = true) },
  "--per-tid": { kind: "flag", group: "sched", apply: (o) => (o.perTid = true) },
  "--per-prio": { kind: "flag", group: "sched", apply: (o) => (o.perPrio = true) },
  "--irq": { kind: "list", group: "irq", apply: (o, v) => (o.irq = v as string[]) },
  "--softirq": { kind: "list", group: "irq", apply: (o, v) => (o.softirq = v as string[]) },
  "--min-duration": { kind: "float", group: "period", apply: (o, v) => (o.minDuration = v as number) },
  "--max-duration": { kind: "float", group: "period", apply: (o, v) => (o.maxDuration = v as number) },
  "--select": {
    kind: "string",
    group: "period",
    apply: (o, v) =>
      (o.select = (v as string)
        .split(",")
        .map((s) => s.split("/").pop()!.trim())
        .filter((s) => s.length > 0)),
  },
  "--group-by": { kind: "string", group: "period", apply: (o, v) => (o.groupBy = v as string) },
  "--aggregate-by": { kind: "string", group: "period", apply: (o, v) => (o.aggregateBy = (v as string).split("/").pop()!) },
  "--order-by": {
    kind: "string",
    group: "period",
    apply: (o, v) => {
      if (v !== "time" && v !== "hierarchy") throw new ArgsError("Invalid order-by value");
      o.orderBy = v;
    },
  },
  "--duration-field": { kind: "string", group: "period", apply: (o, v) => (o.durationField = v as string) },
};

function convert(kind: Kind, name: string, raw: string): unknown {
  switch (kind) {
    case "int": {
      if (!/^[+-]?\d+$/.test(raw)) throw new ArgsError(`argument ${name}: invalid int value: '${raw}'`);
      return Number.parseInt(raw, 10);
    }
    case "float": {
      const v = Number(raw);
      if (raw.trim() === "" || Number.isNaN(v)) throw new ArgsError(`argument ${name}: invalid float value: '${raw}'`);
      return v;
    }
    case "list":
      return raw.split(",");
    case "intlist":
      return raw.split(",").map((x) => {
        if (!/^[+-]?\d+$/.test(x.trim())) throw new ArgsError(`argument ${name}: invalid int value: '${x}'`);
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
  if (!isAnalysisName(name)) throw new ArgsError(`unknown analysis '${name}'`);
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
    if (spec === undefined || !groups.has(spec.group)) throw new ArgsError(`unrecognized arguments: ${arg}`);
    if (spec.kind === "flag") {
      if (eq > 0 && key !== arg) throw new ArgsError(`argument ${key}: ignored explicit argument '${arg.slice(eq + 1)}'`);
      spec.apply(out.opts, true);
      continue;
    }
    let raw: string;
    if (eq > 0 && key !== arg) raw = arg.slice(eq + 1);
    else {
      const next = rest[i + 1];
      if (next === undefined) throw new ArgsError(`argument ${key}: expected one argument`);
      raw = next;
      i++;
    }
    spec.apply(out.opts, convert(spec.kind, key, raw));
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
    "per analysis (as lttng-analyses): --limit N --min US --max US --tid LIST --procname LIST",
    "  --freq-resolution N --freq-uniform --freq-series --minsize B --maxsize B",
    "  --total --per-tid --per-prio --irq LIST --softirq LIST --min-duration US",
    "  --max-duration US --select LIST --group-by LIST --aggregate-by NAME --order-by time|hierarchy",
    "  --duration-field EVENT.FIELD (periods from one event carrying its duration)",
    "",
  ].join("\n");
}
