/**
 * The `limit` largest items by a numeric key, as `[...xs].sort((a, b) => key(b) - key(a))
 * .slice(0, limit)` returns them (ties keep their input order: the sort is stable), without
 * sorting every request of a trace to print ten of them.
 */
export function topByDesc<T>(xs: readonly T[], key: (x: T) => number, limit: number): T[] {
  if (!(Number.isInteger(limit) && limit >= 0 && limit < xs.length)) return [...xs].sort((a, b) => key(b) - key(a)).slice(0, limit);
  if (limit === 0) return [];
  const best: T[] = [];
  const keys: number[] = [];
  for (const x of xs) {
    const k = key(x);
    // Not NaN-safe like the sort it replaces; keys here are durations and latencies.
    if (best.length === limit && !(k > keys[limit - 1]!)) continue;
    // After every kept item of an equal key: the first position holding a smaller key.
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! >= k) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, x);
    keys.splice(lo, 0, k);
    if (best.length > limit) {
      best.pop();
      keys.pop();
    }
  }
  return best;
}
