import type { Command } from "../command";
import { analyzeCli } from "../../server/analysis/cli";

const analyze: Command = {
  name: "analyze",
  summary: "Run an lttng-analyses analysis (iolatencytop, schedstats, periodstats…) on a trace",
  run: (argv) => analyzeCli(argv),
};

export default analyze;
