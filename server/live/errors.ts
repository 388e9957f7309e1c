/**
 * The one error type of the live viewer. The code says what the user can do about it (the
 * tRPC layer maps it to a status, the CLI prints the message); the message is a sentence
 * naming the relay and session.
 */
import { brandDomainError } from "../shared/domain-error";
export type LiveErrorCode =
  /** Nothing listens on the relay's live port, or the connection dropped. */
  | "RELAY_UNREACHABLE"
  /** No live relay session of that name (or host). */
  | "SESSION_NOT_FOUND"
  /** The session streams to the relay but has no live timer. */
  | "NOT_LIVE"
  /** Another viewer (babeltrace2, `lttng view`, another Tracedeck) holds the session. */
  | "ALREADY_ATTACHED"
  /** The relay answered something the protocol does not allow, or an error status. */
  | "PROTOCOL"
  /** The relay did not answer in time. */
  | "TIMEOUT"
  /** Bad input (URL, filter) caught before the relay was asked. */
  | "INVALID_INPUT"
  /** The caller closed the viewer. */
  | "CLOSED";

export class LiveError extends Error {
  readonly code: LiveErrorCode;
  constructor(code: LiveErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LiveError";
    this.code = code;
  }
}
brandDomainError(LiveError, "LiveError");
