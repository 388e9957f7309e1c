/**
 * The shared read-only material that sits beside the checkout (`../shared`), in CI as on a
 * developer's machine: real kernel traces (traces/) and LTTng's recorded MI (lttng-mi/).
 */
import { join, resolve } from "node:path";

export const SHARED = resolve(__dirname, "..", "..", "..", "shared");
export const TRACES = join(SHARED, "traces");
export const LTTNG_MI = join(SHARED, "lttng-mi");
