import { access, constants, mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "../command";
import { config } from "../../server/config";
import { checkDatabase } from "../../server/db-check";
import { doctor } from "../../server/lttng/doctor";
import { lttng } from "../../server/lttng/instance";
import { findRepoRoot } from "../../server/repo-root";

// The kernel tracer is reported but does not fail the check: user-space tracing works without it.
const REQUIRED = new Set(["lttng", "sessiond", "relayd", "babeltrace2", "database", "data directory"]);

const command: Command = {
  name: "doctor",
  summary: "check LTTng, its daemons, babeltrace2, the database and the data directory",
  async run(argv) {
    if (argv.includes("--help")) {
      process.stdout.write("usage: tracedeck doctor [--json]\n\nExit code 0 when every required check passes, 1 otherwise.\n");
      return 0;
    }
    const cfg = config();
    const l = lttng();
    const report = await doctor(l.runner, l.daemons);
    const root = findRepoRoot("prisma/migrations");
    const dbCheck =
      root === null ? { ok: false, detail: "cannot find prisma/ above this program" } : await checkDatabase(cfg.databaseUrl, join(root, "prisma"));
    let dataOk = true;
    let dataDetail = cfg.dataDir;
    try {
      await mkdir(cfg.dataDir, { recursive: true });
      await access(cfg.dataDir, constants.W_OK);
      dataDetail += " (writable)";
    } catch (e) {
      dataOk = false;
      dataDetail += `: ${e instanceof Error ? e.message : String(e)}`;
    }
    const checks = [...report.checks, { name: "database", ok: dbCheck.ok, detail: dbCheck.detail }, { name: "data directory", ok: dataOk, detail: dataDetail }];
    const failed = checks.filter((c) => REQUIRED.has(c.name) && c.ok !== true);
    if (argv.includes("--json")) {
      process.stdout.write(JSON.stringify({ ok: failed.length === 0, checks }, null, 2) + "\n");
    } else {
      for (const c of checks) {
        const mark = c.ok === true ? "ok  " : c.ok === false ? (REQUIRED.has(c.name) ? "FAIL" : "warn") : " ?  ";
        process.stdout.write(`${mark}  ${c.name.padEnd(15)} ${c.detail}\n`);
      }
      process.stdout.write(failed.length === 0 ? "\nhealthy\n" : `\nunhealthy: ${failed.map((c) => `${c.name} (${c.detail})`).join("; ")}\n`);
    }
    return failed.length === 0 ? 0 : 1;
  },
};
export default command;
