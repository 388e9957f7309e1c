import { execBounded, type ExecOptions, type ExecResult } from "./exec";
import { brandDomainError } from "../shared/domain-error";

/**
 * How a command reaches the host it acts on: this machine (a child process) or a traced host
 * over SSH (server/fleet/ssh.ts). The runner, the MI parser, the guards and the audit log
 * are the same for both; only this step differs.
 */
export interface CommandTransport {
  /** Where commands run, for messages and logs ("local", "root@db1:22"). */
  readonly where: string;
  exec(cmd: string, args: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
}

export type TransportErrorCode = "UNREACHABLE" | "AUTH_FAILED" | "HOST_KEY_CHANGED" | "HOST_KEY_UNKNOWN" | "TIMEOUT" | "CHANNEL";

/** The host could not be asked at all (as opposed to a command that ran and failed). */
export class TransportError extends Error {
  override readonly name = "TransportError";
  constructor(
    readonly code: TransportErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
brandDomainError(TransportError, "TransportError");

export const localTransport: CommandTransport = {
  where: "local",
  exec: (cmd, args, opts) => execBounded(cmd, args, opts),
};
