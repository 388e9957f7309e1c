import type { Command } from "../command";
import { workerCli } from "../../server/jobs/cli";

const worker: Command = {
  name: "worker",
  summary: "Build archive reports queued in PostgreSQL (DATABASE_URL=postgres://…), on any machine",
  run: (argv) => workerCli(argv),
};

export default worker;
