import pino from "pino";

/** The one logger. Child loggers name their module: `log.child({ mod: "lttng" })`. */
export const log = pino({
  level: process.env.TRACEDECK_LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: undefined,
});

export function moduleLogger(mod: string): pino.Logger {
  return log.child({ mod });
}
