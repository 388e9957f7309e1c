import type { Command } from "../command";
import { recordCli } from "../../server/archives/cli";

const record: Command = {
  name: "record",
  summary: "Record a command under a saved profile, store the archive and its report, fail on a threshold (CI)",
  run: (argv) => recordCli(argv),
};

export default record;
