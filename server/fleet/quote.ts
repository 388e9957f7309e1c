/**
 * One way to turn an argument vector into the command line an SSH server hands to the remote
 * user's login shell. SSH has no argv: the server runs `$SHELL -c STRING`, so every argument
 * is single-quoted (the only POSIX quoting with no special characters inside but the quote
 * itself, which becomes `'\''`). Spaces, `$`, `;`, `*`, backslashes and newlines pass
 * unchanged through sh, dash, bash, ksh and zsh. csh/tcsh and fish do not follow POSIX
 * quoting: hosts are refused when their login shell is one of those (`hosts test` checks).
 */

/** The largest command line we send; Linux's limit for one argument is 128 KiB. */
export const MAX_COMMAND_BYTES = 100_000;

export class QuoteError extends Error {
  override readonly name = "QuoteError";
}

export function shellQuoteArg(arg: string): string {
  // A NUL cannot be carried by any exec argument: refuse rather than truncate silently.
  if (arg.includes("\0")) throw new QuoteError("An argument contains a NUL byte, which no remote command can receive");
  if (arg !== "" && /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export function shellQuote(argv: readonly string[]): string {
  if (argv.length === 0) throw new QuoteError("Empty command");
  const line = argv.map(shellQuoteArg).join(" ");
  if (Buffer.byteLength(line) > MAX_COMMAND_BYTES) throw new QuoteError(`Command line longer than ${MAX_COMMAND_BYTES} bytes`);
  return line;
}
