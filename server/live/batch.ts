/**
 * A pass's events from the live worker, on the main thread: the columnar buffer of
 * server/shared/live-events.ts (transferred, not structured-cloned: cloning ~200 k small
 * objects a second cost more CPU on both threads than decoding them), plus a bit per event
 * for each subscriber filter the worker evaluated (the fields are objects there already).
 * Subscribers take events by index; what they take is packed buffer to buffer, never
 * rebuilt as objects on the way to the browser.
 */
import { LiveEvents, packChunks, type LiveTables, type TimeOfDay, type WireEvent, type WrittenBatch } from "../shared/live-events";
import { formatTimeOfDayParts, type EpochNs } from "../time";
import type { LiveCounters } from "./consumer";

/** Filters evaluated in the worker, one bit each in the batch's mask. */
export const MAX_WORKER_FILTERS = 32;

export interface BatchMessage extends WrittenBatch {
  type: "events";
  /** Absolute epoch ns that the time column is relative to. */
  originNs: EpochNs;
  /** u32 per event: bit b set when the event matched `filterKeys[b]`. */
  mask: ArrayBuffer;
  filterKeys: string[];
  counters: LiveCounters;
}

/** Times as babeltrace2 prints them, in the server's time zone (server/time.ts owns it). */
export const serverTimeOfDay: TimeOfDay = formatTimeOfDayParts;

/** The tables of one worker's batches, on the main thread. */
export class BatchDecoder {
  readonly tables: LiveTables = { names: [], shapes: [] };

  open(m: BatchMessage): EventBatch {
    for (const n of m.names) this.tables.names.push(n);
    for (const s of m.shapes) this.tables.shapes.push(s);
    return new EventBatch(m, this.tables);
  }
}

export class EventBatch {
  readonly events: LiveEvents;
  readonly filterKeys: string[];
  readonly counters: LiveCounters;
  private readonly mask: Uint32Array;
  private whole: LiveEvents[] | undefined;

  constructor(m: BatchMessage, tables: LiveTables) {
    this.events = new LiveEvents(m.buf, m.count, m.originNs, tables, serverTimeOfDay);
    this.mask = new Uint32Array(m.mask);
    this.filterKeys = m.filterKeys;
    this.counters = m.counters;
  }

  get length(): number {
    return this.events.length;
  }

  /** The mask bit of a filter in this batch, -1 when the worker did not evaluate it. */
  bitOf(key: string): number {
    return this.filterKeys.indexOf(key);
  }

  matches(i: number, bit: number): boolean {
    return ((this.mask[i]! >>> bit) & 1) === 1;
  }

  name(i: number): string {
    return this.events.name(i);
  }

  /** The event as an object (for a filter the worker did not evaluate). */
  event(i: number): WireEvent {
    return this.events.event(i);
  }

  /** Every event, packed (in wire-sized parts) once for all subscribers that take them all. */
  all(): LiveEvents[] {
    this.whole ??= packChunks(
      this.length,
      () => this.events,
      (k) => k,
      serverTimeOfDay,
    );
    return this.whole;
  }
}
