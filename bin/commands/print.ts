import { PRINT_COMPAT_MODES, type PrintCompat } from "../../server/ctf/index";
import { FdWriter, printTraceSet } from "../../server/ctf/text-output";
import { traceCommand } from "../trace-command";

const out = new FdWriter(1);
const err = new FdWriter(2, 4096);
let compat: PrintCompat | undefined;

export default traceCommand({
  name: "print",
  summary: "print the events of traces in babeltrace2's text format",
  usage:
    "usage: tracedeck print [--compat=babeltrace2-2.0.4] TRACE...   (babeltrace2's text format; honours TZ)\n" +
    "  --compat=babeltrace2-2.0.4  reproduce babeltrace2 2.0.4's bug of printing an empty string\n" +
    "                              as an earlier event's value (for diffing against it)\n",
  options: {
    "--compat": (v) => {
      if (!(PRINT_COMPAT_MODES as readonly string[]).includes(v)) return `unknown --compat mode '${v}' (known: ${PRINT_COMPAT_MODES.join(", ")})`;
      compat = v as PrintCompat;
      return undefined;
    },
  },
  run: (set, paths) => printTraceSet(set, paths, out, err, { compat }),
  finish: () => out.flush(),
});
