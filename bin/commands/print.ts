import { FdWriter, printTraceSet } from "../../server/ctf/text-output";
import { traceCommand } from "../trace-command";

const out = new FdWriter(1);
const err = new FdWriter(2, 4096);

export default traceCommand({
  name: "print",
  summary: "print the events of traces in babeltrace2's text format",
  usage: "usage: tracedeck print TRACE...   (babeltrace2's text format; honours TZ)\n",
  run: (set, paths) => printTraceSet(set, paths, out, err),
  finish: () => out.flush(),
});
