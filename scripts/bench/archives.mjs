// Archives: (1) downloading a >= 500 MB archive as a streamed .tar.gz (the server's
// packTraceDir, through `tracedeck archives download`) beside `tar czf` of the same
// directory: MB/s and peak RSS; (2) report time, "snapshot directory complete" → "report
// stored", for the 1st and the 10th snapshot of one session, through the server's index and
// report queue in the analysis worker pool. Prints; never asserts.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { bundleRunners, cachedDemoTrace, demo, manyThreads, root, sh, timed } from "./lib/common.mjs";

const cli = join(root, "dist/tracedeck.mjs");
const RUNS = Number(process.env.ARCHIVES_BENCH_RUNS ?? 2);

const ONLY = process.env.ARCHIVES_BENCH_ONLY; // "report" or "download"

// ---- (2) report time, 1st vs 10th snapshot
if (ONLY !== "download") {
  const tmp = mkdtempSync(join(tmpdir(), "td-bench-rep-"));
  try {
    const { "report-timer": out } = await bundleRunners({ "report-timer": "scripts/bench/lib/report-timer.ts" });
    // Both paths in one run, one after the other: on a shared machine only a same-run comparison means anything.
    for (const mode of ["inline", "queued"]) {
      const r = sh(process.execPath, [out, tmp, demo, "10", mode], { cwd: root, env: { ...process.env, TZ: "UTC", TRACEDECK_LOG_LEVEL: "warn" } });
      if (r.status !== 0) throw new Error(`report timer failed: ${r.stderr}`);
      const rows = r.stdout
        .trim()
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l));
      console.log(`${mode === "inline" ? "one pass (index + report, one transaction)" : "summary pass, then the report queue"}:`);
      console.log("snapshot  MB    events   index(s)  report(s)  complete→stored(s)  CPU(s)  (report in worker)");
      for (const x of rows) {
        console.log(
          `${String(x.snapshot).padStart(8)}  ${x.mb.toFixed(1).padStart(4)}  ${String(x.events).padStart(7)}  ${(x.indexMs / 1e3).toFixed(3).padStart(8)}  ${(x.reportMs / 1e3).toFixed(3).padStart(9)}  ${(x.totalMs / 1e3).toFixed(3).padStart(18)}  ${(x.cpuMs / 1e3).toFixed(3).padStart(6)}  ${(x.workerReportMs / 1e3).toFixed(3)}`,
        );
      }
      const first = rows[0],
        tenth = rows[9];
      if (first && tenth)
        console.log(
          `report speed (${mode}): 1st snapshot ${(first.totalMs / 1e3).toFixed(3)} s (${(first.cpuMs / 1e3).toFixed(3)} s CPU), 10th ${(tenth.totalMs / 1e3).toFixed(3)} s (${(tenth.cpuMs / 1e3).toFixed(3)} s CPU) (${tenth.mb.toFixed(1)} MB; target: 10th <= 0.3 s for 5 MB); load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
        );
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ---- (1) download of a >= 500 MB archive
if (ONLY !== "report") {
  const big = cachedDemoTrace({
    cli,
    dir: join(root, ".bench-cache/archive-big"),
    name: "500 MB archive",
    minEvents: 9_000_000,
    events: ["tracedeck_demo:*", "lttng_ust_tracef:*"],
    contexts: ["vpid", "vtid"],
    workload: ["--rate", "400000", "--duration", "7", "--threads", "2", "--slow-every", "20000", "--slow-ms", "1", "--tracef-every", "1000"],
  });
  const mb = big.bytes / 1e6;
  console.log(`archive: ${big.trace} (${mb.toFixed(0)} MB, ${big.events.toLocaleString("en-US")} events)`);
  const data = mkdtempSync(join(tmpdir(), "td-bench-dl-"));
  try {
    const env = {
      ...process.env,
      TRACEDECK_DATA_DIR: data,
      TRACEDECK_TRACE_ROOTS: `${join(root, ".bench-cache/archive-big")}:${dirname(manyThreads)}`,
      TRACEDECK_LOG_LEVEL: "warn",
    };
    sh(process.execPath, [join(root, "scripts/migrate.mjs")], { env });
    const list = sh(process.execPath, [cli, "archives", "list", "--json"], { env });
    const row = JSON.parse(list.stdout).find((a) => a.path.endsWith("/trace"));
    if (!row) throw new Error(`archive not indexed: ${list.stdout}${list.stderr}`);
    const ours = [];
    const ref = [];
    for (let i = 0; i < RUNS; i++) {
      process.env.TRACEDECK_DATA_DIR = data;
      ours.push(
        timed("env", [
          `TRACEDECK_DATA_DIR=${data}`,
          `TRACEDECK_TRACE_ROOTS=${env.TRACEDECK_TRACE_ROOTS}`,
          "TRACEDECK_LOG_LEVEL=warn",
          process.execPath,
          cli,
          "archives",
          "download",
          String(row.id),
          "-o",
          "/dev/null",
        ]),
      );
      // Through a pipe: GNU tar given /dev/null as the archive skips reading the files.
      ref.push(timed("bash", ["-c", `tar czf - -C '${join(root, ".bench-cache/archive-big")}' trace | cat > /dev/null`]));
    }
    // Peak RSS flat: the same download of an archive 70 times smaller.
    const smallRow = JSON.parse(sh(process.execPath, [cli, "archives", "list", "--json", "--no-scan"], { env }).stdout).find((a) =>
      a.path.endsWith("tc-many-threads"),
    );
    const small =
      smallRow &&
      timed("env", [
        `TRACEDECK_DATA_DIR=${data}`,
        `TRACEDECK_TRACE_ROOTS=${env.TRACEDECK_TRACE_ROOTS}`,
        "TRACEDECK_LOG_LEVEL=warn",
        process.execPath,
        cli,
        "archives",
        "download",
        String(smallRow.id),
        "-o",
        "/dev/null",
      ]);
    if (small) console.log(`download of tc-many-threads (8 MB): peak RSS ${small.rssMb.toFixed(0)} MB`);
    const b = (xs) => xs.reduce((a, x) => (x.seconds < a.seconds ? x : a));
    const o = b(ours),
      t = b(ref);
    console.log(
      `download .tar.gz: Tracedeck ${(mb / o.seconds).toFixed(1)} MB/s (${o.seconds.toFixed(2)} s, peak RSS ${o.rssMb.toFixed(0)} MB) | tar czf ${(mb / t.seconds).toFixed(1)} MB/s (${t.seconds.toFixed(2)} s, ${t.rssMb.toFixed(0)} MB) | speed ratio ${(t.seconds / o.seconds).toFixed(2)} (target >= 0.9, RSS flat)`,
    );
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}
