/**
 * The analysis options form, described for the browser: each field's type and bounds come
 * from the request schema (analysisOptionsSchema, as JSON Schema), its lttng-analyses flag,
 * label, help and option group from the table below, and which fields an analysis shows
 * from the analysis's option groups (FAMILIES[name].options). The UI renders whatever this
 * returns, so a new option needs one line here and no UI change.
 */
import { z } from "zod";
import { ANALYSIS_NAMES, FAMILIES, analysisOptionsSchema, type AnalysisName } from "../../analysis";

type OptionKey = keyof z.infer<typeof analysisOptionsSchema>;
/** "common" options are accepted by every analysis (lttng-analyses' Command base class). */
type Group = "common" | (typeof FAMILIES)[AnalysisName]["options"][number];

export type FieldKind = "string" | "number" | "integer" | "boolean" | "enum" | "string-list" | "integer-list" | "lines";

export interface FormField {
  key: OptionKey;
  /** The lttng-analyses command-line flag, shown so that users can map CLI habits. */
  flag: string;
  label: string;
  help: string;
  kind: FieldKind;
  placeholder?: string;
  minimum?: number;
  maximum?: number;
  choices?: string[];
  /** Shown under "More options" (collapsed) rather than in the first row. */
  advanced: boolean;
}

interface FieldSpec {
  flag: string;
  label: string;
  help: string;
  group: Group;
  placeholder?: string;
  /** Lists of expressions that may contain commas: one item per line, not comma-separated. */
  lines?: boolean;
  advanced?: boolean;
}

// The help texts are lttng-analyses 0.6.1's argparse help, shortened.
const FIELDS: Partial<Record<OptionKey, FieldSpec>> = {
  begin: { flag: "--begin", label: "Begin", help: "Start time: hh:mm:ss[.nnnnnnnnn], YYYY-MM-DD hh:mm:ss[.nnnnnnnnn] or epoch ns", group: "common", placeholder: "hh:mm:ss.nnnnnnnnn" },
  end: { flag: "--end", label: "End", help: "End time (same formats as Begin)", group: "common", placeholder: "hh:mm:ss.nnnnnnnnn" },
  tid: { flag: "--tid", label: "TIDs", help: "Only these thread IDs (comma-separated)", group: "proc", placeholder: "1234,5678" },
  procname: { flag: "--procname", label: "Process names", help: "Only these process names (comma-separated)", group: "proc", placeholder: "nginx,php-fpm" },
  cpu: { flag: "--cpu", label: "CPUs", help: "Only these CPUs (comma-separated)", group: "common", placeholder: "0,1" },
  min: { flag: "--min", label: "Min (µs)", help: "Filter out durations shorter than this (µs)", group: "minmax" },
  max: { flag: "--max", label: "Max (µs)", help: "Filter out durations longer than this (µs)", group: "minmax" },
  limit: { flag: "--limit", label: "Limit", help: "Rows per top table (default 10)", group: "top", placeholder: "10" },
  freqResolution: { flag: "--freq-resolution", label: "Buckets", help: "Histogram resolution: number of buckets (default 20)", group: "freq", placeholder: "20" },
  freqUniform: { flag: "--freq-uniform", label: "Uniform buckets", help: "Use the same buckets for every histogram", group: "freq" },
  minsize: { flag: "--minsize", label: "Min size (B)", help: "Filter out I/O requests smaller than this (bytes)", group: "io", advanced: true },
  maxsize: { flag: "--maxsize", label: "Max size (B)", help: "Filter out I/O requests larger than this (bytes)", group: "io", advanced: true },
  total: { flag: "--total", label: "Total", help: "Group all results (sched stats)", group: "sched", advanced: true },
  perTid: { flag: "--per-tid", label: "Per TID", help: "Group results per thread (default)", group: "sched", advanced: true },
  perPrio: { flag: "--per-prio", label: "Per priority", help: "Group results per priority", group: "sched", advanced: true },
  irq: { flag: "--irq", label: "IRQs", help: "Only these hard IRQ numbers (comma-separated)", group: "irq", advanced: true },
  softirq: { flag: "--softirq", label: "Soft IRQs", help: "Only these soft IRQ numbers (comma-separated)", group: "irq", advanced: true },
  period: {
    flag: "--period",
    label: "Period definitions",
    help: "One per line: [NAME[(PARENT)]]:BEGINEXPR[:ENDEXPR], e.g. req:$evt.$name == \"app:begin\" : $evt.$name == \"app:end\" && $evt.id == $begin.$evt.id",
    group: "period",
    lines: true,
  },
  periodCaptures: {
    flag: "--period-captures",
    label: "Period captures",
    help: "One per line: NAME:BEGINCAPTURES[:ENDCAPTURES], e.g. req:id=$evt.id : status=$evt.status",
    group: "period",
    lines: true,
  },
  durationField: { flag: "--duration-field", label: "Duration field", help: "Shortcut: periods from one event carrying a duration, e.g. tracedeck_demo:request_end.latency_ns", group: "period" },
  minDuration: { flag: "--min-duration", label: "Min duration (µs)", help: "Filter out periods shorter than this (µs)", group: "period", advanced: true },
  maxDuration: { flag: "--max-duration", label: "Max duration (µs)", help: "Filter out periods longer than this (µs)", group: "period", advanced: true },
  select: { flag: "--select", label: "Select", help: "Period names to show (comma-separated)", group: "period", advanced: true },
  groupBy: { flag: "--group-by", label: "Group by", help: "Group periods by this capture", group: "period", advanced: true },
  aggregateBy: { flag: "--aggregate-by", label: "Aggregate by", help: "Aggregate child periods by this parent period", group: "period", advanced: true },
  orderBy: { flag: "--order-by", label: "Order by", help: "Log order: time or hierarchy", group: "period", advanced: true },
  noIntersection: {
    flag: "--no-intersection",
    label: "No intersection",
    help: "Analyse the whole trace, not only the span every stream covers",
    group: "common",
    advanced: true,
  },
};

interface JsonProp {
  type?: string;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  items?: { type?: string };
}

function fieldKind(p: JsonProp, spec: FieldSpec): FieldKind {
  if (p.enum !== undefined) return "enum";
  if (p.type === "array") {
    if (spec.lines === true) return "lines";
    return p.items?.type === "integer" ? "integer-list" : "string-list";
  }
  if (p.type === "boolean" || p.type === "integer" || p.type === "number") return p.type;
  return "string";
}

function buildFields(): { key: OptionKey; group: Group; field: FormField }[] {
  const props = (z.toJSONSchema(analysisOptionsSchema) as { properties: Record<string, JsonProp> }).properties;
  const out: { key: OptionKey; group: Group; field: FormField }[] = [];
  for (const [key, spec] of Object.entries(FIELDS) as [OptionKey, FieldSpec][]) {
    const p = props[key];
    if (p === undefined) continue; // An option the schema dropped: nothing to show.
    const field: FormField = {
      key,
      flag: spec.flag,
      label: spec.label,
      help: spec.help,
      kind: fieldKind(p, spec),
      advanced: spec.advanced === true,
    };
    if (spec.placeholder !== undefined) field.placeholder = spec.placeholder;
    if (p.minimum !== undefined) field.minimum = p.minimum;
    if (p.maximum !== undefined && p.maximum < Number.MAX_SAFE_INTEGER) field.maximum = p.maximum;
    if (p.enum !== undefined) field.choices = p.enum;
    out.push({ key, group: spec.group, field });
  }
  return out;
}

export interface AnalysisDescriptor {
  name: AnalysisName;
  title: string;
  description: string;
  fields: FormField[];
}

let cached: AnalysisDescriptor[] | undefined;

/** Every analysis with the form fields it accepts, in ANALYSIS_NAMES order. */
export function analysisDescriptors(): AnalysisDescriptor[] {
  if (cached !== undefined) return cached;
  const all = buildFields();
  cached = ANALYSIS_NAMES.map((name) => {
    const f = FAMILIES[name];
    const groups = new Set<Group>(["common", ...f.options]);
    return { name, title: f.title, description: f.description, fields: all.filter((x) => groups.has(x.group)).map((x) => x.field) };
  });
  return cached;
}
