/**
 * The one time vocabulary of Tracedeck (DESIGN.md "Time").
 *
 * `RelNs` and `EpochNs` are branded: a plain number or bigint becomes one only through
 * `relNs()` / `epochNs()` at the edge where its unit is known (a trace's origin, an API
 * input, a database column), or through the conversions below, so a relative time cannot be
 * passed where an absolute one is meant. Arithmetic on them gives plain numbers again: the
 * hot path keeps its `ts: number` and brands only what crosses a boundary.
 *
 * - `RelNs`: nanoseconds relative to a trace set's origin, a JS number. Exact while
 *   |value| < 2^53 ns (104 days); the hot path uses only this.
 * - `EpochNs`: absolute nanoseconds since the Unix epoch, a bigint. Used at the edges only
 *   (API, display, file names).
 * - `Cycles`: raw clock values as recorded by the tracer (bigint).
 *
 * Conversions that can lose precision say so.
 */

declare const relNsBrand: unique symbol;
declare const epochNsBrand: unique symbol;
export type RelNs = number & { readonly [relNsBrand]: true };
export type EpochNs = bigint & { readonly [epochNsBrand]: true };
export type Cycles = bigint;

const NS_PER_S = 1_000_000_000n;

/** Names a bigint as absolute epoch nanoseconds (the caller knows it is one). */
export function epochNs(ns: bigint): EpochNs {
  return ns as EpochNs;
}

/** Names a number as nanoseconds relative to a trace set's origin (the caller knows it is one). */
export function relNs(ns: number): RelNs {
  return ns as RelNs;
}

/** Absolute time of a relative timestamp. `rel` is rounded to an integer ns first. */
export function toEpochNs(originNs: EpochNs, rel: RelNs | number): EpochNs {
  return (originNs + BigInt(Math.round(rel))) as EpochNs;
}

/** Relative time of an absolute timestamp. Loses precision beyond 2^53 ns (104 days) from the origin. */
export function toRelNs(originNs: EpochNs, abs: EpochNs): RelNs {
  return Number(abs - originNs) as RelNs;
}

/** Milliseconds since the epoch (for Date). Loses sub-millisecond precision. */
export function epochNsToMs(abs: EpochNs): number {
  return Number(abs / 1_000_000n);
}

let cachedSec: bigint | undefined;
let cachedHms = "";
let cachedTz: string | undefined;

/**
 * `HH:MM:SS.nnnnnnnnn` in the local time zone (honours `TZ`), as babeltrace2 prints event
 * times. Negative times print as `-S.nnnnnnnnn` (babeltrace2's fallback).
 */
export function formatTimeOfDay(abs: EpochNs): string {
  if (abs < 0n) return formatSeconds(abs);
  const sec = abs / NS_PER_S;
  const ns = abs % NS_PER_S;
  const tz = process.env.TZ;
  if (sec !== cachedSec || tz !== cachedTz) {
    const d = new Date(Number(sec) * 1000);
    cachedHms = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
    cachedSec = sec;
    cachedTz = tz;
  }
  return `${cachedHms}.${ns.toString().padStart(9, "0")}`;
}

let cachedSecN = NaN;
let cachedHmsN = "";
let cachedTzN: string | undefined;

/** formatTimeOfDay for a time given as whole seconds since the epoch (floor) and ns (0..1e9-1). */
export function formatTimeOfDayParts(sec: number, ns: number): string {
  if (sec < 0) return formatTimeOfDay((BigInt(sec) * NS_PER_S + BigInt(ns)) as EpochNs);
  const tz = process.env.TZ;
  if (sec !== cachedSecN || tz !== cachedTzN) {
    const d = new Date(sec * 1000);
    cachedHmsN = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
    cachedSecN = sec;
    cachedTzN = tz;
  }
  return `${cachedHmsN}.${pad9(ns)}`;
}

/** `+S.nnnnnnnnn` from a non-negative whole-seconds / ns difference. */
export function formatDeltaParts(dsec: number, dns: number): string {
  return `+${dsec}.${pad9(dns)}`;
}

function pad9(n: number): string {
  const s = String(n);
  return s.length >= 9 ? s : "000000000".slice(s.length) + s;
}

/** `S.nnnnnnnnn` seconds since the epoch (sign first when negative). */
export function formatSeconds(abs: EpochNs): string {
  const neg = abs < 0n;
  const a = neg ? -abs : abs;
  return `${neg ? "-" : ""}${a / NS_PER_S}.${(a % NS_PER_S).toString().padStart(9, "0")}`;
}

/** `+S.nnnnnnnnn`, babeltrace2's delta between consecutive events. */
export function formatDelta(deltaNs: number | bigint): string {
  const d = typeof deltaNs === "bigint" ? deltaNs : BigInt(Math.round(deltaNs));
  const u = d < 0n ? BigInt.asUintN(64, d) : d; // babeltrace2 prints the uint64 difference
  return `+${u / NS_PER_S}.${(u % NS_PER_S).toString().padStart(9, "0")}`;
}

/** ISO 8601 UTC with nanoseconds: `2026-11-26T08:00:00.123456789Z`. */
export function formatIsoNs(abs: EpochNs): string {
  const sec = abs >= 0n ? abs / NS_PER_S : (abs - NS_PER_S + 1n) / NS_PER_S;
  const ns = abs - sec * NS_PER_S;
  const iso = new Date(Number(sec) * 1000).toISOString().slice(0, 19);
  return `${iso}.${ns.toString().padStart(9, "0")}Z`;
}

/** Human duration: `1.234 s`, `12.3 ms`, `456 ns`. */
export function formatDuration(ns: number): string {
  const a = Math.abs(ns);
  if (a >= 1e9) return `${(ns / 1e9).toFixed(3)} s`;
  if (a >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`;
  if (a >= 1e3) return `${(ns / 1e3).toFixed(3)} µs`;
  return `${Math.round(ns)} ns`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
