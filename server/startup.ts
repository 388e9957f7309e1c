import { resolve } from "node:path";
import { bootstrapAdmin } from "./auth/bootstrap";
import { config } from "./config";
import { db } from "./db";
import { moduleLogger } from "./log";
import { installSpawnHelper } from "./spawn-helper";
import { installTextEncoderStream } from "./text-encoder-stream";

const log = moduleLogger("startup");

/** Server start-up work that must happen before the first request is useful. */
export async function startServer(): Promise<void> {
  installTextEncoderStream();
  // First, while this process is small: every later command is forked by the helper (spawn-helper.ts).
  installSpawnHelper(process.env.TRACEDECK_SPAWN_HELPER ?? resolve(process.cwd(), "dist/workers/spawn-helper.mjs"));
  const cfg = config();
  // The archive index does not need the first account: start it even if the database is slow to answer.
  void import("./archives/service")
    .then((m) => m.startArchiveService())
    .catch((err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err) }, "cannot start the archive index"));
  void import("./spikes/service")
    .then((m) => m.startLatencyService())
    .catch((err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err) }, "cannot start the latency history"));
  // Spike rules: the live detector's rules and the trigger path's LTTng triggers.
  void import("./spikes/running")
    .then((m) => m.startSpikeService())
    // Metrics and the Grafana push listen to the spikes from the start, not from the first scrape.
    .then(() => import("./metrics/http"))
    .then((m) => void m.metrics())
    .catch((err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err) }, "cannot start the spike rules"));
  let r;
  try {
    r = await bootstrapAdmin(db(), cfg.adminPassword);
  } catch (err) {
    // A locked or unreachable database must not keep the dashboard (and its status bar) down:
    // say why no account could be prepared; the pages report the database error themselves.
    log.error(
      { err: err instanceof Error ? err.message : String(err), databaseUrl: redactUrl(cfg.databaseUrl) },
      "cannot check or create the first account; restart once the database answers",
    );
    return;
  }
  if (r.kind === "admin-created") {
    log.info({ username: r.username }, "created the operator account from TRACEDECK_ADMIN_PASSWORD");
  } else if (r.kind === "setup-link") {
    // Printed plainly (not only as JSON) so the person who ran `npm start` sees it.
    const url = `http://${cfg.host}:${cfg.port}/setup?token=${r.token}`;
    process.stdout.write(`\n  No user yet. Create the first operator at (one-time link, 24 h):\n    ${url}\n\n`);
  }
}

/** The database URL without its password (PostgreSQL URLs carry one). */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}
