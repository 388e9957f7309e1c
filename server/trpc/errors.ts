/**
 * The one map from the domain's errors to what a tRPC client sees: a code (hence an HTTP
 * status) and a message for the user. Routers throw domain errors as they come and never
 * wrap them; init.ts applies this map once, as middleware of every procedure (and of every
 * subscription's stream). Errors are recognised by class, never by `name`: a domain error
 * thrown in a worker thread loses its class on the way back, so the module that runs the
 * worker makes it again (server/analysis/worker-pool.ts, server/timeline/pool.ts).
 *
 * Anything not listed here is a bug or an internal failure: INTERNAL_SERVER_ERROR, whose
 * text may carry host paths or internals, so the client gets a generic sentence and the
 * server log the rest.
 */
import { TRPCError } from "@trpc/server";
import { AnalysisError, type AnalysisErrorCode } from "../analysis/errors";
import { ArchiveError, type ArchiveErrorCode } from "../archives/store";
import { PasswordBusyError } from "../auth/password";
import { UserChangeError, type UserChangeErrorCode } from "../auth/users";
import { CtfError } from "../ctf/errors";
import { FetchError } from "../fleet/fetch";
import { HostError, type HostErrorCode } from "../fleet/hosts";
import { SecretKeyError } from "../fleet/secret";
import { LiveError, type LiveErrorCode } from "../live/errors";
import { LttngError, type LttngErrorCode } from "../lttng/errors";
import { TransportError } from "../lttng/transport";
import { QuotaError } from "../quota";
import { IngestBusyError } from "../spikes/ingest-jobs";
import { SpikeRuleError } from "../spikes/rules";
import { TraceCatalogError, type TraceCatalogErrorCode } from "../traces/catalog";
import { WorkloadError, type WorkloadErrorCode } from "../workload/manager";

type Code = TRPCError["code"];

/** What the client gets for an error: its tRPC code and the message to show. */
export interface MappedError {
  code: Code;
  message: string;
}

export const INTERNAL_MESSAGE = "Internal server error (details in the server log).";

const LTTNG: Record<LttngErrorCode, Code> = {
  SESSIOND_UNAVAILABLE: "PRECONDITION_FAILED",
  KERNEL_TRACER_UNAVAILABLE: "PRECONDITION_FAILED",
  NOT_FOUND: "NOT_FOUND",
  ALREADY_EXISTS: "CONFLICT",
  INVALID_FILTER: "BAD_REQUEST",
  INVALID_INPUT: "BAD_REQUEST",
  RELAYD_UNREACHABLE: "PRECONDITION_FAILED",
  NOT_ALLOWED: "PRECONDITION_FAILED",
  TIMEOUT: "TIMEOUT",
  HOST_UNREACHABLE: "PRECONDITION_FAILED",
  // `lttng` could not run or printed no valid MI: a server-side failure, but LTTng's own
  // message is what the operator needs, so it is kept (see isDomainError).
  TOOL_FAILURE: "INTERNAL_SERVER_ERROR",
  COMMAND_FAILED: "BAD_REQUEST",
};

const LIVE: Record<LiveErrorCode, Code> = {
  RELAY_UNREACHABLE: "BAD_GATEWAY",
  SESSION_NOT_FOUND: "NOT_FOUND",
  NOT_LIVE: "PRECONDITION_FAILED",
  ALREADY_ATTACHED: "CONFLICT",
  PROTOCOL: "BAD_GATEWAY",
  TIMEOUT: "GATEWAY_TIMEOUT",
  INVALID_INPUT: "BAD_REQUEST",
  CLOSED: "CLIENT_CLOSED_REQUEST",
};

const TRACE: Record<TraceCatalogErrorCode, Code> = {
  INVALID_PATH: "BAD_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  OUTSIDE_ROOTS: "FORBIDDEN",
  NOT_A_TRACE: "BAD_REQUEST",
  // The trace opened but its data does not decode: the trace's problem, not the server's.
  UNREADABLE: "UNPROCESSABLE_CONTENT",
};

const ARCHIVE: Record<ArchiveErrorCode, Code> = {
  NOT_FOUND: "NOT_FOUND",
  INVALID_PATH: "BAD_REQUEST",
  OUTSIDE_ROOTS: "FORBIDDEN",
  GONE: "NOT_FOUND",
  BUSY: "CONFLICT",
};

const WORKLOAD: Record<WorkloadErrorCode, Code> = {
  LIMIT_REACHED: "CONFLICT",
  NOT_FOUND: "NOT_FOUND",
  START_FAILED: "PRECONDITION_FAILED",
};

const USER_CHANGE: Record<UserChangeErrorCode, Code> = {
  NOT_FOUND: "NOT_FOUND",
  LAST_OPERATOR: "CONFLICT",
};

const HOST: Record<HostErrorCode, Code> = {
  NOT_FOUND: "NOT_FOUND",
  ALREADY_EXISTS: "CONFLICT",
  UNREACHABLE: "PRECONDITION_FAILED",
  UNSUPPORTED_SHELL: "PRECONDITION_FAILED",
};

const ANALYSIS: Record<AnalysisErrorCode, Code> = {
  INVALID_ARGUMENTS: "UNPROCESSABLE_CONTENT",
  INVALID_OPTIONS: "UNPROCESSABLE_CONTENT",
  INVALID_DATE: "UNPROCESSABLE_CONTENT",
  MALFORMED_EXPRESSION: "UNPROCESSABLE_CONTENT",
  INVALID_PERIOD: "UNPROCESSABLE_CONTENT",
  NO_INTERSECTION: "UNPROCESSABLE_CONTENT",
  RUN_FAILED: "UNPROCESSABLE_CONTENT",
  TIME_LIMIT: "TIMEOUT",
  RESULT_TOO_LARGE: "UNPROCESSABLE_CONTENT",
};

/** Failures of a run say so; the server's own limits are sentences of their own. */
function analysisMessage(e: AnalysisError): string {
  return e.code === "TIME_LIMIT" || e.code === "RESULT_TOO_LARGE" ? e.message : `Analysis failed: ${e.message}`;
}

/** The code and user message of a domain error, or null when `e` is not one. */
export function mapDomainError(e: unknown): MappedError | null {
  if (e instanceof LttngError) return { code: LTTNG[e.code], message: e.message };
  if (e instanceof LiveError) return { code: LIVE[e.code], message: e.message };
  if (e instanceof TraceCatalogError) return { code: TRACE[e.code], message: e.message };
  if (e instanceof ArchiveError) return { code: ARCHIVE[e.code], message: e.message };
  if (e instanceof WorkloadError) return { code: WORKLOAD[e.code], message: e.message };
  if (e instanceof AnalysisError) return { code: ANALYSIS[e.code], message: analysisMessage(e) };
  // A CTF error reached a procedure in this thread: its sentence, without the host path it names.
  if (e instanceof CtfError) return { code: "UNPROCESSABLE_CONTENT", message: `Cannot read the trace: ${e.sentence}` };
  if (e instanceof UserChangeError) return { code: USER_CHANGE[e.code], message: e.message };
  // Traced hosts: the operator needs the fingerprints, the shell, the reason as they are.
  if (e instanceof HostError) return { code: HOST[e.code], message: e.message };
  if (e instanceof TransportError || e instanceof FetchError || e instanceof SecretKeyError) return { code: "PRECONDITION_FAILED", message: e.message };
  if (e instanceof SpikeRuleError) return { code: e.code, message: e.message };
  if (e instanceof PasswordBusyError || e instanceof QuotaError || e instanceof IngestBusyError) return { code: "TOO_MANY_REQUESTS", message: e.message };
  return null;
}

/** Whether `e` is one of the domain's errors (its message is meant for the user). */
export function isDomainError(e: unknown): boolean {
  return mapDomainError(e) !== null;
}

/**
 * The TRPCError a client gets for anything a procedure threw: a TRPCError as it is, a
 * domain error mapped (kept as `cause`, for the error formatter and the log), anything
 * else INTERNAL_SERVER_ERROR with a generic message (the original stays as `cause`).
 */
export function toTRPCError(e: unknown): TRPCError {
  if (e instanceof TRPCError) {
    // tRPC wraps what a resolver throws before the middleware sees it: unwrap once.
    if (e.code !== "INTERNAL_SERVER_ERROR" || e.cause === undefined || e.cause instanceof TRPCError) return e;
    return toTRPCError(e.cause);
  }
  const mapped = mapDomainError(e);
  if (mapped !== null) return new TRPCError({ ...mapped, cause: e });
  // An AbortError (client gone) and the like pass as internal: nobody reads the answer.
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: INTERNAL_MESSAGE, cause: e });
}

/** A subscription's stream with its errors mapped as the procedure's own are. */
export async function* mappingErrors<T>(stream: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* stream;
  } catch (e) {
    throw toTRPCError(e);
  }
}
