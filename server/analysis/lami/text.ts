/**
 * Human-readable output, close to lttng-analyses' text commands: a "Timerange:" line,
 * aligned tables with durations in µs, and the ASCII (block) histogram of FreqGraph
 * for frequency distributions.
 */
import type { LamiValue } from "./types";
import type { ResultTable } from "./values";

const NS = 1_000_000_000n;

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** format_utils.format_timestamp: "HH:MM:SS.nnnnnnnnn" in local time, with the date when asked. */
export function formatTimestamp(ts: bigint, withDate = false): string {
  const secs = ts / NS;
  const ns = ts % NS;
  const d = new Date(Number(secs) * 1000);
  const time = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${String(ns).padStart(9, "0")}`;
  if (!withDate) return time;
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${time}`;
}

/** format_utils.format_size: binary prefixes, two decimals above bytes. */
export function formatSize(size: number): string {
  const units = ["  B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];
  if (size === 0) return "0   B";
  let exp = Math.floor(Math.log(size) / Math.log(1024));
  if (exp >= units.length) exp = units.length - 1;
  if (exp <= 0) return `${size.toFixed(0)} ${units[0]}`;
  return `${(size / 1024 ** exp).toFixed(2)} ${units[exp]}`;
}

function cellText(v: LamiValue, withDate: boolean): string {
  if (v === null) return "N/A";
  switch (v.class) {
    case "unknown":
      return "?";
    case "bool":
      return v.value === true ? "*" : "";
    case "number":
      return v.value === undefined ? "" : Number.isInteger(v.value) ? String(v.value) : v.value.toFixed(3);
    case "string":
      return v.value;
    case "ratio":
      return `${(v.value * 100).toFixed(2)} %`;
    case "timestamp":
      return formatTimestamp(v.value, withDate);
    case "duration":
      return (v.value / 1000).toFixed(3);
    case "size":
      return formatSize(v.value);
    case "bitrate":
      return String(v.value);
    case "time-range":
      return `[${formatTimestamp(v.begin.value, withDate)}, ${formatTimestamp(v.end.value, withDate)}]`;
    case "syscall":
      return v.name;
    case "process":
      return `${v.name ?? "unknown"} (${v.tid ?? v.pid ?? "?"})`;
    case "path":
      return v.path;
    case "fd":
      return String(v.fd);
    case "irq":
      return `${v.hard ? "IRQ" : "SoftIRQ"} ${v.nr}${v.name === undefined ? "" : ` ${v.name}`}`;
    case "cpu":
      return String(v.id);
    case "disk":
    case "part":
    case "netif":
      return v.name;
  }
}

const FREQ_CLASSES = new Set(["freq", "freq_duration", "freq_count", "freq_ratio"]);
const MAX_GRAPH_WIDTH = 80;
const LOWER_BOUND_WIDTH = 8;

/** termgraph.FreqGraph: lower bound, a bar of '█' scaled to the largest count, the count. */
function freqGraph(t: ResultTable, unit: string): string[] {
  const rows = t.rows.map((r) => {
    const lower = r[0];
    const count = r[2];
    const lb = lower !== null && lower !== undefined && "value" in lower && typeof lower.value === "number" ? lower.value / 1000 : 0;
    const c = count !== null && count !== undefined && count.class === "number" ? (count.value ?? 0) : 0;
    return { lb, c, s: String(c) };
  });
  if (rows.length === 0) return [];
  const maxValue = rows.reduce((m, r) => Math.max(m, r.c), 0);
  const maxLen = rows.reduce((m, r) => Math.max(m, r.s.length), -Infinity);
  const title = t.subtitle === undefined ? t.title : `${t.title} ${t.subtitle}`;
  const out = [`${title} (${unit})`, "#".repeat(MAX_GRAPH_WIDTH)];
  const width = MAX_GRAPH_WIDTH - LOWER_BOUND_WIDTH;
  for (const r of rows) {
    const bar = maxValue === 0 ? 0 : Math.trunc((width * r.c) / maxValue);
    out.push(`${r.lb.toFixed(3).padStart(7)} ${"█".repeat(bar)}${" ".repeat(width - bar)} ${" ".repeat(maxLen - r.s.length)}${r.s}`);
  }
  out.push("");
  return out;
}

function plainTable(t: ResultTable, withDate: boolean): string[] {
  const cols = t.tableClass.columns;
  const header = cols.map(([, title, cls]) => (cls === "duration" ? `${title} (us)` : title));
  const body = t.rows.map((r) => r.map((c) => cellText(c, withDate)));
  // A loop, not Math.max(...rows): a log of 100 k+ rows would overflow the call stack.
  const widths = header.map((h, i) => body.reduce((w, r) => Math.max(w, (r[i] ?? "").length), h.length));
  const numeric = cols.map(([, , cls]) => ["number", "duration", "size", "ratio"].includes(cls));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] === true ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const title = t.subtitle === undefined ? t.title : `${t.title} [${t.subtitle}]`;
  return [title, line(header), ...body.map(line), ""];
}

/** The text report of an analysis run. */
export function renderText(tables: readonly ResultTable[], opts: { multiDay?: boolean } = {}): string {
  const withDate = opts.multiDay === true;
  const out: string[] = [];
  let lastRange = "";
  for (const t of tables) {
    const range = `[${formatTimestamp(t.begin, true)}, ${formatTimestamp(t.end, true)}]`;
    if (range !== lastRange) {
      out.push(`Timerange: ${range}`, "");
      lastRange = range;
    }
    const lines = FREQ_CLASSES.has(t.tableClass.name ?? "")
      ? freqGraph(t, t.tableClass.name === "freq_ratio" ? "%" : t.tableClass.name === "freq_count" ? "instances" : "µs")
      : plainTable(t, withDate);
    // Not push(...lines): a log of 100 k+ rows would overflow the call stack's argument space.
    for (const l of lines) out.push(l);
  }
  if (tables.length === 0) out.push("No results.");
  return out.join("\n") + "\n";
}
