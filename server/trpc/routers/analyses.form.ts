/**
 * The analysis options form, described for the browser: which options an analysis reads
 * comes from analysisCatalog(), each field's type and bounds from the request schema
 * (analysisOptionsSchema as JSON Schema), its lttng-analyses flag from the command line's
 * parser (server/analysis/cli-args.ts), its label and help from the table below. An option
 * missing from the table still gets a field (label derived from its key), so the UI never
 * needs a change for a new option.
 */
import { z } from "zod";
import { analysisCatalog, analysisOptionsSchema, DEFAULT_FREQ_RESOLUTION, DEFAULT_LIMIT, OPTION_FLAGS, type AnalysisName } from "../../analysis";

type OptionKey = keyof z.infer<typeof analysisOptionsSchema>;

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
  label: string;
  help: string;
  placeholder?: string;
  /** Lists of expressions that may contain commas: one item per line, not comma-separated. */
  lines?: boolean;
  /** Collapsed under "More options"; a function decides from the analysis's option keys. */
  advanced?: boolean | ((keys: ReadonlySet<string>) => boolean);
}

/** --period is accepted by every analysis but is the point only of the period ones. */
const unlessPeriodAnalysis = (keys: ReadonlySet<string>) => !keys.has("durationField");

// The help texts are lttng-analyses 0.6.1's argparse help, shortened.
const FIELDS: Partial<Record<OptionKey, FieldSpec>> = {
  begin: { label: "Begin", help: "Start time: hh:mm:ss[.nnnnnnnnn], YYYY-MM-DD hh:mm:ss[.nnnnnnnnn] or epoch ns", placeholder: "hh:mm:ss.nnnnnnnnn" },
  end: { label: "End", help: "End time (same formats as Begin)", placeholder: "hh:mm:ss.nnnnnnnnn" },
  tid: { label: "TIDs", help: "Only these thread IDs (comma-separated)", placeholder: "1234,5678" },
  procname: { label: "Process names", help: "Only these process names (comma-separated)", placeholder: "nginx,php-fpm" },
  cpu: { label: "CPUs", help: "Only these CPUs (comma-separated)", placeholder: "0,1" },
  min: { label: "Min (µs)", help: "Filter out durations shorter than this (µs)" },
  max: { label: "Max (µs)", help: "Filter out durations longer than this (µs)" },
  limit: { label: "Limit", help: `Rows per top table (default ${DEFAULT_LIMIT})`, placeholder: String(DEFAULT_LIMIT) },
  freqResolution: {
    label: "Buckets",
    help: `Histogram resolution: number of buckets (default ${DEFAULT_FREQ_RESOLUTION})`,
    placeholder: String(DEFAULT_FREQ_RESOLUTION),
  },
  freqUniform: { label: "Uniform buckets", help: "Use the same buckets for every histogram" },
  minsize: { label: "Min size (B)", help: "Filter out I/O requests smaller than this (bytes)", advanced: true },
  maxsize: { label: "Max size (B)", help: "Filter out I/O requests larger than this (bytes)", advanced: true },
  total: { label: "Total", help: "Group all results (sched stats)", advanced: true },
  perTid: { label: "Per TID", help: "Group results per thread (default)", advanced: true },
  perPrio: { label: "Per priority", help: "Group results per priority", advanced: true },
  irq: { label: "IRQs", help: "Only these hard IRQ numbers (comma-separated)", advanced: true },
  softirq: { label: "Soft IRQs", help: "Only these soft IRQ numbers (comma-separated)", advanced: true },
  period: {
    label: "Period definitions",
    help: 'One per line: [NAME[(PARENT)]]:BEGINEXPR[:ENDEXPR], e.g. req:$evt.$name == "app:begin" : $evt.$name == "app:end" && $evt.id == $begin.$evt.id',
    lines: true,
    advanced: unlessPeriodAnalysis,
  },
  periodCaptures: {
    label: "Period captures",
    help: "One per line: NAME:BEGINCAPTURES[:ENDCAPTURES], e.g. req:id=$evt.id : status=$evt.status",
    lines: true,
    advanced: unlessPeriodAnalysis,
  },
  durationField: { label: "Duration field", help: "Shortcut: periods from one event carrying a duration, e.g. tracedeck_demo:request_end.latency_ns" },
  minDuration: { label: "Min duration (µs)", help: "Filter out periods shorter than this (µs)", advanced: true },
  maxDuration: { label: "Max duration (µs)", help: "Filter out periods longer than this (µs)", advanced: true },
  select: { label: "Select", help: "Period names to show (comma-separated)", advanced: true },
  groupBy: { label: "Group by", help: "Group periods by this capture", advanced: true },
  aggregateBy: { label: "Aggregate by", help: "Aggregate child periods by this parent period", advanced: true },
  orderBy: { label: "Order by", help: "Log order: time or hierarchy", advanced: true },
  timerange: { label: "Time range", help: "[begin,end] in one option (same formats as Begin/End)", placeholder: "[hh:mm:ss, hh:mm:ss]", advanced: true },
  freqSeries: { label: "One series", help: "Consolidate the histograms into a single series", advanced: true },
  refresh: { label: "Refresh (ns)", help: "Split the analysis into periods of this many nanoseconds", advanced: true },
  noIntersection: {
    label: "No intersection",
    help: "Analyse the whole trace, not only the span every stream covers",
    advanced: true,
  },
  compat: {
    label: "Reproduce lttng-analyses 0.6.1",
    help: "Its known wrong numbers (nested-period counts, literal truncation, --limit N+1, return counts), for diffing against it; default: true values",
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

/** "Freq resolution" from freqResolution, for options the table above does not know. */
function derivedSpec(key: string): FieldSpec {
  const words = key.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
  return { label: words.charAt(0).toUpperCase() + words.slice(1), help: "", advanced: true };
}

let props: Record<string, JsonProp> | undefined;

function formField(key: string, keys: ReadonlySet<string>): FormField | null {
  props ??= (z.toJSONSchema(analysisOptionsSchema) as { properties: Record<string, JsonProp> }).properties;
  const p = props[key];
  if (p === undefined) return null; // Not in the request schema: the server would refuse it.
  const spec = FIELDS[key as OptionKey] ?? derivedSpec(key);
  // The command line's own flag table: an option it does not take has no field.
  const flag = OPTION_FLAGS[key as keyof typeof OPTION_FLAGS];
  if (flag === undefined) return null;
  const field: FormField = {
    key: key as OptionKey,
    flag,
    label: spec.label,
    help: spec.help,
    kind: fieldKind(p, spec),
    advanced: typeof spec.advanced === "function" ? spec.advanced(keys) : spec.advanced === true,
  };
  if (spec.placeholder !== undefined) field.placeholder = spec.placeholder;
  if (p.minimum !== undefined) field.minimum = p.minimum;
  if (p.maximum !== undefined && p.maximum < Number.MAX_SAFE_INTEGER) field.maximum = p.maximum;
  if (p.enum !== undefined) field.choices = p.enum;
  return field;
}

export interface AnalysisDescriptor {
  name: AnalysisName;
  title: string;
  description: string;
  fields: FormField[];
}

let cached: AnalysisDescriptor[] | undefined;

/** Every analysis with the form fields it accepts, in analysisCatalog() order. */
export function analysisDescriptors(): AnalysisDescriptor[] {
  cached ??= analysisCatalog().map((a) => {
    const keys = new Set(a.options);
    // The table's order (common first, then per-analysis), then any option it does not list.
    const ordered = [...Object.keys(FIELDS).filter((k) => keys.has(k)), ...a.options.filter((k) => !(k in FIELDS))];
    const fields = ordered.map((k) => formField(k, keys)).filter((f): f is FormField => f !== null);
    return { name: a.name, title: a.title, description: a.description, fields };
  });
  return cached;
}
