import type { LamiResultTable, LamiValue } from "./lami/types";

/** The time span a row covers, for the UI to jump to (absolute epoch ns). */
export type RowRange = { begin: bigint; end: bigint } | null;

/**
 * A row's time range: its first time-range cell, else its first two timestamps
 * (sched wake-up → switch, period begin → end), else its only timestamp.
 */
export function rowRange(row: readonly LamiValue[]): RowRange {
  let first: bigint | null = null;
  for (const c of row) {
    if (c === null) continue;
    if (c.class === "time-range") return { begin: c.begin.value, end: c.end.value };
    if (c.class === "timestamp") {
      if (first === null) first = c.value;
      else return first <= c.value ? { begin: first, end: c.value } : { begin: c.value, end: first };
    }
  }
  return first === null ? null : { begin: first, end: first };
}

export function tableRowRanges(t: LamiResultTable): RowRange[] {
  return t.data.map(rowRange);
}
