/**
 * The --period and --period-captures definition language of lttng-analyses 0.6.1
 * (cli/period_parsing.py, a pyparsing grammar), as a small recursive-descent parser.
 *
 *   --period 'NAME[(PARENT)]:BEGIN_EXPR[:END_EXPR]'       (END defaults to BEGIN)
 *   --period-captures 'NAME:[var=]REF,...[:[var=]REF,...]'
 *
 * An expression compares a reference ($evt.field, $evt.$name, $evt.$ctx.field,
 * $begin.$evt.field, $parent.$begin.$evt.field) with a number, a "string", or another
 * reference, with == != < <= > >= (=* globs strings), combined by !, && and || with
 * parentheses.
 */

import { AnalysisError } from "../errors";

export type DynScope = "auto" | "$pkt_header" | "$pkt_ctx" | "$header" | "$stream_ctx" | "$ctx" | "$payload";

export interface ScopeRef {
  kind: "ref";
  /** $parent.$begin.… : the parent period's begin event. */
  parent: boolean;
  /** $begin.… : this period's begin event. */
  begin: boolean;
  dyn: DynScope;
  /** null for `$name` (the event's name). */
  field: string | null;
}

export type Operand = ScopeRef | { kind: "number"; value: number } | { kind: "string"; value: string };

export type CompOp = "==" | "<" | "<=" | ">" | ">=" | "=*";

export type Expr =
  | { kind: "and"; lh: Expr; rh: Expr }
  | { kind: "or"; lh: Expr; rh: Expr }
  | { kind: "not"; expr: Expr }
  | { kind: "cmp"; op: CompOp; lh: Operand; rh: Operand };

export interface PeriodDef {
  name: string | null;
  parent: string | null;
  begin: Expr;
  end: Expr;
}

export interface PeriodCapturesDef {
  name: string;
  begin: Map<string, ScopeRef>;
  end: Map<string, ScopeRef>;
}

const DYN_SCOPES: readonly DynScope[] = ["$pkt_header", "$pkt_ctx", "$header", "$stream_ctx", "$ctx", "$payload"];

type Tok =
  | { t: "id"; v: string } // identifier
  | { t: "dollar"; v: string } // $evt, $name, $begin, $parent, $ctx, …
  | { t: "num"; v: string }
  | { t: "str"; v: string }
  | { t: "op"; v: string } // == != <= >= < > =* = && || ! ( ) : , .
  | { t: "end"; v: "" };

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = src.length;
  const isDigit = (c: string) => c >= "0" && c <= "9";
  const isIdStart = (c: string) => /[A-Za-z_]/.test(c);
  const isId = (c: string) => /[A-Za-z0-9_]/.test(c);
  while (i < n) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let v = "";
      i++;
      for (;;) {
        if (i >= n) throw new AnalysisError("MALFORMED_EXPRESSION", `unterminated string in: ${src}`);
        const d = src[i]!;
        if (d === "\\" && i + 1 < n) {
          const e = src[i + 1]!;
          v += e === "n" ? "\n" : e === "t" ? "\t" : e === "r" ? "\r" : e === "f" ? "\f" : e;
          i += 2;
          continue;
        }
        if (d === '"') {
          i++;
          break;
        }
        v += d;
        i++;
      }
      out.push({ t: "str", v });
      continue;
    }
    if (c === "$") {
      let j = i + 1;
      while (j < n && isId(src[j]!)) j++;
      out.push({ t: "dollar", v: src.slice(i, j) });
      i = j;
      continue;
    }
    // Numbers: [+-]?digits[.digits?][e[+-]?digits] (pyparsing's Combine, no inner spaces).
    if (isDigit(c) || ((c === "+" || c === "-") && i + 1 < n && isDigit(src[i + 1]!))) {
      const m = /^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?/.exec(src.slice(i));
      if (m !== null) {
        out.push({ t: "num", v: m[0] });
        i += m[0].length;
        continue;
      }
    }
    if (isIdStart(c)) {
      let j = i + 1;
      while (j < n && isId(src[j]!)) j++;
      out.push({ t: "id", v: src.slice(i, j) });
      i = j;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (["==", "!=", "<=", ">=", "=*", "&&", "||"].includes(two)) {
      out.push({ t: "op", v: two });
      i += 2;
      continue;
    }
    if ("<>!():,.=".includes(c)) {
      out.push({ t: "op", v: c });
      i++;
      continue;
    }
    throw new AnalysisError("MALFORMED_EXPRESSION", `unexpected character '${c}' in: ${src}`);
  }
  out.push({ t: "end", v: "" });
  return out;
}

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly src: string,
  ) {}

  peek(k = 0): Tok {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)]!;
  }
  next(): Tok {
    return this.toks[this.i++]!;
  }
  isOp(v: string, k = 0): boolean {
    const t = this.peek(k);
    return t.t === "op" && t.v === v;
  }
  expectOp(v: string): void {
    if (!this.isOp(v)) this.fail(`expected '${v}'`);
    this.i++;
  }
  atEnd(): boolean {
    return this.peek().t === "end";
  }
  fail(msg: string): never {
    throw new AnalysisError("MALFORMED_EXPRESSION", `${msg} in: ${this.src}`);
  }

  /** [$parent.][$begin.]$evt.( $name | [$dynscope.]field ) */
  ref(): ScopeRef {
    let parent = false;
    let begin = false;
    if (this.peek().t === "dollar" && this.peek().v === "$parent") {
      this.next();
      this.expectOp(".");
      parent = true;
    }
    if (this.peek().t === "dollar" && this.peek().v === "$begin") {
      this.next();
      this.expectOp(".");
      begin = true;
    }
    const evt = this.next();
    if (evt.t !== "dollar" || evt.v !== "$evt") this.fail("expected '$evt'");
    this.expectOp(".");
    const t = this.next();
    if (t.t === "dollar" && t.v === "$name") return { kind: "ref", parent, begin, dyn: "auto", field: null };
    if (t.t === "dollar" && (DYN_SCOPES as readonly string[]).includes(t.v)) {
      this.expectOp(".");
      const id = this.next();
      if (id.t !== "id") this.fail("expected a field name");
      return { kind: "ref", parent, begin, dyn: t.v as DynScope, field: id.v };
    }
    if (t.t !== "id") this.fail("expected a field name or $name");
    return { kind: "ref", parent, begin, dyn: "auto", field: t.v };
  }

  isRefStart(): boolean {
    const t = this.peek();
    return t.t === "dollar" && (t.v === "$evt" || t.v === "$begin" || t.v === "$parent");
  }

  comparison(): Expr {
    const lh = this.ref();
    const opTok = this.next();
    if (opTok.t !== "op") this.fail("expected a comparison operator");
    const op = opTok.v;
    const rhTok = this.peek();
    let rh: Operand;
    if (rhTok.t === "str") {
      // Strings only compare for (in)equality or glob, as in the grammar.
      if (op !== "==" && op !== "!=" && op !== "=*") this.fail(`operator '${op}' cannot compare a string`);
      this.next();
      rh = { kind: "string", value: rhTok.v };
    } else if (lh.field === null) {
      this.fail("$name compares only with a quoted string");
    } else if (rhTok.t === "num") {
      if (!["==", "!=", "<", "<=", ">", ">="].includes(op)) this.fail(`operator '${op}' cannot compare a number`);
      this.next();
      rh = { kind: "number", value: Number.parseFloat(rhTok.v) };
    } else if (this.isRefStart()) {
      if (!["==", "!=", "<", "<=", ">", ">="].includes(op)) this.fail(`operator '${op}' cannot compare two fields`);
      rh = this.ref();
      if (rh.field === null) this.fail("$name compares only with a quoted string");
    } else this.fail("expected a number, a string or a field");
    if (op === "!=") return { kind: "not", expr: { kind: "cmp", op: "==", lh, rh } };
    return { kind: "cmp", op: op as CompOp, lh, rh };
  }

  atom(): Expr {
    if (this.isOp("(")) {
      this.next();
      const e = this.or();
      this.expectOp(")");
      return e;
    }
    if (this.isOp("!")) {
      this.next();
      return { kind: "not", expr: this.atom() };
    }
    return this.comparison();
  }

  and(): Expr {
    let e = this.atom();
    while (this.isOp("&&")) {
      this.next();
      e = { kind: "and", lh: e, rh: this.atom() };
    }
    return e;
  }

  or(): Expr {
    let e = this.and();
    while (this.isOp("||")) {
      this.next();
      e = { kind: "or", lh: e, rh: this.and() };
    }
    return e;
  }

  captureRefs(): Map<string, ScopeRef> {
    const m = new Map<string, ScopeRef>();
    for (;;) {
      let name: string | null = null;
      if (this.peek().t === "id" && this.isOp("=", 1)) {
        name = this.next().v;
        this.next();
      }
      const r = this.ref();
      const key = name ?? refToString(r);
      if (m.has(key)) throw new AnalysisError("MALFORMED_EXPRESSION", `Duplicate period capture name: "${key}"`);
      m.set(key, r);
      if (!this.isOp(",")) return m;
      this.next();
    }
  }
}

/** lttng-analyses' repr of a reference, used as the default capture name. */
export function refToString(r: ScopeRef): string {
  let s = "$evt.";
  if (r.dyn !== "auto") s += r.dyn + ".";
  s += r.field ?? "$name";
  if (r.begin) s = "$begin." + s;
  if (r.parent) s = "$parent." + s;
  return s;
}

/**
 * lttng-analyses drops everything up to the last '/' of the argument (so that
 * "parent/child:..." names work), which also cuts any '/' inside a string literal;
 * here only the name part loses its path.
 */
function stripNamePath(arg: string): string {
  const colon = arg.indexOf(":");
  const head = colon < 0 ? arg : arg.slice(0, colon);
  const slash = head.lastIndexOf("/");
  return slash < 0 ? arg : arg.slice(slash + 1);
}

export function parseExpression(src: string): Expr {
  const p = new Parser(lex(src), src);
  const e = p.or();
  if (!p.atEnd()) p.fail("unexpected trailing input");
  return e;
}

export function parsePeriodDef(arg: string): PeriodDef {
  const src = stripNamePath(arg);
  const p = new Parser(lex(src), src);
  let name: string | null = null;
  let parent: string | null = null;
  if (p.peek().t === "id") {
    name = p.next().v;
    if (p.isOp("(")) {
      p.next();
      const t = p.next();
      if (t.t !== "id") p.fail("expected a parent period name");
      parent = t.v;
      p.expectOp(")");
    }
  }
  p.expectOp(":");
  const begin = p.or();
  let end = begin;
  if (p.isOp(":")) {
    p.next();
    end = p.or();
  }
  if (!p.atEnd()) p.fail("unexpected trailing input");
  return { name, parent, begin, end };
}

export function parsePeriodCaptures(arg: string): PeriodCapturesDef {
  const src = stripNamePath(arg);
  const p = new Parser(lex(src), src);
  const t = p.next();
  if (t.t !== "id") p.fail("expected a period name");
  p.expectOp(":");
  let begin = new Map<string, ScopeRef>();
  let end = new Map<string, ScopeRef>();
  if (p.isRefStart() || p.peek().t === "id") begin = p.captureRefs();
  if (p.isOp(":")) {
    p.next();
    if (!p.atEnd()) end = p.captureRefs();
  }
  if (!p.atEnd()) p.fail("unexpected trailing input");
  return { name: t.v, begin, end };
}

/** lttng-analyses' repr of an expression (error messages, tests). */
export function exprToString(e: Expr): string {
  const operand = (o: Operand): string => (o.kind === "ref" ? refToString(o) : o.kind === "string" ? `"${o.value}"` : String(o.value));
  switch (e.kind) {
    case "and":
      return `(${exprToString(e.lh)} && ${exprToString(e.rh)})`;
    case "or":
      return `(${exprToString(e.lh)} || ${exprToString(e.rh)})`;
    case "not":
      return `!(${exprToString(e.expr)})`;
    case "cmp":
      return `(${operand(e.lh)} ${e.op} ${operand(e.rh)})`;
  }
}
