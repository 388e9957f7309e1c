import type { Command } from "../command";
import { UsageError } from "../command";
import { CtfError, openTraceSet } from "../../server/ctf/index";
import { computeStats, formatStats } from "../../server/ctf/text-output";

const USAGE = "usage: tracedeck stats TRACE...   (decode every event: counts per class, time span, losses)\n";

const command: Command = {
  name: "stats",
  summary: "decode every event of traces and print counts, time span and losses",
  async run(argv) {
    if (argv.includes("--help") || argv.includes("-h")) {
      process.stdout.write(USAGE);
      return 0;
    }
    const paths = argv.filter((a) => !a.startsWith("-"));
    if (paths.length === 0 || paths.length !== argv.length) throw new UsageError(`expected trace paths\n${USAGE}`);
    try {
      const t0 = performance.now();
      const set = openTraceSet(paths);
      const openSeconds = (performance.now() - t0) / 1000;
      try {
        process.stdout.write(formatStats(set, computeStats(set), openSeconds));
      } finally {
        set.close();
      }
      return 0;
    } catch (e) {
      if (e instanceof CtfError) {
        process.stderr.write(`tracedeck stats: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
  },
};
export default command;
