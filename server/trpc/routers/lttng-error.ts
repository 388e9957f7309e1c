import { TRPCError } from "@trpc/server";
import { LttngError, type LttngErrorCode } from "../../lttng/errors";

const CODES: Record<LttngErrorCode, TRPCError["code"]> = {
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
  TOOL_FAILURE: "INTERNAL_SERVER_ERROR",
  COMMAND_FAILED: "BAD_REQUEST",
};

/**
 * Runs a controller call and turns its `LttngError` into a `TRPCError` whose message is
 * LTTng's own; the error stays as `cause`, so the error formatter can pass its code and field
 * to the client (to show the message beside the field).
 */
export async function lttngCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof LttngError) throw new TRPCError({ code: CODES[e.code], message: e.message, cause: e });
    throw e;
  }
}
