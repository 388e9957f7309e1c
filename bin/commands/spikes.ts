import type { Command } from "../command";
import { spikesCli } from "../../server/spikes/cli";

const spikes: Command = {
  name: "spikes",
  summary: "List, add, enable, disable and remove spike rules; list the spikes they recorded",
  run: (argv) => spikesCli(argv),
};

export default spikes;
