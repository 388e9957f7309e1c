/**
 * --freq-uniform: one bucket layout shared by all histograms of a category, widened
 * across periods as lttng-analyses' Command._find_uniform_freq_values does (µs).
 */
export type UniformState = Map<string, { min: number | null; max: number | null }>;

export function uniformFreqValues(
  state: UniformState,
  category: string,
  durations: readonly number[],
  ratio: number,
  resolution: number,
  /** --min/--max in ns (the analysis filters), which fix the bounds when given. */
  fixedMinNs: number | null,
  fixedMaxNs: number | null,
): { min: number; max: number; step: number } {
  let s = state.get(category);
  if (s === undefined) {
    s = { min: null, max: null };
    state.set(category, s);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const d of durations) {
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  if (fixedMinNs !== null) s.min = fixedMinNs / 1000;
  else if (durations.length === 0) s.min = 0;
  else if (s.min === null || lo / ratio < s.min) s.min = lo / ratio;
  if (fixedMaxNs !== null) s.max = fixedMaxNs / 1000;
  else if (durations.length === 0) s.max = 0;
  else if (s.max === null || hi / ratio > s.max) s.max = hi / ratio;
  return { min: s.min, max: s.max, step: (s.max - s.min) / resolution };
}
