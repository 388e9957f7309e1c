import type { EventRecord, FieldValue } from "../ctf/types";

/** The part of a decoded event the analyses read. */
export type AnalysisEvent = Pick<EventRecord, "name" | "ts" | "cpu" | "payload" | "context">;

/**
 * A field looked up the way babeltrace 1's `event[name]` does for lttng-analyses:
 * payload first, then contexts, then the packet context's `cpu_id`.
 */
export function field(ev: AnalysisEvent, name: string): FieldValue | undefined {
  const p = ev.payload[name];
  if (p !== undefined) return p;
  const c = ev.context[name];
  if (c !== undefined) return c;
  if (name === "cpu_id" && ev.cpu >= 0) return ev.cpu;
  return undefined;
}

/** An integer field as a JS number (kernel ids, sizes and return values fit in 2^53). */
export function num(v: FieldValue | undefined): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return undefined;
}

export function str(v: FieldValue | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}
