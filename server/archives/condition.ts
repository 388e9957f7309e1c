/**
 * CI thresholds for `tracedeck record --fail-if`: `FUNC(EVENT.FIELD) OP VALUE[UNIT]`, e.g.
 * `p99(request_end.latency_ns) > 50ms`. FUNC is p50/p90/p95/p99/p999, min, max, avg or count;
 * EVENT is an event name with or without its provider (`tracedeck_demo:request_end` or
 * `request_end`); a unit (ns, us, ms, s) makes VALUE a duration in nanoseconds. Evaluated on
 * one pass of the CTF reader.
 */
import { openTraceSet } from "../ctf";

export type Aggregate = "min" | "max" | "avg" | "count" | `p${number}`;

export interface Condition {
  text: string;
  fn: Aggregate;
  event: string;
  field: string;
  op: ">" | ">=" | "<" | "<=" | "==" | "!=";
  /** Threshold in the field's unit (ns when a time unit was given). */
  value: number;
}

export class ConditionError extends Error {
  override name = "ConditionError";
}

const RE =
  /^\s*(p50|p90|p95|p99|p999|min|max|avg|count)\(\s*([A-Za-z0-9_:.-]+)\.([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*(>=|<=|==|!=|>|<)\s*([0-9]+(?:\.[0-9]+)?)\s*(ns|us|µs|ms|s)?\s*$/;
const UNIT: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9 };

export function parseCondition(text: string): Condition {
  if (text.length > 500) throw new ConditionError("The condition is too long (500 characters at most).");
  const m = RE.exec(text);
  if (!m)
    throw new ConditionError(`Cannot read the condition '${text}': write FUNC(EVENT.FIELD) OP VALUE[ns|us|ms|s], e.g. 'p99(request_end.latency_ns) > 50ms'.`);
  const [, fn, event, field, op, num, unit] = m as unknown as [string, Aggregate, string, string, Condition["op"], string, string | undefined];
  return { text: text.trim(), fn, event, field, op, value: Number(num) * (unit ? UNIT[unit]! : 1) };
}

export interface ConditionResult {
  condition: Condition;
  /** The aggregate's value, null when no event carried the field. */
  actual: number | null;
  samples: number;
  holds: boolean;
}

function aggregate(fn: Aggregate, values: Float64Array): number | null {
  if (fn === "count") return values.length;
  if (values.length === 0) return null;
  if (fn === "min") return values.reduce((a, b) => Math.min(a, b), Infinity);
  if (fn === "max") return values.reduce((a, b) => Math.max(a, b), -Infinity);
  if (fn === "avg") return values.reduce((a, b) => a + b, 0) / values.length;
  // Nearest rank: the smallest value with at least q of the samples at or below it.
  const q = Number(fn.slice(1)) / (fn === "p999" ? 1000 : 100);
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function compare(a: number, op: Condition["op"], b: number): boolean {
  switch (op) {
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case "==":
      return a === b;
    case "!=":
      return a !== b;
  }
}

/** Evaluates the condition on the trace(s) under `dir`. A condition on no sample does not hold. */
export function evaluateCondition(dir: string, c: Condition): ConditionResult {
  const matches = (name: string) => name === c.event || name.endsWith(`:${c.event}`);
  const set = openTraceSet([dir], { events: matches });
  const values: number[] = [];
  try {
    set.forEachUnordered((item) => {
      if (item.kind !== "event" || !matches(item.name)) return;
      const v = item.payload[c.field];
      if (typeof v === "number") values.push(v);
      else if (typeof v === "bigint") values.push(Number(v));
    });
  } finally {
    set.close();
  }
  const actual = aggregate(c.fn, Float64Array.from(values));
  return { condition: c, actual, samples: values.length, holds: actual !== null && (c.fn === "count" || values.length > 0) && compare(actual, c.op, c.value) };
}
