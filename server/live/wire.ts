/**
 * What crosses from the consumer's worker thread to the fan-out (events as batches:
 * batch.ts), and from there to browsers (superjson keeps the bigints and carries
 * `LiveEvents` as its columnar wire form): the worker's messages, and the messages a
 * subscriber receives.
 */
import type { LiveEvents } from "../shared/live-events";
import type { BatchMessage } from "./batch";
import type { LiveCounters } from "./consumer";
import type { LiveErrorCode } from "./errors";
import type { LiveFilterInput } from "./filter";

export type { WireEvent } from "../shared/live-events";

export type WorkerMessage =
  | { type: "attached"; hostname: string; liveTimerUs: number; relaySessions: number; relayMinor: number }
  | BatchMessage
  | { type: "discarded"; kind: "discarded" | "lost-packets"; count: number; stream: string }
  | { type: "end"; reason: "ended" | "stopped"; counters: LiveCounters }
  | { type: "error"; code: LiveErrorCode | "INTERNAL"; message: string };

/** From the hub to its worker: stop, or the filters to evaluate (one mask bit each, in order). */
export type WorkerRequest = { type: "stop" } | { type: "filters"; filters: LiveFilterInput[] };

export interface LiveChannelStats {
  state: ChannelState;
  /** Events decoded by the consumer (all, before any filter). */
  received: number;
  /** Events per second received, over the last second. */
  receivedPerSecond: number;
  discardedEvents: number;
  lostPackets: number;
  subscribers: number;
  reconnects: number;
}

export type ChannelState = "connecting" | "streaming" | "reconnecting" | "ended" | "failed";

export interface SubscriberStats {
  /** Events that passed this subscriber's filter. */
  matched: number;
  delivered: number;
  /** Matched events not delivered because this subscriber fell behind (sampled out). */
  skipped: number;
}

export type LiveMessage =
  | { kind: "status"; state: ChannelState; message: string; liveTimerUs?: number; hostname?: string }
  /** `sampled`: this batch is a uniform sample of what matched since the last one; `skipped` says how many did not make it. */
  /** `events` (columns, read in place) may be shared by several subscribers: read-only. */
  | { kind: "events"; events: LiveEvents; skipped: number; sampled: boolean }
  /** The relay was lost: nothing between `afterNs` (last event before) and the first event after is known. */
  | { kind: "gap"; afterNs: bigint | null; durationMs: number; reason: string }
  | { kind: "stats"; channel: LiveChannelStats; subscriber: SubscriberStats }
  | { kind: "end"; reason: string };
