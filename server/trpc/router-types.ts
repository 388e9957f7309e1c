/**
 * The router's input and output types for the browser, so that @trpc/server stays inside
 * server/trpc (eslint.config.mjs). Types only: importing this module ships no code.
 */
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
