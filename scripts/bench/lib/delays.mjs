/**
 * Delays (ms) of every delivered event in 0.1 ms buckets up to 120 s: quantiles over all of
 * them with no per-event memory. Shared by the live bench and its runners.
 */
export class Delays {
  static BUCKET_MS = 0.1;
  hist = new Float64Array(1_200_000);
  count = 0;
  max = -Infinity;

  add(ms) {
    this.hist[Math.max(0, Math.min(this.hist.length - 1, Math.floor(ms / Delays.BUCKET_MS)))]++;
    this.count++;
    if (ms > this.max) this.max = ms;
  }

  quantile(p) {
    let want = p * this.count;
    for (let i = 0; i < this.hist.length; i++) {
      want -= this.hist[i];
      if (want <= 0) return (i + 1) * Delays.BUCKET_MS;
    }
    return NaN;
  }
}
