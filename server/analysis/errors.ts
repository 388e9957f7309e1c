/**
 * The one error type of the analyses. The code says what went wrong (the tRPC layer maps
 * it to a status, the CLI to an exit code and prefix); the message is the user's sentence,
 * spelled as lttng-analyses spells it where it has one.
 */
import { brandDomainError } from "../shared/domain-error";
export type AnalysisErrorCode =
  /** The `tracedeck analyze` command line does not parse (lttng-analyses' argparse wording). */
  | "INVALID_ARGUMENTS"
  /** Options that cannot run together. */
  | "INVALID_OPTIONS"
  /** A --begin, --end or --timerange that is not a date. */
  | "INVALID_DATE"
  /** A --period or capture expression that does not parse. */
  | "MALFORMED_EXPRESSION"
  /** A --period definition that parses but cannot hold (unknown parent, bad scope). */
  | "INVALID_PERIOD"
  /** The streams' time ranges do not intersect: nothing to read (lttng-analyses' message). */
  | "NO_INTERSECTION"
  /** The run stopped on something else (an unreadable trace, say), possibly in a worker thread. */
  | "RUN_FAILED"
  /** The run was stopped at the server's time limit. */
  | "TIME_LIMIT"
  /** A result table too big to send to a browser. */
  | "RESULT_TOO_LARGE";

export class AnalysisError extends Error {
  readonly code: AnalysisErrorCode;
  constructor(code: AnalysisErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AnalysisError";
    this.code = code;
  }
}
brandDomainError(AnalysisError, "AnalysisError");

/** lttng-analyses' own message when the streams share no time range. */
export const NO_INTERSECTION_MESSAGE = "Trace has no intersection. Use --no-intersection to override";
