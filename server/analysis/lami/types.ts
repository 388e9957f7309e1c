/**
 * LAMI 1.0 (the lttng-analyses machine interface) as plain data: what
 * `lttng-*-mi` prints and Trace Compass's "External Analyses" reads.
 * Timestamps are absolute epoch nanoseconds and exceed 2^53, so they are
 * `bigint` here; `toLamiJson` writes them as bare JSON integers.
 */

export type LamiTimestamp = { class: "timestamp"; value: bigint };
export type LamiTimeRange = { class: "time-range"; begin: LamiTimestamp; end: LamiTimestamp };

export type LamiValue =
  | null // lttng-analyses' mi.Empty
  | { class: "unknown" }
  | { class: "bool"; value: boolean | null }
  | { class: "number"; value?: number; low?: number; high?: number }
  | { class: "string"; value: string }
  | { class: "ratio"; value: number }
  | LamiTimestamp
  | { class: "duration"; value: number }
  | { class: "size"; value: number }
  | { class: "bitrate"; value: number }
  | LamiTimeRange
  | { class: "syscall"; name: string }
  | { class: "process"; name?: string; pid?: number; tid?: number }
  | { class: "path"; path: string }
  | { class: "fd"; fd: number }
  | { class: "irq"; hard: boolean; nr: number; name?: string }
  | { class: "cpu"; id: number }
  | { class: "disk"; name: string }
  | { class: "part"; name: string }
  | { class: "netif"; name: string };

export type LamiValueClass = Exclude<LamiValue, null>["class"];

export interface LamiColumnDescription {
  title: string;
  class: LamiValueClass;
  unit?: string;
}

export interface LamiTableClass {
  inherit?: string;
  title?: string;
  "column-descriptions"?: LamiColumnDescription[];
}

export type LamiRow = LamiValue[];

export interface LamiResultTable {
  /** A table class name from the metadata, or an inline class (subtitled tables inherit). */
  class: string | LamiTableClass;
  "time-range": LamiTimeRange;
  data: LamiRow[];
}

export interface LamiResults {
  results: LamiResultTable[];
}

export interface LamiError {
  "error-message": string;
  "error-code"?: number;
}

export interface LamiMetadata {
  "mi-version": { major: number; minor: number };
  version: { major: number; minor: number; patch: number; extra: string };
  title: string;
  description: string;
  authors: string[];
  url: string;
  tags: string[];
  "table-classes": Record<string, LamiTableClass>;
}
