import type { Command } from "../command";
import { archivesCli } from "../../server/archives/cli";

const archives: Command = {
  name: "archives",
  summary: "List, show, report, download and delete indexed snapshot and rotation archives",
  run: (argv) => archivesCli(argv),
};

export default archives;
