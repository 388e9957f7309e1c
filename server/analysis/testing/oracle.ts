/**
 * Comparison of Tracedeck's LAMI results with lttng-analyses' (the committed
 * fixtures): same tables, same rows, numbers equal up to floating-point rounding.
 */
import { readFileSync, existsSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { join } from "node:path";
import { parseLamiJson } from "../lami/json";

export const FIXTURES = join(__dirname, "..", "fixtures");

export function readFixture(rel: string): unknown {
  const p = join(FIXTURES, rel);
  if (existsSync(p)) return parseLamiJson(readFileSync(p, "utf8"));
  if (existsSync(p + ".gz")) return parseLamiJson(gunzipSync(readFileSync(p + ".gz")).toString("utf8"));
  throw new Error(`No fixture ${rel}`);
}

/** Relative tolerance for floats (Python and JS both use doubles; stdev differs in the last bits). */
const REL = 1e-9;

function numEq(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === "bigint" || typeof b === "bigint") return BigInt(a) === BigInt(b);
  if (a === b) return true;
  return Math.abs(a - b) <= REL * Math.max(Math.abs(a), Math.abs(b));
}

/** First difference between two LAMI values, as a path and message; null when equal. */
export function diff(a: unknown, b: unknown, path = ""): string | null {
  if ((typeof a === "number" || typeof a === "bigint") && (typeof b === "number" || typeof b === "bigint")) return numEq(a, b) ? null : `${path}: ${a} != ${b}`;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object")
    return a === b ? null : `${path}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: length ${a.length} != ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = diff(a[i], b[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) {
    const d = diff(ao[k], bo[k], `${path}.${k}`);
    if (d !== null) return d;
  }
  return null;
}
