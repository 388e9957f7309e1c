/**
 * Log views of a LAMI frequency table. lttng-analyses buckets durations linearly
 * (--freq-resolution equal steps between min and max), so a few slow requests among
 * thousands of fast ones are invisible: latency tools show such distributions on log axes.
 * These views never invent counts: a log bucket is a run of adjacent linear buckets, its
 * bounds are theirs and its count their sum.
 */

export interface FreqBucket {
  lower: number;
  upper: number;
  counts: number[];
}

/**
 * Merges adjacent linear buckets into buckets that grow geometrically (each at least twice as
 * wide as the span below it, as power-of-two latency histograms do), so every bucket keeps
 * an exact count. The first bucket cannot be split: its width is the analysis's linear step.
 */
export function logBuckets(buckets: readonly FreqBucket[], growth = 2): FreqBucket[] {
  const out: FreqBucket[] = [];
  let i = 0;
  while (i < buckets.length) {
    const first = buckets[i]!;
    const merged: FreqBucket = { lower: first.lower, upper: first.upper, counts: [...first.counts] };
    i++;
    // A bucket starting at (or below) zero stays alone: no geometric growth from 0.
    if (first.lower > 0) {
      while (i < buckets.length && merged.upper < first.lower * growth) {
        const b = buckets[i]!;
        merged.upper = b.upper;
        b.counts.forEach((c, k) => (merged.counts[k] = (merged.counts[k] ?? 0) + c));
        i++;
      }
    }
    out.push(merged);
  }
  return out;
}

/** On a log count axis a zero has no place: it is drawn as no bar. */
export function logCount(v: number): number | null {
  return v > 0 ? v : null;
}
