import { parseArgs } from "node:util";
import type { Command } from "../command";
import { UsageError } from "../command";
import { config } from "../../server/config";
import { FdWriter } from "../../server/ctf/text-output";
import { runLiveCli } from "../../server/live/cli";
import { LiveError } from "../../server/live/errors";
import { compileLiveFilter } from "../../server/live/filter";
import { parseLiveTarget } from "../../server/live/target";

const USAGE = `usage: tracedeck live (SESSION | net://RELAY[:PORT]/host/HOST/SESSION) [options]

Attaches to a live session through lttng-relayd's live port and prints its events in
babeltrace2's text format (honours TZ) until the session is destroyed (exit 0).
A bare SESSION is looked up on the configured relay (127.0.0.1, TRACEDECK_RELAYD_LIVE_PORT).

  --from beginning|last   start with the oldest packet the relay holds, or with what comes
                          after attaching (default: last, as babeltrace2)
  --json                  one JSON object per event instead of text
  --name GLOB             only events whose name matches (LTTng '*' wildcard; repeatable)
  --filter EXPR           only events for which EXPR holds, in the period language:
                          '$evt.status == 503 && $evt.latency_ns > 50000000'
`;

const live: Command = {
  name: "live",
  summary: "print a live session's events as they are recorded",
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        strict: true,
        allowPositionals: true,
        options: {
          from: { type: "string" },
          json: { type: "boolean" },
          name: { type: "string", multiple: true },
          filter: { type: "string" },
          help: { type: "boolean", short: "h" },
        },
      });
    } catch (e) {
      throw new UsageError(`${(e as Error).message}\n${USAGE}`);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(`expected one session name or live URL\n${USAGE}`);
    const from = values.from ?? "last";
    if (from !== "beginning" && from !== "last") throw new UsageError(`--from is 'beginning' or 'last', not '${from}'`);
    const out = new FdWriter(1);
    const err = new FdWriter(2, 4096);
    const ac = new AbortController();
    const onSignal = () => ac.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
      const cfg = config().relayd;
      const target = parseLiveTarget(positionals[0]!, { host: cfg.host, port: cfg.livePort });
      const filter = compileLiveFilter({ names: values.name ?? [], where: values.filter ?? "" });
      const end = await runLiveCli({ target, seek: from, json: values.json === true, filter, out, err, signal: ac.signal });
      return end.reason === "ended" || out.closed ? 0 : 130;
    } catch (e) {
      if (e instanceof LiveError) {
        process.stderr.write(`tracedeck live: ${e.message}\n`);
        return e.code === "INVALID_INPUT" ? 2 : 1;
      }
      throw e;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  },
};

export default live;
