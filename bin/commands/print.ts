import type { Command } from "../command";
import { UsageError } from "../command";
import { CtfError, openTraceSet } from "../../server/ctf/index";
import { FdWriter, printTraceSet } from "../../server/ctf/text-output";

const USAGE = "usage: tracedeck print TRACE...   (babeltrace2's text format; honours TZ)\n";

const command: Command = {
  name: "print",
  summary: "print the events of traces in babeltrace2's text format",
  async run(argv) {
    if (argv.includes("--help") || argv.includes("-h")) {
      process.stdout.write(USAGE);
      return 0;
    }
    const paths = argv.filter((a) => !a.startsWith("-"));
    if (paths.length === 0 || paths.length !== argv.length) throw new UsageError(`expected trace paths\n${USAGE}`);
    const out = new FdWriter(1);
    const err = new FdWriter(2, 4096);
    try {
      const set = openTraceSet(paths);
      try {
        printTraceSet(set, paths, out, err);
      } finally {
        out.flush();
        set.close();
      }
      return 0;
    } catch (e) {
      out.flush();
      if (e instanceof CtfError) {
        process.stderr.write(`tracedeck print: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
  },
};
export default command;
