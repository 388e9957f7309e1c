/**
 * Bounds on every procedure input, checked where the input enters: inside the superjson
 * transformer, before any middleware, role check, audit or zod schema walks it.
 *
 * Why there: superjson rebuilds shared references (`meta.referentialEqualities`), so ~1 KB of
 * request can describe a tree of hundreds of millions of nodes (each level points twice at
 * the one below) or a cycle. Every later walk (the audit's redaction, zod, the handler) sees
 * the expanded tree. So the raw JSON is bounded first (iteratively: a 100 000-deep array
 * must not overflow the stack here either), then the tree superjson built is walked again
 * with the same node budget, which counts a shared node once per place it appears: the
 * expanded size, which is what the later walks would pay.
 */
import superjson from "superjson";
import type { SuperJSONResult } from "superjson";
import { outputSuperjson } from "../shared/live-events";

export interface InputLimits {
  /** Nesting levels of objects and arrays. */
  maxDepth: number;
  /** Values (objects, arrays, scalars) in the whole input, shared references counted at each place. */
  maxNodes: number;
  /** Characters of all strings (keys and values) together. */
  maxChars: number;
}

/**
 * Large enough for every legitimate input (the session wizard's draft with a hundred event
 * rules is about 1 500 nodes and 20 000 characters), small enough that walking the worst
 * accepted input costs well under a millisecond.
 */
export const INPUT_LIMITS: InputLimits = { maxDepth: 24, maxNodes: 20_000, maxChars: 262_144 };

/** An input over one of the bounds; the message says which and is meant for the user. */
export class InputBoundsError extends Error {
  override name = "InputBoundsError";
}

/**
 * Walks `root` breadth-first without recursion, counting nodes, depth and characters, and
 * throws an InputBoundsError at the first bound exceeded. Cycles end at the depth bound.
 */
export function checkBounds(root: unknown, limits: InputLimits = INPUT_LIMITS, what = "The input"): void {
  let nodes = 0;
  let chars = 0;
  let level: unknown[] = [root];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > limits.maxDepth) throw new InputBoundsError(`${what} is nested more than ${limits.maxDepth} levels deep.`);
    const next: unknown[] = [];
    for (const v of level) {
      if (++nodes > limits.maxNodes) throw new InputBoundsError(`${what} has more than ${limits.maxNodes} values.`);
      if (typeof v === "string") chars += v.length;
      else if (v instanceof Map || v instanceof Set) {
        if (v.size > limits.maxNodes) throw new InputBoundsError(`${what} has more than ${limits.maxNodes} values.`);
        for (const e of v instanceof Map ? v.entries() : v.values()) next.push(e);
      } else if (Array.isArray(v)) {
        // Checked before the copy: a huge sparse array must not be materialised.
        if (v.length > limits.maxNodes) throw new InputBoundsError(`${what} has more than ${limits.maxNodes} values.`);
        for (const x of v) next.push(x);
      } else if (v !== null && typeof v === "object") {
        for (const k in v) {
          if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
          chars += k.length;
          next.push((v as Record<string, unknown>)[k]);
          if (next.length > limits.maxNodes) throw new InputBoundsError(`${what} has more than ${limits.maxNodes} values.`);
        }
      }
      if (chars > limits.maxChars) throw new InputBoundsError(`${what} has more than ${limits.maxChars} characters of text.`);
    }
    level = next;
  }
}

/**
 * superjson for procedure inputs, bounded: the raw JSON (value and superjson's meta) is
 * checked, then the value superjson rebuilt, with its references expanded. Outputs are
 * ours and go through superjson with our output types (server/shared/live-events.ts).
 */
export const boundedInputTransformer = {
  serialize: (v: unknown): unknown => superjson.serialize(v),
  deserialize: (raw: unknown): unknown => {
    if (raw === undefined) return undefined;
    checkBounds(raw);
    const value = superjson.deserialize(raw as SuperJSONResult);
    checkBounds(value, INPUT_LIMITS, "The input (with its shared references expanded)");
    return value;
  },
};

export const transformer = {
  input: boundedInputTransformer,
  output: { serialize: (v: unknown) => outputSuperjson.serialize(v), deserialize: (v: SuperJSONResult): unknown => outputSuperjson.deserialize(v) },
};
