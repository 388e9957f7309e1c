/**
 * The environment a child process gets. Tracedeck's own secrets stay in this process: the
 * first operator's password and the database URL (a PostgreSQL one carries a password) would
 * otherwise be readable by every program we start, from its /proc/PID/environ and from
 * anything it runs in turn (the demo workload, the LTTng daemons and their run-as helpers).
 */
const SECRET_NAMES = new Set(["TRACEDECK_ADMIN_PASSWORD", "DATABASE_URL"]);
const SECRET_PATTERN = /PASSWORD|SECRET|TOKEN/i;

/** `base` without Tracedeck's secrets (and anything named like a password, secret or token). */
export function childEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(base)) if (!SECRET_NAMES.has(k) && !SECRET_PATTERN.test(k)) env[k] = v;
  return env as NodeJS.ProcessEnv;
}
