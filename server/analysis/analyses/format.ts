/** Text formats that lttng-analyses puts inside LAMI string cells. */

export interface PrioEvent {
  ts: number;
  prio: number | null;
}

/** format_utils.format_prio_list: "[20, 21 (3 times)]", unique priorities sorted. */
export function formatPrioList(list: readonly PrioEvent[]): string {
  const counts = new Map<number, number>();
  for (const e of list) {
    const p = e.prio ?? 0;
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  const parts = [...counts.keys()]
    .sort((a, b) => a - b)
    .map((p) => {
      const c = counts.get(p)!;
      return c > 1 ? `${p} (${c} times)` : `${p}`;
    });
  return `[${parts.join(", ")}]`;
}
