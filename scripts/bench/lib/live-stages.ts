/**
 * Where the live delay goes (`npm run bench -- live`, run with LIVE_BENCH_STAGES=1): the
 * consumer alone, no worker and no fan-out, timing each event at two points it passes —
 * its packet fetched and decoded, and the merge handing it out — besides its age at its
 * packet's end (the tracer holds it until the live-timer flush). Prints one JSON line.
 * Never asserts.
 */
import { LiveConsumer } from "../../../server/live/consumer";

const [session = "", portArg] = process.argv.slice(2);

interface Hist {
  a: Float64Array;
  n: number;
  max: number;
}
const hist = (): Hist => ({ a: new Float64Array(1_200_000), n: 0, max: -Infinity });
function add(h: Hist, ms: number): void {
  h.a[Math.max(0, Math.min(h.a.length - 1, Math.floor(ms * 10)))]!++;
  h.n++;
  if (ms > h.max) h.max = ms;
}
function summary(h: Hist): { p50: number; p99: number; max: number; n: number } {
  const q = (p: number) => {
    let want = p * h.n;
    for (let i = 0; i < h.a.length; i++) if ((want -= h.a[i]!) <= 0) return (i + 1) / 10;
    return NaN;
  };
  return { p50: q(0.5), p99: q(0.99), max: h.max, n: h.n };
}

const ageAtPacketEnd = hist();
const packetEndToDecoded = hist();
const ageAtMerge = hist();
let events = 0;
const consumer = new LiveConsumer({
  target: { relayHost: "127.0.0.1", relayPort: Number(portArg ?? 5344), hostname: undefined, session },
  seek: "last",
  onEvent(ev) {
    events++;
    add(ageAtMerge, Date.now() - (Number(consumer.originNs!) + ev.ts) / 1e6);
  },
});
// The packet step is private: wrap it here rather than add timing hooks to the consumer.
type Stream = { watermark: number; batches: { events: { ts: number }[] }[] };
const proto = Object.getPrototypeOf(consumer) as { decodePacket: (st: Stream, idx: unknown, buf: Buffer) => void };
const decodePacket = proto.decodePacket;
proto.decodePacket = function (this: LiveConsumer, st: Stream, idx: unknown, buf: Buffer) {
  const before = st.batches.length;
  decodePacket.call(this, st, idx, buf);
  add(packetEndToDecoded, Date.now() - (Number(this.originNs!) + st.watermark) / 1e6);
  for (const e of st.batches[before]?.events ?? []) add(ageAtPacketEnd, (st.watermark - e.ts) / 1e6);
};
const cpu0 = process.cpuUsage();
const end = await consumer.run();
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  JSON.stringify({
    events,
    ended: end.reason,
    cpuS: (cpu.user + cpu.system) / 1e6,
    commands: end.counters.commands,
    packets: end.counters.packets,
    ageAtPacketEnd: summary(ageAtPacketEnd),
    packetEndToDecoded: summary(packetEndToDecoded),
    ageAtMerge: summary(ageAtMerge),
  }) + "\n",
);
