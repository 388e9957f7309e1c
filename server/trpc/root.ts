import { router, createCallerFactory } from "./init";
import { analysesRouter } from "./routers/analyses";
import { archivesRouter } from "./routers/archives";
import { authRouter } from "./routers/auth";
import { daemonsRouter } from "./routers/daemons";
import { fleetRouter } from "./routers/fleet";
import { liveRouter } from "./routers/live";
import { sessionsRouter } from "./routers/sessions";
import { spikesRouter } from "./routers/spikes";
import { spikeRulesRouter } from "./routers/spike-rules";
import { systemRouter } from "./routers/system";
import { timelineRouter } from "./routers/timeline";
import { tracesRouter } from "./routers/traces";
import { triggersRouter } from "./routers/triggers";
import { workloadRouter } from "./routers/workload";

/** Every router, listed by hand: one per noun. */
export const appRouter = router({
  analyses: analysesRouter,
  archives: archivesRouter,
  auth: authRouter,
  daemons: daemonsRouter,
  fleet: fleetRouter,
  live: liveRouter,
  sessions: sessionsRouter,
  spikes: spikesRouter,
  spikeRules: spikeRulesRouter,
  system: systemRouter,
  timeline: timelineRouter,
  traces: tracesRouter,
  triggers: triggersRouter,
  workload: workloadRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
