/**
 * Bench helper (bundled by scripts/bench/archives.mjs): records N snapshots of one session
 * with real LTTng and times, for each, "snapshot directory complete" (snapshot record
 * returned) → "report stored", through the server's own index and report queue in the
 * analysis worker pool. Prints one JSON line per snapshot.
 *
 * MODE "inline" is the server's path for a snapshot it records (`noteRecorded(path, cause,
 * true)`: index and report in one pass, one transaction); "queued" is the path of an archive
 * found in a backlog (summary pass, then the report queue), the server's only path before.
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
// @ts-expect-error: plain ESM script without type declarations
import { migrateSqlite } from "../../migrate.mjs";
import { closeAnalysisPool } from "../../../server/analysis/worker-pool";
import { ArchiveIndexer } from "../../../server/archives/indexer";
import { ReportQueue } from "../../../server/archives/reports";
import { fingerprint } from "../../../server/archives/discover";
import { openDb } from "../../../server/db";

const [dataDir, demo, countArg, modeArg] = process.argv.slice(2) as [string, string, string, string | undefined];
const inline = (modeArg ?? "inline") === "inline";
const N = Number(countArg);
const lttng = (args: string[]) => {
  const r = spawnSync("lttng", ["--no-sessiond", ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`lttng ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
};

async function main(): Promise<void> {
  const file = join(dataDir, "bench.db");
  (migrateSqlite as (f: string) => void)(file);
  const db = openDb(`file:${file}`);
  const root = join(dataDir, "traces");
  const session = `tdbench-rep-${process.pid}`;
  const reports = new ReportQueue({ db });
  const indexer = new ArchiveIndexer({ db, roots: () => [root], inlineReports: inline });
  lttng(["create", session, "--snapshot", "-o", join(root, session)]);
  let demoPid: number | undefined;
  try {
    // 9 × 256 KiB per CPU (and the one being written, in overwrite mode): each snapshot holds the last ~5 MB the demo wrote (the size).
    lttng(["enable-channel", "-u", "-s", session, "--subbuf-size=256k", "--num-subbuf=9", "--overwrite", "ch"]);
    lttng(["enable-event", "-u", "-s", session, "-c", "ch", "tracedeck_demo:*"]);
    lttng(["add-context", "-u", "-s", session, "-c", "ch", "-t", "vpid", "-t", "procname"]);
    lttng(["start", session]);
    const d = spawn(demo, ["--rate", "100000", "--duration", "0", "--threads", "1", "--slow-every", "1000", "--slow-ms", "1", "--dir", dataDir], {
      stdio: "ignore",
    });
    demoPid = d.pid;
    await new Promise((r) => setTimeout(r, 1500));
    for (let i = 1; i <= N; i++) {
      const name = `s${i}`;
      lttng(["snapshot", "record", "-s", session, "-n", name]);
      const t0 = performance.now();
      // CPU of the whole process (the event loop and the pool's worker threads): on 2 shared
      // cores the wall time also counts other processes' work.
      const c0 = process.cpuUsage();
      // Found without a shell: spawning `ls` inside the timed span measured the spawn.
      const dir = join(root, session, readdirSync(join(root, session)).find((d) => d.startsWith(`${name}-`)) ?? name);
      const id = await indexer.indexNow(dir, "manual");
      const t1 = performance.now();
      if (id === null) throw new Error(`not indexed: ${dir}`);
      // The server queues the report only when the index did not build it (a backlog, or MODE queued).
      const { reportState } = await db.archive.findUniqueOrThrow({ where: { id }, select: { reportState: true } });
      if (reportState !== "done") {
        await reports.enqueue(id);
        await reports.idle();
      }
      const t2 = performance.now();
      const c2 = process.cpuUsage(c0);
      const row = await db.archive.findUniqueOrThrow({ where: { id }, select: { reportState: true, events: true, bytes: true } });
      const rep = await db.archiveReport.findUnique({ where: { archiveId: id }, select: { elapsedMs: true } });
      const fp = await fingerprint(dir);
      console.log(
        JSON.stringify({
          snapshot: i,
          mode: inline ? "inline" : "queued",
          mb: (fp?.bytes ?? 0) / 1e6,
          events: Number(row.events),
          state: row.reportState,
          indexMs: t1 - t0,
          reportMs: t2 - t1,
          totalMs: t2 - t0,
          cpuMs: (c2.user + c2.system) / 1e3,
          workerReportMs: rep?.elapsedMs,
        }),
      );
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    if (demoPid) process.kill(demoPid, "SIGKILL");
    spawnSync("lttng", ["--no-sessiond", "destroy", session]);
    await closeAnalysisPool();
    await db.$disconnect();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
