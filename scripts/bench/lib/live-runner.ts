/**
 * The Tracedeck side of `npm run bench -- live` (bundled and run by scripts/bench/live.mjs):
 * the server's hub (one relay viewer in a worker thread, fan-out) with N subscribers on a
 * live session, measuring for every delivered event the delay from its timestamp to its
 * delivery. Prints one JSON line. Never asserts.
 */
import { prepareLiveFilter } from "../../../server/live/filter";
import { LiveHub } from "../../../server/live/hub";
import type { LiveMessage } from "../../../server/live/wire";
import { Delays } from "./delays.mjs";
import { threadCpu } from "./proc-cpu.mjs";

const [session = "", subscribersArg, secondsArg, workerFile] = process.argv.slice(2);
const N = Number(subscribersArg);
const everything = prepareLiveFilter({});
const hub = new LiveHub({ workerFile, lingerMs: 0 });
const ac = new AbortController();
const delays = new Delays();
const delivered = new Array<number>(N).fill(0);
const skippedBy = new Array<number>(N).fill(0);
let received = 0;
let discarded = 0;
let lostPackets = 0;
let peakRss = 0;
let ended = "";
/** The lag over time (first, middle, last delivery): a lag that grows is a reader too slow, a constant one a stall at the start. */
const lagAt: { atMs: number; delayMs: number }[] = [];
const tsMsOf = new WeakMap<object, Float64Array>();

async function subscriber(i: number): Promise<void> {
  const target = { relayHost: "127.0.0.1", relayPort: Number(process.env.TRACEDECK_RELAYD_LIVE_PORT ?? 5344), hostname: undefined, session };
  for await (const m of hub.subscribe(target, everything, { seek: "last", signal: ac.signal }) as AsyncIterable<LiveMessage>) {
    if (m.kind === "events") {
      const now = Date.now();
      // Subscribers that take everything share one LiveEvents: read its times once.
      const ev = m.events;
      let tsMs = tsMsOf.get(ev);
      if (!tsMs) {
        tsMs = Float64Array.from({ length: ev.length }, (_, k) => ev.epochMs(k));
        tsMsOf.set(ev, tsMs);
      }
      for (let k = 0; k < tsMs.length; k++) delays.add(now - tsMs[k]!);
      if (i === 0) lagAt.push({ atMs: now, delayMs: now - tsMs[0]! });
      delivered[i]! += m.events.length;
    } else if (m.kind === "stats") {
      skippedBy[i] = m.subscriber.skipped;
      received = Math.max(received, m.channel.received);
      discarded = m.channel.discardedEvents;
      lostPackets = m.channel.lostPackets;
    } else if (m.kind === "end") ended = m.reason;
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
    subscribers: N,
    received,
    delivered,
    skipped: skippedBy.reduce((a, b) => a + b, 0),
    discarded,
    lostPackets,
    p50: delays.quantile(0.5),
    p99: delays.quantile(0.99),
    max: delays.max,
    samples: delays.count,
    lag: [0, 0.25, 0.5, 0.75, 1]
      .map((f) => lagAt[Math.min(lagAt.length - 1, Math.floor(f * lagAt.length))])
      .map((l) => l && { atS: (l.atMs - (lagAt[0]?.atMs ?? 0)) / 1000, delayMs: Math.round(l.delayMs) }),
    peakRssMb: peakRss / 1e6,
    ended,
    cpuMainS: threads.find((t) => t.main)?.cpuS ?? NaN,
    // The busiest other thread is the live worker (the rest are V8 and libuv helpers).
    cpuWorkerS: threads.find((t) => !t.main)?.cpuS ?? NaN,
    cpuTotalS: threads.reduce((a, t) => a + t.cpuS, 0),
  }) + "\n",
);
// --cpu-prof writes a thread's profile when it exits: let the worker finish first.
if (process.execArgv.some((a) => a.startsWith("--cpu-prof"))) await new Promise((r) => setTimeout(r, 2_500));
process.exit(0);
