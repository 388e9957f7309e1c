/**
 * Typed errors of the CTF reader. Every error says where it happened: the file and byte
 * offset for binary data, the line and column for TSDL metadata.
 */
import { brandDomainError } from "../shared/domain-error";

export type CtfErrorCode =
  | "io" // cannot open or read a file
  | "not-a-trace" // no metadata found / not CTF
  | "unsupported" // valid CTF we do not read (e.g. pre-1.8 metadata)
  | "metadata-syntax" // TSDL lexer/parser error
  | "metadata-semantic" // TSDL well-formed but inconsistent (unknown type, bad path…)
  | "bad-packet" // broken packet framing: magic, uuid, sizes
  | "bad-event" // an event that cannot be decoded (unknown id, overrun)
  | "truncated"; // data ends inside a packet

export interface CtfErrorWhere {
  /** File the error is about (stream file or metadata file). */
  file?: string;
  /** Byte offset in that file. */
  offsetBytes?: number;
  /** 1-based line and column in TSDL metadata text. */
  line?: number;
  column?: number;
}

export class CtfError extends Error {
  readonly code: CtfErrorCode;
  readonly file: string | undefined;
  readonly offsetBytes: number | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** The message without the location suffix. */
  readonly sentence: string;

  constructor(code: CtfErrorCode, message: string, where: CtfErrorWhere = {}, options?: { cause?: unknown }) {
    super(formatMessage(message, where), options);
    this.name = "CtfError";
    this.code = code;
    this.file = where.file;
    this.offsetBytes = where.offsetBytes;
    this.line = where.line;
    this.column = where.column;
    this.sentence = message;
  }

  /** The same error with a file (and offset) filled in when the thrower did not know them. */
  withFile(file: string, offsetBytes?: number): CtfError {
    if (this.file !== undefined) return this;
    return new CtfError(
      this.code,
      this.sentence,
      { file, offsetBytes: this.offsetBytes ?? offsetBytes, line: this.line, column: this.column },
      { cause: this.cause },
    );
  }
}
brandDomainError(CtfError, "CtfError");

function formatMessage(message: string, w: CtfErrorWhere): string {
  const parts: string[] = [];
  if (w.file !== undefined) parts.push(`file=${w.file}`);
  if (w.offsetBytes !== undefined) parts.push(`offset=${w.offsetBytes}`);
  if (w.line !== undefined) parts.push(`line=${w.line}`);
  if (w.column !== undefined) parts.push(`column=${w.column}`);
  return parts.length ? `${message}: ${parts.join(", ")}` : message;
}
