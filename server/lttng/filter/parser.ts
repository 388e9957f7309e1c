/**
 * A syntax check of LTTng filter expressions (the grammar of lttng-tools'
 * `src/lib/lttng-ctl/filter/filter-parser.y`), so that the UI can flag a bad filter at the
 * field before LTTng's own, much terser, "Invalid filter bytecode". It checks syntax only:
 * LTTng still decides about types and field existence, and its refusal is shown as well.
 *
 * Grammar (C operator precedence, lowest first):
 *   expr     := lor
 *   lor      := land ('||' land)*
 *   land     := bor ('&&' bor)*
 *   bor      := bxor ('|' bxor)*        bxor := band ('^' band)*      band := eq ('&' eq)*
 *   eq       := rel (('=='|'!=') rel)*  rel  := shift (('<'|'>'|'<='|'>=') shift)*
 *   shift    := add (('<<'|'>>') add)*  add  := mul (('+'|'-') mul)*  mul := unary (('*'|'/'|'%') unary)*
 *   unary    := ('+'|'-'|'!'|'~') unary | postfix
 *   postfix  := primary ('[' expr ']' | '.' IDENT | '->' IDENT)*
 *   primary  := IDENT | '$ctx.' IDENT | '$app.' IDENT ':' IDENT | '$container.' IDENT
 *             | NUMBER | STRING | CHAR | '(' expr ')'
 */

export interface FilterSyntaxError {
  /** Character offset (0-based) where the problem was found. */
  offset: number;
  message: string;
}

type TokKind = "id" | "global" | "num" | "str" | "chr" | "op" | "eof";
interface Tok {
  kind: TokKind;
  text: string;
  offset: number;
}

const OPS = ["||", "&&", "==", "!=", "<=", ">=", "<<", ">>", "->", "|", "^", "&", "<", ">", "+", "-", "*", "/", "%", "!", "~", "(", ")", "[", "]", ".", ":"];

class SyntaxErr extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[A-Za-z_]/.test(c)) {
      while (i < src.length && /[A-Za-z0-9_]/.test(src[i]!)) i++;
      toks.push({ kind: "id", text: src.slice(start, i), offset: start });
      continue;
    }
    if (c === "$") {
      i++;
      while (i < src.length && /[A-Za-z0-9_]/.test(src[i]!)) i++;
      const name = src.slice(start + 1, i);
      if (!/^[A-Za-z_]/.test(name)) throw new SyntaxErr(start, "'$' must be followed by ctx, app or container");
      toks.push({ kind: "global", text: name, offset: start });
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(src[i + 1] ?? ""))) {
      const m = /^(?:0[xX][0-9A-Fa-f]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)[uUlL]*/.exec(src.slice(i));
      i += m![0].length;
      if (/[A-Za-z0-9_]/.test(src[i] ?? "")) throw new SyntaxErr(i, `Malformed number '${src.slice(start, i + 1)}'`);
      toks.push({ kind: "num", text: src.slice(start, i), offset: start });
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === "\\") i++;
        i++;
      }
      if (i >= src.length) throw new SyntaxErr(start, c === '"' ? "Unterminated string" : "Unterminated character literal");
      i++;
      toks.push({ kind: c === '"' ? "str" : "chr", text: src.slice(start, i), offset: start });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (c === "=" && !op) throw new SyntaxErr(i, "Use '==' to compare");
    if (!op) throw new SyntaxErr(i, `Unexpected character '${c}'`);
    i += op.length;
    toks.push({ kind: "op", text: op, offset: start });
  }
  toks.push({ kind: "eof", text: "", offset: src.length });
  return toks;
}

const BINARY_LEVELS: string[][] = [["||"], ["&&"], ["|"], ["^"], ["&"], ["==", "!="], ["<", ">", "<=", ">="], ["<<", ">>"], ["+", "-"], ["*", "/", "%"]];

/**
 * Parentheses, brackets and unary operators nested deeper than this are refused: each level
 * costs this recursive parser a dozen stack frames, and 1 000 levels overflowed the stack
 * (a bare 500). No real filter comes near it.
 */
export const MAX_FILTER_NESTING = 64;

class Parser {
  private pos = 0;
  private depth = 0;
  private enter(offset: number): void {
    if (++this.depth > MAX_FILTER_NESTING) throw new SyntaxErr(offset, `The filter is nested more than ${MAX_FILTER_NESTING} levels deep`);
  }
  constructor(private readonly toks: Tok[]) {}
  private peek(): Tok {
    return this.toks[this.pos]!;
  }
  private next(): Tok {
    return this.toks[this.pos++]!;
  }
  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === "op" && t.text === text;
  }
  private expect(text: string): void {
    const t = this.next();
    if (t.kind !== "op" || t.text !== text) throw new SyntaxErr(t.offset, `Expected '${text}' but found ${describe(t)}`);
  }
  private ident(): void {
    const t = this.next();
    if (t.kind !== "id") throw new SyntaxErr(t.offset, `Expected a field name but found ${describe(t)}`);
  }

  parseAll(): void {
    if (this.peek().kind === "eof") throw new SyntaxErr(0, "The filter is empty");
    this.binary(0);
    const t = this.peek();
    if (t.kind !== "eof") throw new SyntaxErr(t.offset, `Unexpected ${describe(t)}`);
  }

  private binary(level: number): void {
    if (level >= BINARY_LEVELS.length) return this.unary();
    this.binary(level + 1);
    const ops = BINARY_LEVELS[level]!;
    while (this.peek().kind === "op" && ops.includes(this.peek().text)) {
      this.next();
      this.binary(level + 1);
    }
  }

  private unary(): void {
    if (this.peek().kind === "op" && ["+", "-", "!", "~"].includes(this.peek().text)) {
      this.enter(this.next().offset);
      this.unary();
      this.depth--;
      return;
    }
    this.postfix();
  }

  private postfix(): void {
    this.primary();
    for (;;) {
      if (this.isOp("[")) {
        this.enter(this.next().offset);
        this.binary(0);
        this.expect("]");
        this.depth--;
      } else if (this.isOp(".") || this.isOp("->")) {
        this.next();
        this.ident();
      } else return;
    }
  }

  private primary(): void {
    const t = this.next();
    switch (t.kind) {
      case "id":
      case "num":
      case "str":
      case "chr":
        return;
      case "global": {
        if (t.text === "ctx" || t.text === "container") {
          this.expect(".");
          this.ident();
          return;
        }
        if (t.text === "app") {
          this.expect(".");
          this.ident();
          this.expect(":");
          this.ident();
          return;
        }
        throw new SyntaxErr(t.offset, `Unknown '$${t.text}': use $ctx.NAME, $app.PROVIDER:TYPE or $container.NAME`);
      }
      case "op":
        if (t.text === "(") {
          this.enter(t.offset);
          this.binary(0);
          this.expect(")");
          this.depth--;
          return;
        }
        throw new SyntaxErr(t.offset, `Unexpected '${t.text}'`);
      case "eof":
        throw new SyntaxErr(t.offset, "The filter ends too early");
    }
  }
}

function describe(t: Tok): string {
  return t.kind === "eof" ? "the end of the filter" : `'${t.text}'`;
}

/** Checks a filter's syntax. Returns null when LTTng's grammar accepts it. */
export function checkFilterSyntax(filter: string): FilterSyntaxError | null {
  try {
    new Parser(lex(filter)).parseAll();
    return null;
  } catch (e) {
    if (e instanceof SyntaxErr) return { offset: e.offset, message: e.message };
    throw e;
  }
}
