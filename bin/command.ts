/** One `tracedeck` subcommand. Commands parse their own argv and return the exit code. */
export interface Command {
  name: string;
  /** One line for `tracedeck --help`. */
  summary: string;
  run(argv: string[]): Promise<number>;
}

/** Thrown for bad command-line usage: printed without a stack, exit code 2. */
export class UsageError extends Error {}
