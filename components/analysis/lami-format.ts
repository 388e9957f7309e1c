/**
 * LAMI cells as text and as sort keys. LAMI units: durations in ns, sizes in bytes, ratios
 * in 0..1, timestamps in epoch ns (strings on the wire: they exceed 2^53). Times are shown
 * in UTC, as lttng-analyses prints them with TZ=UTC.
 */
import type { ColumnDescription, WireValue } from "./types";

const NS_PER_S = 1_000_000_000n;

export function formatDuration(ns: number): string {
  const abs = Math.abs(ns);
  if (abs >= 1e9) return `${(ns / 1e9).toFixed(3)} s`;
  if (abs >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`;
  return `${(ns / 1e3).toFixed(3)} µs`;
}

export function formatSize(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(2)} ${units[i]}`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** "HH:MM:SS.nnnnnnnnn" (UTC), with the date when `withDate`. */
export function formatTimestamp(epochNs: string, withDate = false): string {
  const ns = BigInt(epochNs);
  const secs = ns / NS_PER_S;
  const frac = ns % NS_PER_S;
  const d = new Date(Number(secs) * 1000);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${String(frac).padStart(9, "0")}`;
  return withDate ? `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${time}` : time;
}

const numberFmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 3 });

export function formatCell(v: WireValue): string {
  if (v === null) return "—";
  switch (v.class) {
    case "unknown":
      return "?";
    case "bool":
      return v.value === null ? "" : v.value ? "yes" : "no";
    case "number":
      if (v.value !== undefined) return numberFmt.format(v.value);
      if (v.low !== undefined || v.high !== undefined) return `${numberFmt.format(v.low ?? 0)}–${numberFmt.format(v.high ?? 0)}`;
      return "";
    case "string":
      return v.value;
    case "ratio":
      return `${(v.value * 100).toFixed(2)} %`;
    case "timestamp":
      return formatTimestamp(v.value);
    case "duration":
      return formatDuration(v.value);
    case "size":
      return formatSize(v.value);
    case "bitrate":
      return `${numberFmt.format(v.value)} bit/s`;
    case "time-range":
      return `${formatTimestamp(v.begin)} → ${formatTimestamp(v.end)}`;
    case "syscall":
      return v.name;
    case "process":
      return `${v.name ?? "?"} (${v.tid ?? v.pid ?? "?"})`;
    case "path":
      return v.path;
    case "fd":
      return String(v.fd);
    case "irq":
      return `${v.hard ? "IRQ" : "SoftIRQ"} ${v.nr}${v.name === undefined ? "" : ` (${v.name})`}`;
    case "cpu":
      return `CPU ${v.id}`;
    case "disk":
    case "part":
    case "netif":
      return v.name;
  }
}

/** A column header: the LAMI title, plus the unit of plain numbers ("Call count (calls)"). */
export function columnHeader(c: ColumnDescription): string {
  return c.unit !== undefined && c.class === "number" ? `${c.title} (${c.unit})` : c.title;
}

/** Columns whose cells read as quantities: right-aligned. */
export function isNumericColumn(c: ColumnDescription): boolean {
  return ["number", "duration", "size", "ratio", "bitrate", "fd", "cpu"].includes(c.class);
}

export type SortKey = number | bigint | string;

/** A value to order a column by; nulls sort first. */
export function sortKey(v: WireValue): SortKey {
  if (v === null) return -Infinity;
  switch (v.class) {
    case "number":
      return v.value ?? v.low ?? 0;
    case "ratio":
    case "duration":
    case "size":
    case "bitrate":
      return v.value;
    case "timestamp":
      return BigInt(v.value);
    case "time-range":
      return BigInt(v.begin);
    case "bool":
      return v.value === null ? -1 : v.value ? 1 : 0;
    case "fd":
      return v.fd;
    case "cpu":
      return v.id;
    case "irq":
      return v.nr;
    case "process":
      return `${v.name ?? ""}\u0000${String(v.tid ?? v.pid ?? 0).padStart(10, "0")}`;
    default:
      return formatCell(v);
  }
}

export function compareKeys(a: SortKey, b: SortKey): number {
  if (typeof a === "string" && typeof b === "string") return a.localeCompare(b);
  if (typeof a === "string") return 1;
  if (typeof b === "string") return -1;
  // Mixed bigint/number only against the -Infinity of an empty cell.
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
