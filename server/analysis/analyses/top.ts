/**
 * The `limit` largest items by a numeric key, as `[...xs].sort((a, b) => key(b) - key(a))
 * .slice(0, limit)` returns them (ties keep their input order: the sort is stable), without
 * sorting every request of a trace to print ten of them.
 */
export function topByDesc<T>(xs: readonly T[], key: (x: T) => number, limit: number): T[] {
  if (!TopByDesc.fits(limit) || limit >= xs.length) return [...xs].sort((a, b) => key(b) - key(a)).slice(0, limit);
  const top = new TopByDesc<T>(limit);
  for (const x of xs) top.add(x, key(x));
  return top.items;
}

/**
 * topByDesc fed one item at a time (several lists filled in one pass over the requests):
 * `items` is the stable descending sort of everything added, cut at `limit`.
 */
export class TopByDesc<T> {
  readonly items: T[] = [];
  private readonly keys: number[] = [];

  /** Limits this class handles (the others follow slice()'s rules: sort everything). */
  static fits(limit: number): boolean {
    return Number.isInteger(limit) && limit >= 0;
  }

  constructor(readonly limit: number) {}

  add(x: T, k: number): void {
    const { items, keys, limit } = this;
    // Not NaN-safe like the sort it replaces; keys here are durations and latencies.
    if (items.length === limit && !(k > keys[limit - 1]!)) return;
    if (limit === 0) return;
    // After every kept item of an equal key: the first position holding a smaller key.
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! >= k) lo = mid + 1;
      else hi = mid;
    }
    items.splice(lo, 0, x);
    keys.splice(lo, 0, k);
    if (items.length > limit) {
      items.pop();
      keys.pop();
    }
  }
}
