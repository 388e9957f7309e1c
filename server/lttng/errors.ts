/**
 * The one error type of the LTTng control layer. It carries LTTng's own message (the
 * `Error: …` lines of stderr, which is the only place LTTng explains a failure; the MI just
 * says `<success>false</success>`), a code the tRPC layer maps to an HTTP-ish status, and,
 * when known, the input field the failure is about so the UI can show it beside that field.
 */
import { brandDomainError } from "../shared/domain-error";
export type LttngErrorCode =
  /** No session daemon answers (`Error: No session daemon is available`). */
  | "SESSIOND_UNAVAILABLE"
  /** The kernel domain was asked for but the kernel tracer is not loaded. */
  | "KERNEL_TRACER_UNAVAILABLE"
  /** A session, trigger, channel or output does not exist. */
  | "NOT_FOUND"
  /** A session, trigger, output or saved file already exists. */
  | "ALREADY_EXISTS"
  /** LTTng refused the filter expression, or our own filter check did. */
  | "INVALID_FILTER"
  /** A streaming/live session whose relay daemon cannot be reached. */
  | "RELAYD_UNREACHABLE"
  /** Refused by a guard (mode, frozen channels, daemon version) before LTTng was asked. */
  | "NOT_ALLOWED"
  /** Bad input caught before LTTng was asked. */
  | "INVALID_INPUT"
  /** `lttng` did not finish in time and was killed. */
  | "TIMEOUT"
  /** A traced host could not be reached over SSH, or its host key is not the pinned one. */
  | "HOST_UNREACHABLE"
  /** `lttng` could not be started, or printed something that is not a valid MI document. */
  | "TOOL_FAILURE"
  /** Any other refusal by LTTng: the message says why. */
  | "COMMAND_FAILED";

export interface LttngErrorDetails {
  /** The lttng subcommand, e.g. `enable-event`. */
  command?: string;
  /** The full argument array given to `lttng` (after the global options). */
  args?: string[];
  exitCode?: number | null;
  /** The signal that killed lttng (SIGABRT: one of LTTng's own assertions failed). */
  signal?: string | null;
  /** Everything lttng printed on stderr. */
  stderr?: string;
  /** The input field the failure is about (`filter`, `name`, `maxSize`, `url` …). */
  field?: string;
}

export class LttngError extends Error {
  readonly code: LttngErrorCode;
  readonly details: LttngErrorDetails;
  constructor(code: LttngErrorCode, message: string, details: LttngErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LttngError";
    this.code = code;
    this.details = details;
  }
  get field(): string | undefined {
    return this.details.field;
  }
}
brandDomainError(LttngError, "LttngError");

/**
 * LTTng's own explanation from stderr: the `Error: ` lines without the prefix. Falls back to
 * the whole stderr (trimmed) when no such line exists.
 */
export function lttngMessage(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const errors = lines.filter((l) => l.startsWith("Error: ")).map((l) => l.slice("Error: ".length));
  if (errors.length > 0) return errors.join("\n");
  return lines.join("\n");
}

// Order matters: the first pattern that matches decides the code.
const CLASSIFY: Array<[RegExp, LttngErrorCode, string | undefined]> = [
  [/No session daemon is available/, "SESSIOND_UNAVAILABLE", undefined],
  [/Kernel tracer not available/, "KERNEL_TRACER_UNAVAILABLE", undefined],
  [/Invalid filter|filter bytecode|Parse error/i, "INVALID_FILTER", "filter"],
  [/Unable to connect to lttng-relayd|relayd.*(unreachable|connect)/i, "RELAYD_UNREACHABLE", "url"],
  [/Tracing has already been started once/, "NOT_ALLOWED", undefined],
  [/Rotation feature not available/, "NOT_ALLOWED", undefined],
  [/Invalid snapshot size|max size is invalid/i, "COMMAND_FAILED", "maxSize"],
  [/already (exists|registered)/i, "ALREADY_EXISTS", "name"],
  [/not found|Couldn't find|No such|does not exist/i, "NOT_FOUND", undefined],
];

/** Turns a failed lttng run into a typed error. */
export function classifyFailure(stderr: string, details: LttngErrorDetails): LttngError {
  const how = details.signal ? `was killed by ${details.signal}` : `failed with exit code ${details.exitCode ?? "?"}`;
  const message = lttngMessage(stderr) || `lttng ${details.command ?? ""} ${how}`.replace("  ", " ");
  for (const [re, code, field] of CLASSIFY) {
    // The pattern's field is more precise than the command's default one (a bad filter of
    // enable-event is about the filter, not the event names).
    if (re.test(stderr)) return new LttngError(code, message, { ...details, field: field ?? details.field });
  }
  return new LttngError("COMMAND_FAILED", message, details);
}
