/** Numeric helpers matching Python's `statistics` and lttng-analyses' histograms. */

/**
 * Sample standard deviation, as Python's statistics.stdev (exact for integer data:
 * the sum of squares is computed in BigInt). NaN below two values.
 */
export function stdev(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return Number.NaN;
  let allInt = true;
  for (const v of values) if (!Number.isSafeInteger(v)) {
    allInt = false;
    break;
  }
  if (allInt) {
    let s = 0n;
    let s2 = 0n;
    for (const v of values) {
      const b = BigInt(v);
      s += b;
      s2 += b * b;
    }
    const bn = BigInt(n);
    const num = bn * s2 - s * s;
    const den = bn * (bn - 1n);
    return Math.sqrt(Number(num) / Number(den));
  }
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let ss = 0;
  let c = 0;
  for (const v of values) {
    ss += (v - mean) * (v - mean);
    c += v - mean;
  }
  ss -= (c * c) / n;
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
