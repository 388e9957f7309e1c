import pino from "pino";

// Read here, not through config(): the logger must come up even when another variable is
// invalid, to report it. An unknown level would make pino throw at import; fall back instead.
const wanted = process.env.TRACEDECK_LOG_LEVEL;
const level = wanted !== undefined && wanted in pino.levels.values ? wanted : process.env.NODE_ENV === "test" || process.env.VITEST ? "warn" : "info";

/**
 * The one logger. It writes JSON lines to stderr, so that the CLI's stdout stays its own
 * output (tables, `--json` documents) and the server's logs go where daemons' logs go.
 * Child loggers name their module: `moduleLogger("lttng")`.
 */
export const log = pino(
  {
    level,
    base: undefined,
  },
  pino.destination({ dest: 2, sync: true }),
);

export function moduleLogger(mod: string): pino.Logger {
  return log.child({ mod });
}

if (wanted !== undefined && level !== wanted) log.warn({ TRACEDECK_LOG_LEVEL: wanted, using: level }, "unknown log level; using the default");
