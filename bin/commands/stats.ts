import { computeStats, formatStats } from "../../server/ctf/text-output";
import { traceCommand } from "../trace-command";

export default traceCommand({
  name: "stats",
  summary: "decode every event of traces and print counts, time span and losses",
  usage: "usage: tracedeck stats TRACE...   (decode every event: counts per class, time span, losses)\n",
  run: (set, _paths, openSeconds) => void process.stdout.write(formatStats(set, computeStats(set), openSeconds)),
});
