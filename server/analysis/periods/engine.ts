/**
 * Period definitions and the engine that opens and closes periods as events go by,
 * after lttng-analyses 0.6.1's core/period.py. On each event, open periods whose end
 * expression matches close first (children before parents), then periods whose
 * begin expression matches open (roots, then children of every open period).
 */
import type { EnumLabeler } from "../../ctf";
import type { FieldValue } from "../../ctf/types";
import type { AnalysisEvent } from "../event";
import { AnalysisError } from "../errors";
import { parsePeriodCaptures, parsePeriodDef, type Expr, type Operand, type ScopeRef } from "./parser";

export interface PeriodDefinition {
  /** Its position among the definitions (0, 1, …): engines index per-definition state by it. */
  id: number;
  name: string | null;
  parent: PeriodDefinition | null;
  children: PeriodDefinition[];
  begin: Expr;
  end: Expr;
  beginCaptures: Map<string, ScopeRef>;
  endCaptures: Map<string, ScopeRef>;
  /**
   * Compiled matchers, without the event-name test when there is one (beginName/endName):
   * the engine tests the name first.
   */
  matchBegin: Matcher;
  matchEnd: Matcher;
  /** The event name the begin/end expression requires (`$evt.$name == "x" && …`), if any. */
  beginName: string | null;
  endName: string | null;
  /** The end expression requires `$evt.F == $begin.$evt.G` (F, G: these references), if it does. */
  pairing: { evt: ScopeRef; begin: ScopeRef } | null;
}

export type CaptureValue = FieldValue | undefined;

export interface Period {
  definition: PeriodDefinition | null;
  parent: Period | null;
  /** Open child periods (allocated on first child). */
  children: Set<Period> | null;
  beginEvt: AnalysisEvent;
  endEvt: AnalysisEvent | null;
  completed: boolean;
  beginCaptures: ReadonlyMap<string, CaptureValue>;
  endCaptures: ReadonlyMap<string, CaptureValue>;
  /** The analysis's data for this period (set by its begin callback). */
  data: unknown;
  /** Engine's: begin order, and the key of its definition's pairing index (PairingIndex). */
  seq?: number;
  pairKey?: unknown;
}

interface MatchContext {
  evt: AnalysisEvent;
  begin: AnalysisEvent;
  parentBegin: AnalysisEvent | null;
  /** How enum fields read, when the trace's metadata is at hand (absent: as integers). */
  enums?: EnumView | null;
}

/** The labels of an event class's enum fields by field name (TraceSet.enumLabels). */
export type EnumLabels = (eventName: string) => ReadonlyMap<string, EnumLabeler> | null;

/**
 * Field values as lttng-analyses sees them: babeltrace 1 hands it an enum field as its
 * label, so `$evt.method == "POST"` matches and captures show "POST". The reader keeps
 * enums as integers; this turns them into labels where expressions read them.
 */
export class EnumView {
  private lastName: string | null = null;
  private lastMap: ReadonlyMap<string, EnumLabeler> | null = null;
  constructor(private readonly labels: EnumLabels) {}

  value(ev: AnalysisEvent, f: string, v: CaptureValue): CaptureValue {
    if (typeof v !== "number" && typeof v !== "bigint") return v;
    // Event names are the reader's own strings: the test is usually a pointer compare.
    if (ev.name !== this.lastName) {
      this.lastName = ev.name;
      this.lastMap = this.labels(ev.name);
    }
    const fn = this.lastMap?.get(f);
    return fn === undefined ? v : fn(v);
  }
}

type Matcher = (ctx: MatchContext) => boolean;

/**
 * A copy that survives the reader reusing its event record (forEach); the payload and
 * context objects are fresh per event (server/ctf's contract), so they are shared.
 */
export function copyEvent(ev: AnalysisEvent): AnalysisEvent {
  return { name: ev.name, ts: ev.ts, cpu: ev.cpu, payload: ev.payload, context: ev.context };
}

/** Shared by periods without captures. */
export const NO_CAPTURES: ReadonlyMap<string, CaptureValue> = new Map();

function resolveRef(r: ScopeRef, ctx: MatchContext): CaptureValue {
  const ev = r.parent ? ctx.parentBegin : r.begin ? ctx.begin : ctx.evt;
  if (ev === null) return undefined;
  return refOf(r, ev, ctx.enums ?? null);
}

/** The value a reference names in one event (its scope already chosen). */
function refOf(r: ScopeRef, ev: AnalysisEvent, enums: EnumView | null): CaptureValue {
  if (r.field === null) return ev.name;
  const v = rawRefOf(r, ev, r.field);
  return enums === null ? v : enums.value(ev, r.field, v);
}

function rawRefOf(r: ScopeRef, ev: AnalysisEvent, f: string): CaptureValue {
  switch (r.dyn) {
    case "auto": {
      const p = ev.payload[f];
      if (p !== undefined) return p;
      const c = ev.context[f];
      if (c !== undefined) return c;
      return f === "cpu_id" && ev.cpu >= 0 ? ev.cpu : undefined;
    }
    case "$payload":
      return ev.payload[f];
    case "$ctx":
    case "$stream_ctx":
      return ev.context[f];
    case "$pkt_ctx":
      return f === "cpu_id" && ev.cpu >= 0 ? ev.cpu : undefined;
    default:
      // Packet and event headers are not part of the decoded event.
      return undefined;
  }
}

/** An event field not in the payload: the context's, or the CPU for `cpu_id`. */
function autoOutsidePayload(ev: AnalysisEvent, f: string): CaptureValue {
  const c = ev.context[f];
  if (c !== undefined) return c;
  return f === "cpu_id" && ev.cpu >= 0 ? ev.cpu : undefined;
}

function compileOperand(o: Operand): (ctx: MatchContext) => CaptureValue {
  if (o.kind === "ref") {
    // `$evt.f` and `$begin.$evt.f`, the usual pairing keys, read the payload directly.
    const f = o.field;
    if (f !== null && o.dyn === "auto" && !o.parent) {
      if (o.begin)
        return (ctx) => {
          const p = ctx.begin.payload[f];
          const v = p !== undefined ? p : autoOutsidePayload(ctx.begin, f);
          return ctx.enums == null ? v : ctx.enums.value(ctx.begin, f, v);
        };
      return (ctx) => {
        const p = ctx.evt.payload[f];
        const v = p !== undefined ? p : autoOutsidePayload(ctx.evt, f);
        return ctx.enums == null ? v : ctx.enums.value(ctx.evt, f, v);
      };
    }
    return (ctx) => resolveRef(o, ctx);
  }
  const v = o.value;
  return () => v;
}

function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "[") {
      const j = glob.indexOf("]", i + 2);
      if (j < 0) re += "\\[";
      else {
        let set = glob.slice(i + 1, j).replace(/\\/g, "\\\\");
        if (set.startsWith("!")) set = "^" + set.slice(1);
        re += `[${set}]`;
        i = j;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^(?:${re})$`, "s");
}

/** How expressions compare; the default is the values' true order. */
export interface CompareMode {
  /**
   * lttng-analyses 0.6.1's bug (`--compat=lttng-analyses-0.6.1` only): its expression
   * parser builds a number literal compared with an integer field with the field's type,
   * `int("2.7")` truncating it, so `$evt.x == 2.7` matches x = 2 and `$evt.x < 2.5` misses it.
   */
  truncateLiterals?: boolean;
}

/**
 * Python comparison semantics of lttng-analyses: a missing value never matches and
 * values of different types never match; numbers compare by their true values (an
 * integer field against `2.7` is never equal), unless `truncate` (CompareMode).
 */
function compare(op: Expr & { kind: "cmp" }, lh: CaptureValue, rh: CaptureValue, isLiteralRh: boolean, truncate = false): boolean {
  if (lh === undefined || lh === null || rh === undefined || rh === null) return false;
  let a: number | bigint | string;
  let b: number | bigint | string;
  if (typeof lh === "string") {
    if (typeof rh !== "string") return false;
    a = lh;
    b = rh;
  } else if (typeof lh === "number" || typeof lh === "bigint") {
    if (typeof rh !== "number" && typeof rh !== "bigint") return false;
    a = lh;
    b = rh;
    const lhInt = typeof lh === "bigint" || Number.isInteger(lh);
    if (truncate && isLiteralRh && lhInt && typeof b === "number") b = Math.trunc(b);
    if (typeof a === "bigint" || typeof b === "bigint") {
      // An exact comparison of a bigint with a fractional number: compare with its floor
      // (or ceiling) and settle equality apart.
      if (typeof a === "number" && !Number.isInteger(a)) return compareFraction(op.op, a, b as bigint, false);
      if (typeof b === "number" && !Number.isInteger(b)) return compareFraction(op.op, b, a as bigint, true);
      a = BigInt(a);
      b = BigInt(b);
    }
  } else return false;
  switch (op.op) {
    case "==":
      return a === b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "=*":
      return false;
  }
}

/** `f op n` (or `n op f` when `swapped`) for a non-integer number f and a bigint n. */
function compareFraction(op: string, f: number, n: bigint, swapped: boolean): boolean {
  if (op === "==" || Number.isNaN(f)) return false;
  if (!Number.isFinite(f)) {
    const less = swapped ? f > 0 : f < 0;
    return op === "<" || op === "<=" ? less : !less;
  }
  // f lies strictly between floor(f) and floor(f) + 1, so f < n exactly when floor(f) < n.
  const fl = BigInt(Math.floor(f));
  const fLess = fl < n;
  const less = swapped ? !fLess : fLess;
  return op === "<" || op === "<=" ? less : op === ">" || op === ">=" ? !less : false;
}

export function compileExpr(e: Expr, mode: CompareMode = {}): Matcher {
  const trunc = mode.truncateLiterals === true;
  switch (e.kind) {
    case "and": {
      const l = compileExpr(e.lh, mode);
      const r = compileExpr(e.rh, mode);
      return (ctx) => l(ctx) && r(ctx);
    }
    case "or": {
      const l = compileExpr(e.lh, mode);
      const r = compileExpr(e.rh, mode);
      return (ctx) => l(ctx) || r(ctx);
    }
    case "not": {
      const m = compileExpr(e.expr, mode);
      return (ctx) => !m(ctx);
    }
    case "cmp": {
      const lh = compileOperand(e.lh);
      // The commonest test, `$evt.$name == "x"`, gets a direct path.
      if (e.op === "==" && e.lh.kind === "ref" && e.lh.field === null && !e.lh.begin && !e.lh.parent && e.rh.kind === "string") {
        const want = e.rh.value;
        return (ctx) => ctx.evt.name === want;
      }
      if (e.op === "=*") {
        if (e.rh.kind !== "string") return () => false;
        const re = globToRegExp(e.rh.value);
        return (ctx) => {
          const v = lh(ctx);
          return typeof v === "string" && re.test(v);
        };
      }
      const rh = compileOperand(e.rh);
      const literal = e.rh.kind !== "ref";
      if (e.op === "==" && !literal)
        // Two numbers or two strings compare as themselves (compare() decides the rest).
        return (ctx) => {
          const a = lh(ctx);
          const b = rh(ctx);
          if (typeof a === typeof b && (typeof a === "number" || typeof a === "string")) return a === b;
          return compare(e, a, b, false, trunc);
        };
      return (ctx) => compare(e, lh(ctx), rh(ctx), literal, trunc);
    }
  }
}

/** The name an expression requires of the current event, when it is a conjunct at the top. */
export function requiredEventName(e: Expr): string | null {
  if (e.kind === "and") return requiredEventName(e.lh) ?? requiredEventName(e.rh);
  if (e.kind === "cmp" && isNameTest(e) && e.rh.kind === "string") return e.rh.value;
  return null;
}

/** A top-level conjunct `$evt.F == $begin.$evt.G` (either way round) of an end expression. */
function findPairing(e: Expr): { evt: ScopeRef; begin: ScopeRef } | null {
  if (e.kind === "and") return findPairing(e.lh) ?? findPairing(e.rh);
  if (e.kind !== "cmp" || e.op !== "==" || e.lh.kind !== "ref" || e.rh.kind !== "ref") return null;
  const [l, r] = [e.lh, e.rh];
  if (l.parent || r.parent || l.field === null || r.field === null || l.begin === r.begin) return null;
  return l.begin ? { evt: r, begin: l } : { evt: l, begin: r };
}

/** Open root periods from which the engine pairs ends by key rather than by scanning. */
export const PAIRING_THRESHOLD = 32;

/**
 * A Map key that two values share exactly when compare() finds them equal with `==`:
 * integers as numbers when exact, else as bigints; missing values, NaN and composite
 * values, which never compare equal, have none (undefined).
 */
export function pairingKey(v: CaptureValue): unknown {
  switch (typeof v) {
    case "string":
      return v;
    case "number":
      if (Number.isNaN(v)) return undefined;
      return Number.isInteger(v) && !Number.isSafeInteger(v) ? BigInt(v) : v;
    case "bigint":
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    default:
      return undefined;
  }
}

function isNameTest(e: Expr): boolean {
  return e.kind === "cmp" && e.op === "==" && e.lh.kind === "ref" && e.lh.field === null && !e.lh.begin && !e.lh.parent && e.rh.kind === "string";
}

/** The expression without the conjunct requiredEventName() found; null when nothing is left. */
export function withoutRequiredName(e: Expr): Expr | null {
  if (isNameTest(e)) return null;
  if (e.kind !== "and") return e;
  if (requiredEventName(e.lh) !== null) {
    const l = withoutRequiredName(e.lh);
    return l === null ? e.rh : { ...e, lh: l };
  }
  if (requiredEventName(e.rh) !== null) {
    const r = withoutRequiredName(e.rh);
    return r === null ? e.lh : { ...e, rh: r };
  }
  return e;
}

const ALWAYS: Matcher = () => true;

/** The matcher of an expression whose required event name (if any) is already checked. */
function compileWithoutRequiredName(e: Expr, mode: CompareMode): Matcher {
  if (requiredEventName(e) === null) return compileExpr(e, mode);
  const rest = withoutRequiredName(e);
  return rest === null ? ALWAYS : compileExpr(rest, mode);
}

function validate(def: PeriodDefinition): void {
  const visit = (e: Expr): void => {
    if (e.kind === "and" || e.kind === "or") {
      visit(e.lh);
      visit(e.rh);
    } else if (e.kind === "not") visit(e.expr);
    else
      for (const o of [e.lh, e.rh]) {
        if (o.kind === "ref" && o.parent) {
          if (def.parent === null) throw new AnalysisError("INVALID_PERIOD", "Cannot refer to parent context without a named parent period");
          if (!o.begin) throw new AnalysisError("INVALID_PERIOD", "Must refer to the begin context in a parent context");
        }
      }
  };
  visit(def.begin);
  visit(def.end);
}

export class PeriodDefinitions {
  readonly roots: PeriodDefinition[] = [];
  /** Some period has a parent. */
  nested = false;
  /** Every event name that can end a period, or null when some end expression takes any event. */
  endNames: Set<string> | null = new Set();
  /** Every event name that can begin or end a period, or null when any event may. */
  eventNames: Set<string> | null = new Set();
  readonly named = new Map<string, PeriodDefinition>();
  /** Definitions added so far. */
  size = 0;
  /** Enum labels of the trace being read (set before engines are made); null: enums stay integers. */
  enumLabels: EnumLabels | null = null;
  private readonly fullPaths = new Map<string, string>();

  constructor(readonly compare: CompareMode = {}) {}

  get isEmpty(): boolean {
    return this.roots.length === 0 && this.named.size === 0;
  }

  add(
    parentName: string | null,
    name: string | null,
    begin: Expr,
    end: Expr,
    beginCaptures = new Map<string, ScopeRef>(),
    endCaptures = new Map<string, ScopeRef>(),
  ): PeriodDefinition {
    if (name !== null && this.named.has(name)) throw new AnalysisError("INVALID_PERIOD", `Cannot redefine period "${name}"`);
    const parent = parentName === null ? null : (this.named.get(parentName) ?? null);
    if (parentName !== null && parent === null)
      throw new AnalysisError("INVALID_PERIOD", `Cannot find parent period named "${parentName}" (as parent of period "${name}")`);
    const def: PeriodDefinition = {
      id: this.size++,
      name,
      parent,
      children: [],
      begin,
      end,
      beginCaptures,
      endCaptures,
      matchBegin: compileWithoutRequiredName(begin, this.compare),
      matchEnd: compileWithoutRequiredName(end, this.compare),
      beginName: requiredEventName(begin),
      endName: requiredEventName(end),
      pairing: findPairing(end),
    };
    validate(def);
    if (parent !== null) parent.children.push(def);
    else this.roots.push(def);
    if (parent !== null) this.nested = true;
    if (def.endName === null) this.endNames = null;
    else this.endNames?.add(def.endName);
    if (def.beginName === null || def.endName === null) this.eventNames = null;
    else this.eventNames?.add(def.beginName).add(def.endName);
    if (name !== null) {
      this.named.set(name, def);
      this.fullPaths.set(name, parent === null ? name : `${this.fullPath(parent.name ?? "")}/${name}`);
    }
    return def;
  }

  /** "grandparent/parent/name", as lttng-analyses prints nested period names. */
  fullPath(name: string): string {
    if (name.length === 0) return name;
    return this.fullPaths.get(name) ?? name;
  }

  /** Builds the definitions from --period and --period-captures arguments. */
  static fromArgs(periods: readonly string[], captures: readonly string[] = [], compare: CompareMode = {}): PeriodDefinitions {
    const reg = new PeriodDefinitions(compare);
    const caps = new Map<string, { begin: Map<string, ScopeRef>; end: Map<string, ScopeRef> }>();
    for (const c of captures) {
      const res = parsePeriodCaptures(c);
      if (caps.has(res.name)) throw new AnalysisError("MALFORMED_EXPRESSION", `Duplicate period name "${res.name}" in --period-captures argument`);
      caps.set(res.name, { begin: res.begin, end: res.end });
    }
    for (const p of periods) {
      const d = parsePeriodDef(p);
      const c = d.name === null ? undefined : caps.get(d.name);
      reg.add(d.parent, d.name, d.begin, d.end, c?.begin, c?.end);
    }
    for (const name of caps.keys())
      if (!reg.named.has(name)) throw new AnalysisError("INVALID_PERIOD", `Cannot find period named "${name}" for --period-captures argument`);
    return reg;
  }
}

export interface PeriodCallbacks {
  begin(p: Period): void;
  end(p: Period): void;
}

/** What an event of one name can do: end open periods, begin root periods. */
interface NameRoute {
  /** The definitions' own string for this name, so that name tests are pointer comparisons. */
  name: string;
  canEnd: boolean;
  rootBegins: readonly PeriodDefinition[];
  /** Root definitions this event may end, when all of them pair by key (and nothing nests). */
  pairedEnds: readonly PeriodDefinition[] | null;
}

export class PeriodEngine {
  private readonly roots = new Set<Period>();
  /** One lookup per event instead of a set test per role (the event names are few). */
  private readonly routes = new Map<string, NameRoute | null>();
  /**
   * Open root periods of pairing definitions by key, in begin order, when nothing nests:
   * an end event looks at the periods of its own key instead of every open one. Begins
   * whose end was lost (discarded events) would otherwise make every end event slower,
   * quadratically. Built once PAIRING_THRESHOLD periods are open; kept up to date after.
   */
  private pairing = false;

  /** Whether ends are paired by key now (PAIRING_THRESHOLD reached). */
  get pairingByKey(): boolean {
    return this.pairing;
  }
  private readonly pairs: (Map<unknown, Period | Period[]> | undefined)[] = [];
  private seq = 0;
  /** Reused for every match: matchers are synchronous and keep nothing. */
  private readonly ctx: MatchContext;
  constructor(
    private readonly periodDefs: PeriodDefinitions,
    private readonly cbs: PeriodCallbacks,
  ) {
    const enums = periodDefs.enumLabels === null ? null : new EnumView(periodDefs.enumLabels);
    this.ctx = { evt: null as unknown as AnalysisEvent, begin: null as unknown as AnalysisEvent, parentBegin: null, enums };
  }

  processEvent(evt: AnalysisEvent): void {
    let route = this.routes.get(evt.name);
    if (route === undefined) this.routes.set(evt.name, (route = this.route(evt.name)));
    if (route === null) return;
    // Most events can end no period: skip walking the open ones.
    if (route.canEnd && this.roots.size > 0) {
      if (route.pairedEnds !== null && (this.pairing || this.startPairing())) this.processPairedEnd(route.pairedEnds, evt);
      else this.processEnd(this.roots, evt, route.name);
    }
    if (this.periodDefs.nested) this.processBegin(null, this.roots, this.periodDefs.roots, evt, route.name);
    else if (route.rootBegins.length > 0) this.processBegin(null, this.roots, route.rootBegins, evt, route.name);
  }

  /** null: the event can neither begin nor end a period. */
  private route(name: string): NameRoute | null {
    const { eventNames, endNames } = this.periodDefs;
    if (eventNames !== null && !eventNames.has(name)) return null;
    let canonical = name;
    const visit = (defs: readonly PeriodDefinition[]) => {
      for (const d of defs) {
        if (d.beginName === name) canonical = d.beginName;
        if (d.endName === name) canonical = d.endName;
        visit(d.children);
      }
    };
    visit(this.periodDefs.roots);
    const ends = this.periodDefs.roots.filter((d) => d.endName === null || d.endName === name);
    return {
      name: canonical,
      canEnd: endNames === null || endNames.has(name),
      rootBegins: this.periodDefs.roots.filter((d) => d.beginName === null || d.beginName === name),
      pairedEnds: !this.periodDefs.nested && ends.every((d) => d.pairing !== null) ? ends : null,
    };
  }

  private captures(exprs: Map<string, ScopeRef>, ctx: MatchContext): ReadonlyMap<string, CaptureValue> {
    if (exprs.size === 0) return NO_CAPTURES;
    const out = new Map<string, CaptureValue>();
    for (const [name, ref] of exprs) out.set(name, resolveRef(ref, ctx));
    return out;
  }

  private processBegin(parent: Period | null, periods: Set<Period>, defs: readonly PeriodDefinition[], evt: AnalysisEvent, name: string): void {
    // Usually one period begins: no list for the first.
    let first: Period | null = null;
    let added: Period[] | null = null;
    const ctx = this.ctx;
    for (const def of defs) {
      if (def.beginName !== null && def.beginName !== name) continue;
      ctx.evt = evt;
      ctx.begin = evt;
      ctx.parentBegin = parent === null ? null : parent.beginEvt;
      if (def.matchBegin(ctx)) {
        const p: Period = {
          definition: def,
          parent,
          children: null,
          beginEvt: copyEvent(evt),
          endEvt: null,
          completed: false,
          beginCaptures: this.captures(def.beginCaptures, ctx),
          endCaptures: NO_CAPTURES,
          data: undefined,
          // Present from the start: one object shape for every period.
          seq: 0,
          pairKey: undefined,
        };
        if (first === null) first = p;
        else (added ??= []).push(p);
      }
    }
    if (first !== null) {
      this.open(first, periods);
      if (added !== null) for (const p of added) this.open(p, periods);
    }
    if (!this.periodDefs.nested) return;
    for (const p of periods) {
      const def = p.definition;
      if (def !== null && def.children.length > 0) this.processBegin(p, (p.children ??= new Set()), def.children, evt, name);
    }
  }

  /** Indexes the open periods once there are many (a few are faster to scan). */
  private startPairing(): boolean {
    if (this.roots.size < PAIRING_THRESHOLD || this.periodDefs.nested) return false;
    this.pairing = true;
    for (const p of this.roots) this.index(p);
    return true;
  }

  private open(p: Period, periods: Set<Period>): void {
    this.cbs.begin(p);
    periods.add(p);
    p.seq = this.seq++;
    if (this.pairing) this.index(p);
  }

  private index(p: Period): void {
    const pairing = p.definition!.pairing;
    if (pairing === null || p.parent !== null) return;
    const key = pairingKey(refOf(pairing.begin, p.beginEvt, this.ctx.enums ?? null));
    // A period without a key can never pair (it stays open until the end, unindexed).
    if (key === undefined) return;
    p.pairKey = key;
    let byKey = this.pairs[p.definition!.id];
    if (byKey === undefined) this.pairs[p.definition!.id] = byKey = new Map();
    // Keys are usually unique among open periods: a list only when they are not.
    const l = byKey.get(key);
    if (l === undefined) byKey.set(key, p);
    else if (Array.isArray(l)) l.push(p);
    else byKey.set(key, [l, p]);
  }

  private unindex(p: Period): void {
    if (p.pairKey === undefined) return;
    const byKey = this.pairs[p.definition!.id]!;
    const l = byKey.get(p.pairKey)!;
    if (!Array.isArray(l)) byKey.delete(p.pairKey);
    else {
      l.splice(l.indexOf(p), 1);
      if (l.length === 1) byKey.set(p.pairKey, l[0]!);
    }
    p.pairKey = undefined;
  }

  /** processEnd over the root periods of the event's key only (same matches, same order). */
  private processPairedEnd(defs: readonly PeriodDefinition[], evt: AnalysisEvent): void {
    if (defs.length === 1) {
      // The usual case: one definition, one open period of this key.
      const def = defs[0]!;
      const key = pairingKey(refOf(def.pairing!.evt, evt, this.ctx.enums ?? null));
      if (key === undefined) return;
      const found = this.pairs[def.id]?.get(key);
      if (found === undefined) return;
      if (!Array.isArray(found)) {
        const ctx = this.ctx;
        ctx.evt = evt;
        ctx.begin = found.beginEvt;
        ctx.parentBegin = null;
        if (!def.matchEnd(ctx)) return;
        found.endCaptures = this.captures(def.endCaptures, ctx);
        this.complete(found, this.roots, evt);
        return;
      }
    }
    let candidates: Period[] | null = null;
    let merged = false;
    for (const def of defs) {
      const key = pairingKey(refOf(def.pairing!.evt, evt, this.ctx.enums ?? null));
      if (key === undefined) continue;
      const found = this.pairs[def.id]?.get(key);
      if (found === undefined) continue;
      // A copy: completing the periods below changes the index.
      const l = Array.isArray(found) ? [...found] : [found];
      if (candidates === null) candidates = l;
      else {
        // A loop, not push(...l): one key may hold very many open periods.
        for (const p of l) candidates.push(p);
        merged = true;
      }
    }
    if (candidates === null) return;
    // Periods of several definitions: in begin order, as the set of open periods has them.
    if (merged) candidates.sort((a, b) => a.seq! - b.seq!);
    let first: Period | null = null;
    let ended: Period[] | null = null;
    const ctx = this.ctx;
    for (const p of candidates) {
      const def = p.definition!;
      ctx.evt = evt;
      ctx.begin = p.beginEvt;
      ctx.parentBegin = null;
      if (def.matchEnd(ctx)) {
        p.endCaptures = this.captures(def.endCaptures, ctx);
        if (first === null) first = p;
        else (ended ??= []).push(p);
      }
    }
    if (first === null) return;
    this.complete(first, this.roots, evt);
    if (ended !== null) for (const p of ended) this.complete(p, this.roots, evt);
  }

  private processEnd(periods: Set<Period>, evt: AnalysisEvent, name: string): void {
    for (const p of periods) if (p.children !== null && p.children.size > 0) this.processEnd(p.children, evt, name);
    let first: Period | null = null;
    let ended: Period[] | null = null;
    const ctx = this.ctx;
    for (const p of periods) {
      const def = p.definition!;
      if (def.endName !== null && def.endName !== name) continue;
      ctx.evt = evt;
      ctx.begin = p.beginEvt;
      ctx.parentBegin = p.parent === null ? null : p.parent.beginEvt;
      if (def.matchEnd(ctx)) {
        p.endCaptures = this.captures(def.endCaptures, ctx);
        if (first === null) first = p;
        else (ended ??= []).push(p);
      }
    }
    if (first === null) return;
    this.complete(first, periods, evt);
    if (ended !== null) for (const p of ended) this.complete(p, periods, evt);
  }

  private complete(p: Period, periods: Set<Period>, evt: AnalysisEvent): void {
    p.endEvt = evt;
    p.completed = true;
    if (p.children !== null) this.removeAll(p.children, evt);
    this.unindex(p);
    this.cbs.end(p);
    periods.delete(p);
  }

  private removeAll(periods: Set<Period>, evt: AnalysisEvent | null): void {
    for (const p of periods) if (p.children !== null) this.removeAll(p.children, evt);
    for (const p of periods) {
      p.endEvt = evt;
      p.completed = false;
      this.cbs.end(p);
    }
    periods.clear();
  }

  /** Ends every open period, not completed (end of the analysis). */
  removeAllPeriods(): void {
    this.pairs.length = 0;
    this.pairing = false;
    this.removeAll(this.roots, null);
  }
}
