/**
 * The contract between the CTF reader and everything that consumes events
 * (analyses, live view, archive indexer, CLI). Consumers import only from
 * `server/ctf/index.ts`, which re-exports these types.
 *
 * Time model (DESIGN.md "Time"): each opened trace set has one origin in
 * absolute epoch nanoseconds (bigint). Every event carries `ts`, nanoseconds
 * relative to that origin, as a JS number: exact for spans up to 104 days and
 * cheap on the hot path. Convert to absolute only at the edges.
 */

/** A decoded field value. Integers that fit in 2^53 are numbers, larger ones bigint. */
export type FieldValue = number | bigint | string | null | FieldValue[] | { readonly [name: string]: FieldValue };

export type FieldMap = Record<string, FieldValue>;

/** What one trace (one metadata file) of the set says about itself. */
export interface TraceInfo {
  /** Directory holding the trace's `metadata` file. */
  path: string;
  /** `env.domain`: "kernel", "ust", or "" when absent. */
  domain: string;
  /** `env.hostname`, "" when absent. */
  hostname: string;
  /** The whole `env` block, as declared. */
  env: Record<string, string | number | bigint>;
  /** `env.tracer_major/minor/patchlevel` when present. */
  tracerVersion?: { major: number; minor: number; patch: number };
}

export interface EventRecord {
  kind: "event";
  /** Event class name, e.g. "sched_switch" or "webapp:request_end". */
  name: string;
  /** Nanoseconds relative to the set's origin. */
  ts: number;
  /** Packet context `cpu_id`, or -1 when the stream has none. */
  cpu: number;
  /** Index into `TraceSet.traces` of the trace this event belongs to. */
  trace: number;
  /** Event payload fields (enums decode to their integer value). */
  payload: FieldMap;
  /**
   * Stream event context then event context, merged (keys as declared,
   * leading underscores of CTF-escaped names removed), e.g. vpid, vtid, procname.
   */
  context: FieldMap;
}

/** Events the tracer dropped (packet context `events_discarded` delta). */
export interface DiscardedRecord {
  kind: "discarded";
  count: number;
  /** Time range in which the events were lost (relative ns). */
  beginTs: number;
  endTs: number;
  cpu: number;
  trace: number;
  /** Stream file path. */
  stream: string;
}

/** Packets lost in transport (packet_seq_num gap). */
export interface LostPacketsRecord {
  kind: "lost-packets";
  count: number;
  beginTs: number;
  endTs: number;
  cpu: number;
  trace: number;
  stream: string;
}

export type TraceItem = EventRecord | DiscardedRecord | LostPacketsRecord;
