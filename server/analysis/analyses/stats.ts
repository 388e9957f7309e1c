/** Numeric helpers matching Python's `statistics` and lttng-analyses' histograms. */

/**
 * Sample standard deviation, as Python's statistics.stdev (exact for integer data:
 * the sum of squares is computed in BigInt). NaN below two values.
 */
export function stdev(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return Number.NaN;
  // Two passes with compensated sums: within a few ulps of Python's exact result.
  let sum = 0;
  let c = 0;
  for (const v of values) {
    const y = v - c;
    const t = sum + y;
    c = t - sum - y;
    sum = t;
  }
  const mean = sum / n;
  let ss = 0;
  let cs = 0;
  let dev = 0;
  for (const v of values) {
    const d = v - mean;
    dev += d;
    const y = d * d - cs;
    const t = ss + y;
    cs = t - ss - y;
    ss = t;
  }
  ss -= (dev * dev) / n;
  return Math.sqrt(ss / (n - 1));
}

export function minOf(values: readonly number[]): number {
  let m = Infinity;
  for (const v of values) if (v < m) m = v;
  return m;
}

export function maxOf(values: readonly number[]): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m;
}

export function sumOf(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/**
 * Bucket counts of the sched/irq/period histograms: `resolution` equal buckets from
 * `min` (µs), a value equal to `max` going to the last bucket, others beyond dropped.
 */
export function bucketCounts(valuesUs: Iterable<number>, min: number, max: number, step: number, resolution: number): number[] {
  const counts = new Array<number>(resolution).fill(0);
  for (const d of valuesUs) {
    const index = Math.trunc((d - min) / step);
    if (index >= resolution) {
      if (d === max && index - 1 < resolution) counts[index - 1]! += 1;
      continue;
    }
    // Python indexes a negative bucket from the end.
    if (index < 0) {
      const j = resolution + index;
      if (j >= 0) counts[j]! += 1;
      continue;
    }
    counts[index]! += 1;
  }
  return counts;
}
