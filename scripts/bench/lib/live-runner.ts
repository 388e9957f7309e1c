/**
 * The Tracedeck side of `npm run bench -- live` (bundled and run by scripts/bench/live.mjs):
 * the server's hub (one relay viewer in a worker thread, fan-out) with N subscribers on a
 * live session, measuring for every delivered event the delay from its timestamp to its
 * delivery. Prints one JSON line. Never asserts.
 */
import { prepareLiveFilter } from "../../../server/live/filter";
import { LiveHub } from "../../../server/live/hub";
import type { LiveMessage } from "../../../server/live/wire";
import { LiveTally } from "./live-tally";
import { threadCpu } from "./proc-cpu.mjs";

const [session = "", subscribersArg, secondsArg, workerFile] = process.argv.slice(2);
const N = Number(subscribersArg);
const everything = prepareLiveFilter({});
const hub = new LiveHub({ workerFile, lingerMs: 0 });
const ac = new AbortController();
const tally = new LiveTally(N);
let peakRss = 0;

async function subscriber(i: number): Promise<void> {
  const target = { relayHost: "127.0.0.1", relayPort: Number(process.env.TRACEDECK_RELAYD_LIVE_PORT ?? 5344), hostname: undefined, session };
  for await (const m of hub.subscribe(target, everything, { seek: "last", signal: ac.signal }) as AsyncIterable<LiveMessage>) {
    tally.add(i, m);
  }
}

const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
const limit = setTimeout(() => ac.abort(), Number(secondsArg) * 1000);
await Promise.all(Array.from({ length: N }, (_, i) => subscriber(i)));
clearTimeout(limit);
clearInterval(rssTimer);
const threads = threadCpu(process.pid);
hub.closeAll();
process.stdout.write(
  JSON.stringify({
    ...tally.summary(),
    peakRssMb: peakRss / 1e6,
    cpuMainS: threads.find((t) => t.main)?.cpuS ?? NaN,
    // The busiest other thread is the live worker (the rest are V8 and libuv helpers).
    cpuWorkerS: threads.find((t) => !t.main)?.cpuS ?? NaN,
    cpuTotalS: threads.reduce((a, t) => a + t.cpuS, 0),
  }) + "\n",
);
// --cpu-prof writes a thread's profile when it exits: let the worker finish first.
if (process.execArgv.some((a) => a.startsWith("--cpu-prof"))) await new Promise((r) => setTimeout(r, 2_500));
process.exit(0);
