/**
 * The browsers' side of `npm run bench -- live`: N subscribers of `live.stream` over HTTP
 * from a Tracedeck server (its own process), each doing what the Live page's tRPC client
 * does with a message — the SSE stream parsed, the JSON parsed, superjson's output
 * transformer (LiveEvents from its base64 columns) — and then measuring, for every event it
 * holds, the delay from the event's timestamp to that moment. Rendering is the browser's
 * own (the table draws only the rows in view), not measured here. Prints one JSON line.
 * Never asserts.
 */
import type { LiveMessage } from "../../../server/live/wire";
import { outputSuperjson } from "../../../server/shared/live-events";
import { LiveTally } from "./live-tally";

const [base = "", cookie = "", session = "", subscribersArg, secondsArg] = process.argv.slice(2);
const N = Number(subscribersArg);
const tally = new LiveTally(N);
const bytesBy = new Array<number>(N).fill(0);
const errors: string[] = [];
/** Ends every subscriber at the time limit. */
const limit = new AbortController();

/** Calls `onEvent(event, data)` per server-sent event of the body; scans only new bytes for the blank line that ends one. */
async function readSse(body: ReadableStream<Uint8Array>, signal: AbortSignal, onEvent: (event: string, data: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  const flush = (text: string) => {
    let event = "message";
    const data: string[] = [];
    for (const line of text.split("\n")) {
      if (line.startsWith("data:")) data.push(line.slice(line[5] === " " ? 6 : 5));
      else if (line.startsWith("event:")) event = line.slice(6).trim();
    }
    onEvent(event, data.join("\n"));
  };
  // The event being received, in pieces: joined once, when its blank line arrives.
  let parts: string[] = [];
  const reader = body.getReader();
  // Cancelled by hand: a read pending when fetch's own signal aborts may never settle.
  signal.addEventListener("abort", () => void reader.cancel().catch(() => undefined), { once: true });
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    let s = decoder.decode(r.value, { stream: true });
    for (;;) {
      // The blank line may straddle two chunks.
      const straddles = parts.length > 0 && parts[parts.length - 1]!.endsWith("\n") && s.startsWith("\n");
      const cut = straddles ? 0 : s.indexOf("\n\n");
      if (cut < 0) break;
      flush(parts.join("") + s.slice(0, cut));
      parts = [];
      s = s.slice(cut + (straddles ? 1 : 2));
    }
    if (s.length > 0) parts.push(s);
  }
}

async function subscriber(i: number): Promise<void> {
  const input = encodeURIComponent(JSON.stringify(outputSuperjson.serialize({ session, from: "last" })));
  const res = await fetch(`${base}/api/trpc/live.stream?input=${input}`, { headers: { cookie, accept: "text/event-stream" } });
  if (!res.ok || !res.body) throw new Error(`live.stream: HTTP ${res.status}`);
  let done = false;
  await readSse(res.body, limit.signal, (event, data) => {
    bytesBy[i]! += data.length;
    if (event === "serialized-error") errors.push(data.slice(0, 300));
    if (event !== "message" || done) return;
    const m = outputSuperjson.deserialize<LiveMessage>(JSON.parse(data));
    tally.add(i, m);
    // The server then ends the stream.
    if (m.kind === "end") done = true;
  }).catch((e: unknown) => {
    if (!limit.signal.aborted) errors.push(e instanceof Error ? e.message : String(e));
  });
}

const timer = setTimeout(() => limit.abort(), Number(secondsArg) * 1000);
await Promise.all(Array.from({ length: N }, (_, i) => subscriber(i)));
clearTimeout(timer);
process.stdout.write(
  JSON.stringify({
    ...tally.summary(),
    sseMbPerSubscriber: bytesBy.reduce((a, b) => a + b, 0) / N / 1e6,
    errors: errors.slice(0, 5),
    cpuClientS: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
  }) + "\n",
);
process.exit(0);
