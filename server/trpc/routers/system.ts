import { lttng } from "../../lttng/instance";
import { doctor } from "../../lttng/doctor";
import { router, protectedProcedure } from "../init";

// The doctor report runs `lttng version` and `lttng list -k`; cache it briefly so that
// every page's status bar does not spawn two processes.
let cached: { at: number; value: Promise<Awaited<ReturnType<typeof doctor>>> } | undefined;
const TTL_MS = 15_000;

export const systemRouter = router({
  /** LTTng version, kernel tracer availability, babeltrace2: what the status bar and doctor show. */
  info: protectedProcedure.query(async () => {
    if (!cached || Date.now() - cached.at > TTL_MS) {
      const l = lttng();
      cached = { at: Date.now(), value: doctor(l.runner, l.daemons) };
    }
    const r = await cached.value;
    return { lttngVersion: r.lttngVersion, kernelTracer: r.kernelTracer, babeltrace2: r.babeltrace2, checks: r.checks };
  }),
});
