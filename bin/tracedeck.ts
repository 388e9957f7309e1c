import type { Command } from "./command";
import { UsageError } from "./command";

// Loaded lazily so that `tracedeck print` does not pay for the analysis or database code.
const COMMANDS: Record<string, () => Promise<{ default: Command }>> = {
  analyze: () => import("./commands/analyze"),
  archives: () => import("./commands/archives"),
  daemons: () => import("./commands/daemons"),
  demo: () => import("./commands/demo"),
  doctor: () => import("./commands/doctor"),
  hosts: () => import("./commands/hosts"),
  live: () => import("./commands/live"),
  print: () => import("./commands/print"),
  record: () => import("./commands/record"),
  spikes: () => import("./commands/spikes"),
  stats: () => import("./commands/stats"),
  worker: () => import("./commands/worker"),
};

function help(): string {
  const lines = ["usage: tracedeck <command> [options]", "", "commands:"];
  for (const name of Object.keys(COMMANDS)) lines.push(`  ${name}`);
  lines.push("", "Run `tracedeck <command> --help` for a command's options.");
  return lines.join("\n") + "\n";
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(help());
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (load === undefined) {
    process.stderr.write(`tracedeck: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  const command = (await load()).default;
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`tracedeck ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

// Refusals the layers below explain themselves (LTTng's message, a workload limit) print as
// sentences; anything else is a bug and keeps its stack. Causes follow as CAUSED BY lines.
const EXPLAINED = new Set(["LttngError", "WorkloadError", "ArchiveError"]);

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  let text = EXPLAINED.has(err.name) ? err.message : (err.stack ?? err.message);
  let cause = err.cause;
  for (let depth = 0; cause instanceof Error && depth < 5; depth++, cause = cause.cause) text += `\nCAUSED BY ${cause.message}`;
  return text;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`tracedeck: ${describeError(err)}\n`);
    process.exitCode = 1;
  },
);
