/**
 * A live session in one step, as the Live page offers it: create (live timer, default
 * 100 ms), the chosen UST event rules, start. A part that fails destroys the session again
 * (runSessionSetup's rule), so a refused request leaves nothing behind.
 */
import { z } from "zod";
import type { LttngController } from "../lttng/controller";
import { ZEventName, ZSessionName } from "../lttng/schemas";
import { runSessionSetup } from "../lttng/session-setup";

export const DEFAULT_LIVE_TIMER_US = 100_000;

export const ZCreateLiveSession = z.object({
  name: ZSessionName,
  /** UST event names or patterns (`tracedeck_demo:*`). */
  events: z.array(ZEventName).min(1).max(64),
  /** 10 ms .. 10 s: below, the tracer flushes sub-buffers mostly empty; above, "live" is no longer live. */
  liveTimerUs: z.number().int().min(10_000).max(10_000_000).default(DEFAULT_LIVE_TIMER_US),
});
export type CreateLiveSessionInput = z.input<typeof ZCreateLiveSession>;

export async function createLiveSession(ctl: LttngController, input: CreateLiveSessionInput): Promise<{ name: string; liveTimerUs: number }> {
  const o = ZCreateLiveSession.parse(input);
  await runSessionSetup(ctl, {
    create: { mode: "live", name: o.name, liveTimerUs: o.liveTimerUs },
    events: [{ session: o.name, domain: "userspace", names: o.events }],
  });
  try {
    await ctl.start(o.name);
  } catch (e) {
    await ctl.destroy(o.name).catch(() => undefined);
    throw e;
  }
  return { name: o.name, liveTimerUs: o.liveTimerUs };
}
