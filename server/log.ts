import pino from "pino";

/**
 * The one logger. It writes JSON lines to stderr, so that the CLI's stdout stays its own
 * output (tables, `--json` documents) and the server's logs go where daemons' logs go.
 * Child loggers name their module: `moduleLogger("lttng")`.
 */
export const log = pino(
  {
    level: process.env.TRACEDECK_LOG_LEVEL ?? (process.env.NODE_ENV === "test" || process.env.VITEST ? "warn" : "info"),
    base: undefined,
  },
  pino.destination({ dest: 2, sync: true }),
);

export function moduleLogger(mod: string): pino.Logger {
  return log.child({ mod });
}
