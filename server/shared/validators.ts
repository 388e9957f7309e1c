/**
 * The validators the browser shares with the server: the one module of server/ that
 * components/ and app/ may import values from (eslint.config.mjs enforces it).
 *
 * ISOMORPHIC: this module, and everything it imports, must stay free of Node-only imports
 * (`node:*`, the database, child processes, the logger): it is bundled into the browser.
 * validators.test.ts bundles it for the browser with esbuild and fails on any Node import.
 * The schemas themselves live with their owner (server/lttng); this module only says which
 * of them the browser may use, so a form checks exactly what the API will check.
 */
export { CONTEXT_TYPES_BY_DOMAIN, ZAddTrigger, ZDurationUs, ZSessionName, ZSize, readableIssues } from "../lttng/schemas";
export type { AddTriggerInput } from "../lttng/schemas";
export { checkSessionSetup } from "../lttng/session-setup";
export type { SessionSetupDraft } from "../lttng/session-setup";
export { checkFilterSyntax } from "../lttng/filter/parser";
export { ZSpikeRuleInput, ZLatencyNs } from "../spikes/schema";
export type { SpikeRuleInput } from "../spikes/schema";
