/**
 * Python's repr()/str() of captured values, because lttng-analyses prints period
 * captures as `str(dict)` inside LAMI string cells ("{'id': 5, 'path': '/index'}").
 */
import type { CaptureValue } from "./engine";

function reprFloat(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.0`;
  // JS and Python both print the shortest round-trip digits; only the exponent style differs.
  const s = String(v);
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

export function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + quote;
}

/** repr() of a decoded field. `integer` says the field is an integer field (ints print without ".0"). */
export function reprValue(v: CaptureValue): string {
  if (v === undefined || v === null) return "None";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : reprFloat(v);
  if (typeof v === "string") return reprString(v);
  if (Array.isArray(v)) return `[${v.map(reprValue).join(", ")}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${reprString(k)}: ${reprValue(x)}`)
    .join(", ")}}`;
}

/** str() of a dict of captures, in insertion order. */
export function reprCaptures(m: ReadonlyMap<string, CaptureValue> | null): string {
  if (m === null) return "None";
  const parts: string[] = [];
  for (const [k, v] of m) parts.push(`${reprString(k)}: ${reprValue(v)}`);
  return `{${parts.join(", ")}}`;
}

/** str() of a list of (name, value) tuples: "[('req.id', 5)]". */
export function reprTupleList(items: readonly (readonly [string, CaptureValue])[]): string {
  return `[${items.map(([k, v]) => `(${reprString(k)}, ${reprValue(v)})`).join(", ")}]`;
}
