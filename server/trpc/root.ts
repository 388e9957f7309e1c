import { router, createCallerFactory } from "./init";
import { authRouter } from "./routers/auth";

/** Every router, listed by hand: one per noun. */
export const appRouter = router({
  auth: authRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
