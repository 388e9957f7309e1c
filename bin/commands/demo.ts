import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Command } from "../command";
import { UsageError } from "../command";
import { moduleLogger } from "../../server/log";
import { DemoWorkloadManager, ZDemoStartOptions, type DemoProcessInfo } from "../../server/workload/manager";

const USAGE = `usage: tracedeck demo [options]

Runs the demo workload in the foreground until its duration ends or Ctrl-C. It emits
tracedeck_demo:{request_begin,request_end,io} events (enable them in a session first:
lttng enable-event -u 'tracedeck_demo:*'), or, with --python, lttng_python:event records.

  --rate N           requests per second (default 1000)
  --threads T        worker threads (default 2)
  --duration S       seconds, 0 = until Ctrl-C (default 0)
  --slow-every N     every Nth request is slow, 0 = never (default 1000)
  --slow-ms M        a slow request does a real fsync and lasts at least M ms (default 50)
  --tracef-every N   also emit lttng_ust_tracef:event every N requests (default 0 = never)
  --python           run workload/python_demo.py (Python agent) instead of the C program
  --quiet            print only the final summary
`;

function numberOption(values: Record<string, unknown>, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== "string" || v.trim() === "" || !Number.isFinite(n)) throw new UsageError(`--${name} needs a number, got '${String(v)}'`);
  return n;
}

function line(p: DemoProcessInfo): string {
  const elapsed = ((p.endedAt ?? new Date()).getTime() - p.startedAt.getTime()) / 1000;
  return `${elapsed.toFixed(1)} s: ${p.requests} requests, ${p.slowRequests} slow, ${p.eventsEmitted} events`;
}

const demo: Command = {
  name: "demo",
  summary: "run the demo workload (a traced toy web server)",
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        rate: { type: "string" },
        threads: { type: "string" },
        duration: { type: "string" },
        "slow-every": { type: "string" },
        "slow-ms": { type: "string" },
        "tracef-every": { type: "string" },
        python: { type: "boolean" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    const parsed = ZDemoStartOptions.safeParse({
      kind: values.python ? "python" : "native",
      rate: numberOption(values, "rate"),
      threads: numberOption(values, "threads"),
      duration: numberOption(values, "duration") ?? 0,
      slowEvery: numberOption(values, "slow-every"),
      slowMs: numberOption(values, "slow-ms"),
      tracefEvery: numberOption(values, "tracef-every"),
    });
    if (!parsed.success) {
      throw new UsageError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    }

    const workDir = mkdtempSync(join(tmpdir(), "tracedeck-demo-"));
    const manager = new DemoWorkloadManager({ workDir, maxRunning: 1, logger: moduleLogger("workload").child({}, { level: "silent" }) });
    try {
      const p = await manager.start(parsed.data);
      process.stderr.write(`demo: pid ${p.pid}: ${p.command} ${p.args.join(" ")}\n`);
      const stop = (): void => {
        void manager.stop(p.id);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      // The program reports once a second; reading a quarter second later shows fresh counts.
      let ticker: NodeJS.Timeout | undefined;
      const tick = (): void => {
        const now = manager.get(p.id);
        if (now && now.state !== "exited") process.stderr.write(`demo: ${line(now)}\n`);
      };
      const delay = setTimeout(
        () => {
          tick();
          ticker = setInterval(tick, 1000);
        },
        values.quiet ? 2 ** 31 - 1 : 1250,
      );
      const done = await manager.waitForExit(p.id);
      clearTimeout(delay);
      clearInterval(ticker);
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      process.stdout.write(`demo: finished after ${line(done)}\n`);
      if (done.exitCode !== 0) {
        process.stderr.write(`demo: exited with ${done.exitCode ?? done.signal}\n${done.stderrTail}`);
        return 1;
      }
      return 0;
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};

export default demo;
