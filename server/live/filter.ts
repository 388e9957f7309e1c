/**
 * What a live viewer wants to see: event-name globs (LTTng's `*` wildcard) and a field
 * predicate written in the period language of the analyses (`$evt.status == 503 &&
 * $evt.latency_ns > 50000000`, server/analysis/periods/parser.ts), validated and bounded
 * before anything runs. One definition for the CLI, the API and the page.
 */
import { z } from "zod";
import { compileExpr } from "../analysis/periods/engine";
import { AnalysisError } from "../analysis/errors";
import { parseExpression, type Expr } from "../analysis/periods/parser";
import type { EventRecord } from "../ctf/index";
import { LiveError } from "./errors";

export const MAX_NAME_GLOBS = 32;
export const MAX_GLOB_LENGTH = 256;
export const MAX_PREDICATE_LENGTH = 1024;
const MAX_PREDICATE_DEPTH = 16;

export const ZLiveFilter = z.object({
  names: z
    .array(
      z
        .string()
        .min(1)
        .max(MAX_GLOB_LENGTH)
        .regex(/^[\x21-\x7e]+$/, "printable ASCII without spaces"),
    )
    .max(MAX_NAME_GLOBS)
    .default([]),
  where: z.string().max(MAX_PREDICATE_LENGTH).default(""),
});
export type LiveFilterInput = z.input<typeof ZLiveFilter>;

/** What a filter reads of an event: decoded records and wire events both have it. */
export type FilterableEvent = Pick<EventRecord, "name" | "cpu" | "payload" | "context">;
export type EventPredicate = (ev: FilterableEvent) => boolean;

function globRegExp(globs: string[]): RegExp | undefined {
  if (globs.length === 0) return undefined;
  const alts = globs.map((g) =>
    g
      .split("*")
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*"),
  );
  return new RegExp(`^(?:${alts.join("|")})$`, "s");
}

function depth(e: Expr): number {
  switch (e.kind) {
    case "and":
    case "or":
      return 1 + Math.max(depth(e.lh), depth(e.rh));
    case "not":
      return 1 + depth(e.expr);
    case "cmp":
      return 1;
  }
}

/** A period expression that reads only the current event (no `$begin`, no `$parent`). */
function checkCurrentEventOnly(e: Expr): void {
  switch (e.kind) {
    case "and":
    case "or":
      checkCurrentEventOnly(e.lh);
      checkCurrentEventOnly(e.rh);
      return;
    case "not":
      checkCurrentEventOnly(e.expr);
      return;
    case "cmp":
      for (const o of [e.lh, e.rh])
        if (o.kind === "ref" && (o.begin || o.parent))
          throw new LiveError("INVALID_INPUT", "A live filter reads the current event only ($evt.…), not $begin or $parent");
  }
}

/**
 * A validated, compiled filter. `key` names it (equal filters share one, and one bit of the
 * worker's batches); `name` tests the event name alone (its result can be cached per name);
 * `where` the field predicate, if any.
 */
export interface LiveFilter {
  key: string;
  spec: { names: string[]; where: string };
  /** Matches every event: no work per event. */
  all: boolean;
  name: (name: string) => boolean;
  where: EventPredicate | undefined;
  test: EventPredicate;
}

/** Validates and compiles a filter. Throws LiveError INVALID_INPUT with the parser's reason. */
export function prepareLiveFilter(input: LiveFilterInput): LiveFilter {
  const parsed = ZLiveFilter.safeParse(input);
  if (!parsed.success)
    throw new LiveError("INVALID_INPUT", `Bad live filter: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`, {
      cause: parsed.error,
    });
  const names = [...new Set(parsed.data.names)].sort();
  const where = parsed.data.where.trim();
  const re = globRegExp(names);
  let match: EventPredicate | undefined;
  if (where !== "") {
    let expr: Expr;
    try {
      expr = parseExpression(where);
    } catch (e) {
      if (e instanceof AnalysisError && e.code === "MALFORMED_EXPRESSION")
        throw new LiveError("INVALID_INPUT", `Bad filter expression: ${e.message}`, { cause: e });
      throw e;
    }
    if (depth(expr) > MAX_PREDICATE_DEPTH) throw new LiveError("INVALID_INPUT", `Filter expression nests deeper than ${MAX_PREDICATE_DEPTH}`);
    checkCurrentEventOnly(expr);
    const m = compileExpr(expr);
    // The matcher never reads `ts` (no expression can name it): no copy per event.
    match = (ev) => {
      const evt = ev as FilterableEvent & { ts: number };
      return m({ evt, begin: evt, parentBegin: null });
    };
  }
  const name = re ? (n: string) => re.test(n) : () => true;
  const test: EventPredicate = re && match ? (ev) => re.test(ev.name) && match(ev) : re ? (ev) => re.test(ev.name) : (match ?? (() => true));
  return { key: JSON.stringify([names, where]), spec: { names, where }, all: !re && !match, name, where: match, test };
}

/** Validates and compiles a filter into a predicate. Throws LiveError INVALID_INPUT with the parser's reason. */
export function compileLiveFilter(input: LiveFilterInput): EventPredicate {
  return prepareLiveFilter(input).test;
}
