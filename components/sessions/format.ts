/** Display helpers for sizes, durations and counters (presentation only). */

const num = new Intl.NumberFormat("en-US");

export function fmtCount(n: number): string {
  return num.format(n);
}

/** Bytes in binary units, as LTTng's documentation writes sizes (KiB, MiB, GiB). */
export function fmtBytes(n: number): string {
  if (n >= 1024 ** 3 && n % 1024 ** 3 === 0) return `${n / 1024 ** 3} GiB`;
  if (n >= 1024 ** 2 && n % 1024 ** 2 === 0) return `${n / 1024 ** 2} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

/** Microseconds as the largest whole unit. */
export function fmtUs(us: number): string {
  if (us === 0) return "off";
  if (us % 3_600_000_000 === 0) return `${us / 3_600_000_000} h`;
  if (us % 60_000_000 === 0) return `${us / 60_000_000} min`;
  if (us % 1_000_000 === 0) return `${us / 1_000_000} s`;
  if (us % 1000 === 0) return `${us / 1000} ms`;
  return `${us} µs`;
}

/** A rotation schedule in a few words (for the mode badge), or null when there is none. */
export function fmtRotation(r: { periodicUs: number | null; sizeBytes: number | null } | undefined): string | null {
  if (!r) return null;
  const parts = [r.periodicUs !== null ? `every ${fmtUs(r.periodicUs)}` : null, r.sizeBytes !== null ? `at ${fmtBytes(r.sizeBytes)}` : null].filter(Boolean);
  return parts.length ? parts.join(", ") : null;
}
