import { createInterface } from "node:readline/promises";
import type { Command } from "../command";
import { UsageError } from "../command";
import { lttng } from "../../server/lttng/instance";

const USAGE = `usage: tracedeck daemons status [--json]
       tracedeck daemons ensure [--json]      start lttng-sessiond and lttng-relayd where absent
       tracedeck daemons stop sessiond|relayd [--yes]
                                              stop a daemon that Tracedeck started (never others);
                                              asks first on a terminal, needs --yes otherwise
Daemons keep running when the dashboard stops or crashes: stopping one is always this explicit step.
`;

const CONSEQUENCE = {
  sessiond: "destroys every recording session on this host, with its ring buffers and triggers",
  relayd: "cuts every streaming, live and relayd-snapshot session off from its output",
} as const;

/** The operator's explicit agreement: `--yes`, or typing `yes` at a terminal prompt. */
async function confirmStop(names: Array<"sessiond" | "relayd">, yes: boolean): Promise<boolean> {
  if (yes) return true;
  const what = names.map((n) => `Stopping ${n} ${CONSEQUENCE[n]}.`).join("\n");
  if (!process.stdin.isTTY) throw new UsageError(`${what}\nRefusing without --yes (no terminal to ask).`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(`${what}\nType yes to stop: `)).trim() === "yes";
  } finally {
    rl.close();
  }
}

const command: Command = {
  name: "daemons",
  summary: "status, start (ensure) and stop of lttng-sessiond and lttng-relayd",
  async run(argv) {
    const [verb, ...rest] = argv;
    const json = rest.includes("--json");
    const d = lttng().daemons;
    switch (verb) {
      case "status": {
        const h = await d.health();
        if (json) process.stdout.write(JSON.stringify(h, null, 2) + "\n");
        else for (const s of [h.sessiond, h.relayd]) process.stdout.write(`${s.message}${s.ownedByTracedeck ? " (started by Tracedeck)" : ""}\n`);
        return h.ok ? 0 : 1;
      }
      case "ensure": {
        const before = await d.health();
        const sessiond = await d.startSessiond();
        const relayd = await d.startRelayd();
        const out = {
          daemons: [
            { name: "sessiond", pid: sessiond.pid, started: !before.sessiond.running },
            { name: "relayd", pid: relayd.pid, started: !before.relayd.running },
          ],
        };
        if (json) process.stdout.write(JSON.stringify(out) + "\n");
        else for (const x of out.daemons) process.stdout.write(`${x.name}: ${x.started ? "started" : "already running"} (pid ${x.pid})\n`);
        return 0;
      }
      case "stop": {
        const names = rest.filter((a) => !a.startsWith("--"));
        if (names.length === 0 || names.some((n) => n !== "sessiond" && n !== "relayd")) throw new UsageError(`name sessiond and/or relayd\n${USAGE}`);
        if (!(await confirmStop(names as Array<"sessiond" | "relayd">, rest.includes("--yes")))) {
          process.stderr.write("Not stopped.\n");
          return 1;
        }
        // relayd first: a sessiond going away mid-stream would leave the relay's sessions dangling.
        for (const n of [...names].sort()) {
          const st = n === "sessiond" ? await d.stopSessiond() : await d.stopRelayd();
          process.stdout.write(`${n}: ${st.running ? "still running" : "stopped"}\n`);
        }
        return 0;
      }
      case "--help":
      case undefined:
        process.stdout.write(USAGE);
        return verb === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown verb '${verb}'\n${USAGE}`);
    }
  },
};
export default command;
