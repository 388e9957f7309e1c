import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { config } from "../../config";
import { ViewerConnection } from "../../live/connection";
import { createLiveSession, ZCreateLiveSession } from "../../live/create";
import { prepareLiveFilter, ZLiveFilter } from "../../live/filter";
import { LiveHub, liveHub } from "../../live/hub";
import { MAX_QUEUE_EVENTS, MIN_QUEUE_EVENTS } from "../../live/subscriber";
import { parseLiveTarget } from "../../live/target";
import type { LiveMessage } from "../../live/wire";
import { ZSessionName } from "../../lttng/schemas";
import { protectedProcedure, router } from "../init";
import { operatorOnHost } from "../on-host";

const ZHostname = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[A-Za-z0-9_.-]+$/);

/**
 * Another relay than the configured one, `HOST:PORT` of its live port: loopback only (the
 * live port has no authentication; the server must not become a way to reach other hosts'
 * ports), operators only. Tests use it to watch a relayd of their own.
 */
export const ZRelayAddress = z
  .string()
  .max(32)
  .regex(/^(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost):\d{1,5}$/, "a loopback relay live port, HOST:PORT (127.x.x.x or localhost)")
  .refine((s) => {
    const [host, port] = s.split(":") as [string, string];
    return Number(port) > 0 && Number(port) < 65536 && host.split(".").every((o) => o === "localhost" || Number(o) <= 255);
  }, "port 1–65535, octets 0–255");

export const ZLiveStreamInput = z.object({
  session: ZSessionName,
  /** The traced host as the relay lists it; omitted: whichever host has the session. */
  hostname: ZHostname.optional(),
  /** Where a channel this subscription starts begins: what comes next (default), or the oldest packet the relay holds. */
  from: z.enum(["last", "beginning"]).default("last"),
  filter: ZLiveFilter.default({ names: [], where: "" }),
  relay: ZRelayAddress.optional(),
  /** Events held for this subscriber before its batches are sampled. */
  queue: z.number().int().min(MIN_QUEUE_EVENTS).max(MAX_QUEUE_EVENTS).optional(),
});

function relay() {
  const r = config().relayd;
  return { host: r.host, port: r.livePort };
}

/** Live sessions: one relay viewer per session in the server, fanned out over SSE. */
export const liveRouter = router({
  /** Live sessions as the relay lists them (CONNECT + LIST_SESSIONS only: it attaches to nothing). */
  sessions: protectedProcedure.query(async () => {
    const r = relay();
    let c: ViewerConnection | undefined;
    try {
      c = await ViewerConnection.open({ host: r.host, port: r.port, commandTimeoutMs: 5_000 });
      const list = await c.listSessions();
      const hub = liveHub();
      const byKey = new Map<string, { name: string; hostname: string; liveTimerUs: number; streams: number; viewers: number; watchedHere: boolean }>();
      for (const s of list) {
        if (s.liveTimerUs === 0) continue;
        const key = `${s.hostname}/${s.name}`;
        const prev = byKey.get(key);
        const here = hub.channel(LiveHub.keyOf({ relayHost: r.host, relayPort: r.port, hostname: undefined, session: s.name })) !== undefined;
        // One tracing session is one relay session per consumer daemon: sum their streams.
        if (prev) {
          prev.streams += s.streams;
          prev.viewers = Math.max(prev.viewers, s.clients);
        } else byKey.set(key, { name: s.name, hostname: s.hostname, liveTimerUs: s.liveTimerUs, streams: s.streams, viewers: s.clients, watchedHere: here });
      }
      return [...byKey.values()].sort((a, b) => a.name.localeCompare(b.name));
    } finally {
      c?.close();
    }
  }),

  /**
   * A live session's events, filtered for this subscriber, with status, gap, stats and end
   * messages. Fails with NOT_FOUND / PRECONDITION_FAILED / CONFLICT / BAD_GATEWAY and the
   * reason when the first attach fails.
   */
  stream: protectedProcedure.input(ZLiveStreamInput).subscription(async function* ({ input, signal, ctx }): AsyncGenerator<LiveMessage> {
    if (input.relay !== undefined && ctx.user.role !== "operator")
      throw new TRPCError({ code: "FORBIDDEN", message: "Watching another relay needs the operator role." });
    const filter = prepareLiveFilter(input.filter);
    const [host, port] = input.relay?.split(":") ?? [];
    const r = host !== undefined ? { host, port: Number(port) } : relay();
    const target = parseLiveTarget(input.session, r);
    if (input.hostname !== undefined) target.hostname = input.hostname;
    yield* liveHub().subscribe(target, filter, { seek: input.from, queue: input.queue, signal });
  }),

  /** Create + enable the UST events + start, live timer 100 ms by default; nothing is left behind on failure. */
  /** A live session on this machine or a traced host (`host`), streaming to this machine's relayd. */
  create: operatorOnHost.input(ZCreateLiveSession).mutation(({ ctx, input }) => createLiveSession(ctx.ctl, input)),
});
