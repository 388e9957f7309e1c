import type { Command } from "../command";
import { hostsCli } from "../../server/fleet/cli";

const hosts: Command = {
  name: "hosts",
  summary: "Add, list, test and remove the traced hosts controlled over SSH",
  run: (argv) => hostsCli(argv),
};

export default hosts;
