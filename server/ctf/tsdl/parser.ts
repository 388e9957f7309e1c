/**
 * TSDL parser: tokens → TraceModel. Type aliases, typedefs and named struct/variant/enum
 * declarations are resolved while parsing (CTF requires declaration before use), with
 * lexical scopes for struct bodies and blocks. Errors carry the line and column of the
 * offending token.
 */
import { CtfError } from "../errors";
import { tokenize, type Token } from "./lexer";
import {
  displayName,
  type ByteOrder,
  type CallsiteModel,
  type ClockModel,
  type CtfType,
  type EnumMapping,
  type EnumType,
  type EventClass,
  type Field,
  type FloatType,
  type IntType,
  type StreamClass,
  type StructType,
  type TraceModel,
  type VariantType,
} from "./model";

type Value = { kind: "int"; v: bigint } | { kind: "string"; v: string } | { kind: "ident"; v: string } | { kind: "float"; v: number };

// Words that start a type specifier or a block; never part of an alias name.
const TYPE_KEYWORDS = new Set(["integer", "floating_point", "string", "enum", "struct", "variant"]);

interface PendingOrder {
  t: IntType | FloatType;
}

export interface ParseOptions {
  /**
   * Parse event blocks on first use. Kernel metadata declares ~1,500 event classes of which
   * a trace uses a few hundred; parsing them all dominates start-up. The block boundaries,
   * names and ids are still found up front (ids checked for duplicates). A syntax error
   * inside an unused block then goes unnoticed, and one in a used block is reported (with
   * its line) when the class is first decoded.
   */
  lazyEvents?: boolean;
  /** Metadata file named by errors raised when a lazy event block is parsed. */
  file?: string;
}

/** Parses TSDL text into a TraceModel. Throws CtfError with line/column on any error. */
export function parseTsdl(src: string, opts: ParseOptions = {}): TraceModel {
  if (!opts.lazyEvents) return new Parser(tokenize(src)).parse();
  const split = splitEventBlocks(src);
  if (!split) return new Parser(tokenize(src)).parse();
  const p = new Parser(tokenize(split.skeleton));
  p.parseBody();
  for (const b of split.blocks) p.addLazyEvent(src, b, opts.file);
  return p.finishModel();
}

interface BlockSpan {
  start: number;
  end: number;
  line: number;
  column: number;
}

/**
 * Finds top-level `event { … };` blocks with a native-speed scan (strings and comments
 * skipped) and returns the text with each block replaced by its newlines, so that line
 * numbers of everything else are unchanged. Undefined when braces do not balance (the
 * full parser then reports the error).
 */
function splitEventBlocks(src: string): { skeleton: string; blocks: BlockSpan[] } | undefined {
  const re = /"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\/\*[\s\S]*?\*\/|\/\/[^\n]*|[{}]|\bevent\b/g;
  const ws = /\s*/y;
  const semi = /\s*;/y;
  const blocks: BlockSpan[] = [];
  const pieces: string[] = [];
  let depth = 0;
  let kw = -1;
  let blockStart = -1;
  let last = 0;
  let line = 1;
  let lineAt = 0;
  let lineStartPos = 0;
  const advanceLines = (to: number) => {
    for (let k = src.indexOf("\n", lineAt); k >= 0 && k < to; k = src.indexOf("\n", k + 1)) {
      line++;
      lineStartPos = k + 1;
    }
    lineAt = to;
  };
  let m: RegExpExecArray | null;
  while ((m = re.exec(src)) !== null) {
    const t = m[0];
    if (t === "{") {
      if (depth === 0 && kw >= 0) {
        ws.lastIndex = kw + 5;
        ws.test(src);
        if (ws.lastIndex === m.index) blockStart = kw;
      }
      kw = -1;
      depth++;
    } else if (t === "}") {
      depth--;
      if (depth < 0) return undefined;
      if (depth === 0 && blockStart >= 0) {
        semi.lastIndex = m.index + 1;
        const end = semi.test(src) ? semi.lastIndex : m.index + 1;
        advanceLines(blockStart);
        blocks.push({ start: blockStart, end, line, column: blockStart - lineStartPos + 1 });
        pieces.push(src.slice(last, blockStart));
        let nl = 0;
        for (let k = src.indexOf("\n", blockStart); k >= 0 && k < end; k = src.indexOf("\n", k + 1)) nl++;
        pieces.push("\n".repeat(nl));
        last = end;
        re.lastIndex = end;
        blockStart = -1;
      }
    } else if (t === "event") {
      if (depth === 0) kw = m.index;
    } else kw = -1;
  }
  if (depth !== 0) return undefined;
  pieces.push(src.slice(last));
  return { skeleton: pieces.join(""), blocks };
}

/** An event class whose block is parsed on first access to its declarations. */
class LazyEventClass implements EventClass {
  private full: EventClass | undefined;
  constructor(
    readonly id: number,
    readonly name: string,
    readonly streamId: number,
    private readonly load: () => EventClass,
    private readonly where: { line: number; column: number; file?: string },
  ) {}
  private get parsed(): EventClass {
    if (!this.full) {
      this.full = this.load();
      if (this.full.id !== this.id || this.full.name !== this.name || this.full.streamId !== this.streamId)
        throw new CtfError("metadata-semantic", `Event block '${this.name}' is ambiguous (name or ids read differently)`, this.where);
    }
    return this.full;
  }
  get loglevel(): number | undefined {
    return this.parsed.loglevel;
  }
  get modelEmfUri(): string | undefined {
    return this.parsed.modelEmfUri;
  }
  get context(): StructType | undefined {
    return this.parsed.context;
  }
  get fields(): StructType | undefined {
    return this.parsed.fields;
  }
}

class Parser {
  private p = 0;
  scopes: Map<string, CtfType>[] = [new Map()];
  native: PendingOrder[] = [];
  model: TraceModel = {
    major: -1,
    minor: -1,
    byteOrder: "le",
    env: {},
    clocks: new Map(),
    streams: new Map(),
    callsites: [],
  };
  byteOrderSet = false;
  pendingEvents: { ev: EventClass; tok: Token }[] = [];

  constructor(private readonly toks: Token[]) {}

  // ---- token helpers -------------------------------------------------------------------
  private peek(k = 0): Token {
    return this.toks[Math.min(this.p + k, this.toks.length - 1)]!;
  }
  next(): Token {
    const t = this.toks[this.p]!;
    if (t.kind !== "eof") this.p++;
    return t;
  }
  private isPunct(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === "punct" && t.text === text;
  }
  private isIdent(text?: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === "ident" && (text === undefined || t.text === text);
  }
  private fail(msg: string, t: Token = this.peek(), code: "metadata-syntax" | "metadata-semantic" = "metadata-syntax"): never {
    throw new CtfError(code, msg, { line: t.line, column: t.column });
  }
  private semantic(msg: string, t: Token): never {
    return this.fail(msg, t, "metadata-semantic");
  }
  private expectPunct(text: string): Token {
    const t = this.peek();
    if (t.kind !== "punct" || t.text !== text) this.fail(`Expected '${text}' but found ${describe(t)}`);
    return this.next();
  }
  private expectIdent(): Token {
    const t = this.peek();
    if (t.kind !== "ident") this.fail(`Expected an identifier but found ${describe(t)}`);
    return this.next();
  }

  // ---- scopes --------------------------------------------------------------------------
  private lookup(key: string): CtfType | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const t = this.scopes[i]!.get(key);
      if (t) return t;
    }
    return undefined;
  }
  private declare(key: string, t: CtfType): void {
    this.scopes[this.scopes.length - 1]!.set(key, t);
  }

  // ---- top level -----------------------------------------------------------------------
  parse(): TraceModel {
    this.parseBody();
    return this.finishModel();
  }

  /** The top-level declarations; events go to the pending list. */
  parseBody(): void {
    while (this.peek().kind !== "eof") {
      if (this.isPunct(";")) {
        this.next();
        continue;
      }
      const t = this.peek();
      if (t.kind === "ident" && this.isPunct("{", 1)) {
        switch (t.text) {
          case "trace":
          case "env":
          case "clock":
          case "stream":
          case "event":
          case "callsite":
            this.next();
            this.block(t);
            continue;
        }
      }
      this.declarationOrType();
    }
  }

  /**
   * Registers an event block for parsing on first use. Its name, id and stream id are read
   * now from its top-level assignments; a block too unusual for that is parsed at once.
   */
  addLazyEvent(src: string, b: BlockSpan, file?: string): void {
    const text = src.slice(b.start, b.end);
    const tok: Token = { kind: "ident", text: "event", line: b.line, column: b.column };
    const parseNow = (): EventClass => {
      try {
        return parseBlock();
      } catch (e) {
        throw e instanceof CtfError && file !== undefined ? e.withFile(file) : e;
      }
    };
    const parseBlock = (): EventClass => {
      const sub = new Parser(tokenize(text, b.line, b.column));
      sub.scopes = [this.scopes[0]!];
      sub.model = this.model;
      sub.byteOrderSet = true;
      const kw = sub.next();
      sub.block(kw);
      // Types without a byte_order take the trace's (known by now).
      for (const n of sub.native) n.t.byteOrder = this.model.byteOrder;
      const ev = sub.pendingEvents[0]?.ev;
      if (!ev) throw new CtfError("metadata-semantic", "Event block declares no event", { line: b.line, column: b.column });
      return ev;
    };
    // LTTng writes name, id and stream_id before any nested declaration: read them from
    // the block's text up to its first nested brace (anything else is parsed at once).
    const open = text.indexOf("{");
    const nested = text.indexOf("{", open + 1);
    const top = text.slice(open + 1, nested < 0 ? text.length : nested);
    const rest = nested < 0 ? "" : text.slice(nested);
    const name = /(?:^|[;\s])name\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([A-Za-z_][A-Za-z0-9_]*))\s*;/.exec(top);
    const id = /(?:^|[;\s])id\s*=\s*(\d+)\s*;/.exec(top);
    const sid = /(?:^|[;\s])stream_id\s*=\s*(\d+)\s*;/.exec(top);
    const simple =
      name &&
      !/\\/.test(name[0]) &&
      (id || !/(?:^|[;\s])id\s*=/.test(top)) &&
      (sid || !/stream_id\s*=/.test(top)) &&
      !/(?:^|[;\s])(?:name|id|stream_id)\s*=/.test(rest);
    if (!simple) {
      this.pendingEvents.push({ ev: parseNow(), tok });
      return;
    }
    const ev = new LazyEventClass(id ? Number(id[1]) : 0, name[1] ?? name[2]!, sid ? Number(sid[1]) : 0, parseNow, {
      line: b.line,
      column: b.column,
      ...(file !== undefined ? { file } : {}),
    });
    this.pendingEvents.push({ ev, tok });
  }

  finishModel(): TraceModel {
    const m = this.model;
    if (m.major === -1) this.fail("Missing trace block (no 'major'/'minor')", this.peek(), "metadata-semantic");
    for (const n of this.native) n.t.byteOrder = m.byteOrder;
    if (m.streams.size === 0) m.streams.set(0, { id: 0, events: new Map() });
    for (const { ev, tok } of this.pendingEvents) {
      const s = m.streams.get(ev.streamId);
      if (!s) this.semantic(`Event '${ev.name}' refers to unknown stream ${ev.streamId}`, tok);
      if (s.events.has(ev.id)) this.semantic(`Duplicate event id ${ev.id} in stream ${ev.streamId}`, tok);
      s.events.set(ev.id, ev);
    }
    return m;
  }

  /** `typealias …;`, `typedef …;`, or a type specifier defining a named struct/variant/enum. */
  private declarationOrType(): void {
    if (this.isIdent("typealias")) return this.typealias();
    if (this.isIdent("typedef")) return this.typedef();
    const start = this.peek();
    const t = this.typeSpec();
    // `struct name { … } [align(N)];` possibly followed by declarators (ignored at top level)
    while (!this.isPunct(";")) {
      if (this.peek().kind === "eof") this.fail("Unexpected end of metadata", start);
      this.declarator(t);
      if (this.isPunct(",")) this.next();
      else break;
    }
    this.expectPunct(";");
  }

  private typealias(): void {
    this.next();
    const base = this.typeSpec();
    const t = this.abstractDims(base);
    this.expectPunct(":=");
    const nameTok = this.peek();
    const words: string[] = [];
    while (this.peek().kind === "ident") words.push(this.next().text);
    if (words.length === 0) this.fail("Expected an alias name after ':='", nameTok);
    const type = this.abstractDims(t);
    this.declare("alias:" + words.join(" "), type);
    this.expectPunct(";");
  }

  private typedef(): void {
    this.next();
    const base = this.typeSpec();
    for (;;) {
      const { name, type } = this.declarator(base);
      this.declare("alias:" + name, type);
      if (this.isPunct(",")) {
        this.next();
        continue;
      }
      break;
    }
    this.expectPunct(";");
  }

  /** `[N]` suffixes on an abstract declarator (typealias targets). */
  private abstractDims(t: CtfType): CtfType {
    const dims: Dim[] = [];
    while (this.isPunct("[")) dims.push(this.dim());
    return applyDims(t, dims);
  }

  private dim(): number | string | { path: string; line: number; column: number } {
    this.expectPunct("[");
    const t = this.peek();
    let d: number | string | { path: string; line: number; column: number };
    if (t.kind === "int") {
      this.next();
      if (t.int! > 0x7fffffffn) this.semantic(`Array length ${t.int} is too large`, t);
      d = Number(t.int);
    } else if (t.kind === "ident") {
      d = { path: this.path(), line: t.line, column: t.column };
    } else this.fail(`Expected an array length but found ${describe(t)}`);
    this.expectPunct("]");
    return d;
  }

  private path(): string {
    const parts = [this.expectIdent().text];
    while (this.isPunct(".") || this.isPunct("->")) {
      this.next();
      parts.push(this.expectIdent().text);
    }
    return parts.join(".");
  }

  /** `name[dims]` → the field name and its (array/sequence-wrapped) type. */
  private declarator(base: CtfType): { name: string; type: CtfType; tok: Token } {
    const tok = this.expectIdent();
    const dims: Dim[] = [];
    while (this.isPunct("[")) dims.push(this.dim());
    return { name: tok.text, type: applyDims(base, dims), tok };
  }

  // ---- type specifiers ------------------------------------------------------------------
  private depth = 0;

  private typeSpec(): CtfType {
    // Bounded nesting: corrupt metadata must not exhaust the stack.
    if (++this.depth > 64) this.semantic("Types are nested too deeply", this.peek());
    try {
      return this.typeSpecInner();
    } finally {
      this.depth--;
    }
  }

  private typeSpecInner(): CtfType {
    const t = this.peek();
    if (t.kind !== "ident") this.fail(`Expected a type but found ${describe(t)}`);
    switch (t.text) {
      case "integer":
        this.next();
        return this.integer();
      case "floating_point":
        this.next();
        return this.floating();
      case "string":
        this.next();
        return this.string();
      case "enum":
        this.next();
        return this.enumeration(t);
      case "struct":
        this.next();
        return this.structure(t);
      case "variant":
        this.next();
        return this.variant(t);
    }
    if (t.text === "const") {
      this.next();
      return this.typeSpec();
    }
    // Named type: longest run of identifiers that is a declared alias (`unsigned long`).
    const words: string[] = [];
    for (let k = 0; this.peek(k).kind === "ident" && !TYPE_KEYWORDS.has(this.peek(k).text); k++) words.push(this.peek(k).text);
    for (let k = words.length; k >= 1; k--) {
      const found = this.lookup("alias:" + words.slice(0, k).join(" "));
      if (found) {
        this.p += k;
        return found;
      }
    }
    return this.semantic(`Unknown type '${t.text}'`, t);
  }

  private attributes(): { key: string; value: Value; tok: Token }[] {
    this.expectPunct("{");
    const out: { key: string; value: Value; tok: Token }[] = [];
    while (!this.isPunct("}")) {
      const tok = this.peek();
      const key = this.path();
      this.expectPunct("=");
      out.push({ key, value: this.value(), tok });
      this.expectPunct(";");
    }
    this.next();
    return out;
  }

  private value(): Value {
    const t = this.peek();
    if (this.isPunct("-") || this.isPunct("+")) {
      const neg = this.next().text === "-";
      const n = this.peek();
      if (n.kind === "int") {
        this.next();
        return { kind: "int", v: neg ? -n.int! : n.int! };
      }
      if (n.kind === "float") {
        this.next();
        return { kind: "float", v: (neg ? -1 : 1) * Number(n.text) };
      }
      this.fail(`Expected a number after '${t.text}'`, n);
    }
    if (t.kind === "int") {
      this.next();
      return { kind: "int", v: t.int! };
    }
    if (t.kind === "float") {
      this.next();
      return { kind: "float", v: Number(t.text) };
    }
    if (t.kind === "string" || t.kind === "char") {
      this.next();
      return { kind: "string", v: t.text };
    }
    if (t.kind === "ident") return { kind: "ident", v: this.path() };
    return this.fail(`Expected a value but found ${describe(t)}`);
  }

  private integer(): IntType {
    const attrs = this.attributes();
    let size = -1;
    let align = -1;
    let signed = false;
    let byteOrder: ByteOrder | undefined;
    let base = 10;
    let encoding = "none";
    let clock: string | undefined;
    for (const { key, value, tok } of attrs) {
      switch (key) {
        case "size":
          size = this.intAttr(value, tok, key);
          break;
        case "align":
          align = this.intAttr(value, tok, key);
          break;
        case "signed":
          signed = this.boolAttr(value, tok);
          break;
        case "byte_order":
          byteOrder = this.byteOrderAttr(value, tok);
          break;
        case "base":
          base = this.baseAttr(value, tok);
          break;
        case "encoding":
          encoding = this.encodingAttr(value, tok);
          break;
        case "map": {
          const m = value.kind === "ident" ? /^clock\.([A-Za-z_][A-Za-z0-9_]*)\.value$/.exec(value.v) : null;
          if (!m) this.semantic("Integer 'map' must be clock.NAME.value", tok);
          clock = m[1];
          break;
        }
        default:
          this.semantic(`Unknown integer attribute '${key}'`, tok);
      }
    }
    const tok = this.toks[this.p - 1]!;
    if (size < 1 || size > 64) this.semantic(`Integer size must be 1..64, got ${size}`, tok);
    if (align === -1) align = size % 8 === 0 ? 8 : 1;
    if (align < 1 || (align & (align - 1)) !== 0) this.semantic(`Integer alignment must be a power of two, got ${align}`, tok);
    const t: IntType = { kind: "int", size, align, signed, byteOrder: byteOrder ?? "le", base, encoding };
    if (clock !== undefined) t.clock = clock;
    if (byteOrder === undefined) this.native.push({ t });
    return t;
  }

  private floating(): FloatType {
    const attrs = this.attributes();
    let expDig = -1;
    let mantDig = -1;
    let align = -1;
    let byteOrder: ByteOrder | undefined;
    for (const { key, value, tok } of attrs) {
      if (key === "exp_dig") expDig = this.intAttr(value, tok, key);
      else if (key === "mant_dig") mantDig = this.intAttr(value, tok, key);
      else if (key === "align") align = this.intAttr(value, tok, key);
      else if (key === "byte_order") byteOrder = this.byteOrderAttr(value, tok);
      else this.semantic(`Unknown floating_point attribute '${key}'`, tok);
    }
    const tok = this.toks[this.p - 1]!;
    if (!((expDig === 8 && mantDig === 24) || (expDig === 11 && mantDig === 53)))
      this.semantic(`Unsupported floating point format exp_dig=${expDig} mant_dig=${mantDig}`, tok);
    if (align === -1) align = 8;
    const t: FloatType = { kind: "float", expDig, mantDig, align, byteOrder: byteOrder ?? "le" };
    if (byteOrder === undefined) this.native.push({ t });
    return t;
  }

  private string(): CtfType {
    let encoding = "UTF8";
    if (this.isPunct("{")) {
      for (const { key, value, tok } of this.attributes()) {
        if (key === "encoding") encoding = this.encodingAttr(value, tok);
        else this.semantic(`Unknown string attribute '${key}'`, tok);
      }
    }
    return { kind: "string", encoding };
  }

  private enumeration(kw: Token): EnumType {
    let name: string | undefined;
    if (this.isIdent() && !this.isPunct(":", 0)) name = this.next().text;
    let container: CtfType | undefined;
    if (this.isPunct(":")) {
      this.next();
      container = this.typeSpec();
    }
    if (!this.isPunct("{")) {
      if (name === undefined) this.fail("Expected '{' after enum", this.peek());
      const found = this.lookup("enum:" + name);
      if (!found) this.semantic(`Unknown enum '${name}'`, kw);
      return found as EnumType;
    }
    if (container === undefined) {
      container = this.lookup("alias:int");
      if (!container) this.semantic("Enum without container type and no 'int' alias declared", kw);
    }
    if (container.kind !== "int") this.semantic("Enum container must be an integer", kw);
    this.expectPunct("{");
    const mappings: EnumMapping[] = [];
    let nextValue = 0n;
    while (!this.isPunct("}")) {
      const lt = this.next();
      if (lt.kind !== "ident" && lt.kind !== "string") this.fail(`Expected an enum label but found ${describe(lt)}`, lt);
      let start = nextValue;
      let end = nextValue;
      if (this.isPunct("=")) {
        this.next();
        start = this.enumValue();
        end = start;
        if (this.isPunct("...")) {
          this.next();
          end = this.enumValue();
        }
      }
      if (end < start) this.semantic(`Enum range ${start} ... ${end} is empty`, lt);
      mappings.push({ label: lt.text, start, end });
      nextValue = end + 1n;
      if (this.isPunct(",")) this.next();
      else break;
    }
    this.expectPunct("}");
    const t: EnumType = { kind: "enum", container, mappings };
    if (name !== undefined) this.declare("enum:" + name, t);
    return t;
  }

  private enumValue(): bigint {
    const v = this.value();
    if (v.kind !== "int") this.fail("Expected an integer enum value", this.toks[this.p - 1]);
    return v.v;
  }

  private structure(kw: Token): StructType {
    let name: string | undefined;
    if (this.isIdent() && this.isPunct("{", 1)) name = this.next().text;
    else if (this.isIdent() && !this.isPunct("{")) {
      // Reference to a named struct: `struct name` (the next ident may be a declarator).
      const nt = this.next();
      const found = this.lookup("struct:" + nt.text);
      if (!found) this.semantic(`Unknown struct '${nt.text}'`, nt);
      return found as StructType;
    }
    const fields = this.body(kw);
    let minAlign = 1;
    if (this.isIdent("align") && this.isPunct("(", 1)) {
      this.next();
      this.next();
      const at = this.peek();
      const v = this.value();
      if (v.kind !== "int" || v.v < 1n || v.v > 4096n || (v.v & (v.v - 1n)) !== 0n) this.semantic("Struct align() must be a power of two", at);
      minAlign = Number(v.v);
      this.expectPunct(")");
    }
    const t: StructType = { kind: "struct", fields, minAlign };
    if (name !== undefined) this.declare("struct:" + name, t);
    return t;
  }

  private variant(kw: Token): VariantType {
    let name: string | undefined;
    if (this.isIdent()) name = this.next().text;
    let tag: string | undefined;
    if (this.isPunct("<")) {
      this.next();
      tag = this.path();
      this.expectPunct(">");
    }
    if (!this.isPunct("{")) {
      if (name === undefined) this.fail("Expected '{' after variant", this.peek());
      const found = this.lookup("variant:" + name) as VariantType | undefined;
      if (!found) this.semantic(`Unknown variant '${name}'`, kw);
      if (tag === undefined) return found;
      return { ...found, tag, line: kw.line, column: kw.column };
    }
    const options = this.body(kw);
    const t: VariantType = { kind: "variant", tag: tag ?? "", options, line: kw.line, column: kw.column };
    if (name !== undefined) this.declare("variant:" + name, t);
    return t;
  }

  /** An empty statement, `typealias` or `typedef` inside a body or block: true when one was read. */
  private scopeDeclaration(): boolean {
    if (this.isPunct(";")) this.next();
    else if (this.isIdent("typealias")) this.typealias();
    else if (this.isIdent("typedef")) this.typedef();
    else return false;
    return true;
  }

  /** `{ fields… }` of a struct or variant, with its own scope for nested aliases. */
  private body(kw: Token): Field[] {
    this.expectPunct("{");
    this.scopes.push(new Map());
    const fields: Field[] = [];
    const seen = new Set<string>();
    while (!this.isPunct("}")) {
      if (this.peek().kind === "eof") this.fail(`Unterminated ${kw.text} body (opened at line ${kw.line})`);
      if (this.scopeDeclaration()) continue;
      const base = this.typeSpec();
      while (!this.isPunct(";")) {
        const d = this.declarator(base);
        if (seen.has(d.name)) this.semantic(`Duplicate field '${d.name}'`, d.tok);
        seen.add(d.name);
        fields.push({ rawName: d.name, name: displayName(d.name), type: d.type });
        if (this.isPunct(",")) this.next();
        else break;
      }
      this.expectPunct(";");
    }
    this.next();
    this.scopes.pop();
    return fields;
  }

  // ---- attribute helpers -----------------------------------------------------------------
  private intAttr(v: Value, tok: Token, key: string): number {
    if (v.kind !== "int" || v.v < 0n || v.v > 0x7fffffffn) this.semantic(`Attribute '${key}' must be a non-negative integer`, tok);
    return Number(v.v);
  }
  private boolAttr(v: Value, tok: Token): boolean {
    if (v.kind === "int") return v.v !== 0n;
    if (v.kind === "ident" && (v.v === "true" || v.v === "TRUE")) return true;
    if (v.kind === "ident" && (v.v === "false" || v.v === "FALSE")) return false;
    return this.semantic("Expected a boolean", tok);
  }
  private byteOrderAttr(v: Value, tok: Token): ByteOrder | undefined {
    const s = v.kind === "ident" || v.kind === "string" ? v.v : "";
    switch (s) {
      case "le":
      case "little":
        return "le";
      case "be":
      case "big":
      case "network":
        return "be";
      case "native":
        return this.byteOrderSet ? this.model.byteOrder : undefined;
    }
    return this.semantic(`Unknown byte order '${s}'`, tok);
  }
  private baseAttr(v: Value, tok: Token): number {
    if (v.kind === "int") {
      const b = Number(v.v);
      if (b === 2 || b === 8 || b === 10 || b === 16) return b;
    } else if (v.kind === "ident") {
      switch (v.v) {
        case "decimal":
        case "dec":
        case "d":
        case "i":
        case "u":
          return 10;
        case "hexadecimal":
        case "hex":
        case "x":
        case "X":
        case "p":
          return 16;
        case "octal":
        case "oct":
        case "o":
          return 8;
        case "binary":
        case "b":
          return 2;
      }
    }
    return this.semantic("Unknown integer base", tok);
  }
  private encodingAttr(v: Value, tok: Token): string {
    const s = v.kind === "ident" || v.kind === "string" ? v.v : "";
    if (s === "none" || s === "NONE") return "none";
    if (s === "UTF8" || s === "utf8" || s === "UTF-8") return "UTF8";
    if (s === "ASCII" || s === "ascii") return "ASCII";
    return this.semantic(`Unknown encoding '${s}'`, tok);
  }

  // ---- blocks --------------------------------------------------------------------------
  block(kw: Token): void {
    this.expectPunct("{");
    this.scopes.push(new Map());
    const entries: { key: string; value?: Value; type?: CtfType; tok: Token }[] = [];
    while (!this.isPunct("}")) {
      if (this.peek().kind === "eof") this.fail(`Unterminated ${kw.text} block (opened at line ${kw.line})`);
      if (this.scopeDeclaration()) continue;
      const t = this.peek();
      if (t.kind === "ident" && (t.text === "struct" || t.text === "variant" || t.text === "enum")) {
        this.declarationOrType();
        continue;
      }
      const tok = this.peek();
      const key = this.path();
      if (this.isPunct(":=")) {
        this.next();
        const type = this.abstractDims(this.typeSpec());
        entries.push({ key, type, tok });
      } else {
        this.expectPunct("=");
        entries.push({ key, value: this.value(), tok });
      }
      this.expectPunct(";");
    }
    this.next();
    this.scopes.pop();
    this.expectPunct(";");
    switch (kw.text) {
      case "trace":
        return this.traceBlock(entries, kw);
      case "env":
        return this.envBlock(entries);
      case "clock":
        return this.clockBlock(entries, kw);
      case "stream":
        return this.streamBlock(entries, kw);
      case "event":
        return this.eventBlock(entries, kw);
      case "callsite":
        return this.callsiteBlock(entries);
    }
  }

  private traceBlock(entries: BlockEntry[], kw: Token): void {
    const m = this.model;
    for (const e of entries) {
      switch (e.key) {
        case "major":
          m.major = this.intAttr(need(e, this), e.tok, e.key);
          break;
        case "minor":
          m.minor = this.intAttr(need(e, this), e.tok, e.key);
          break;
        case "uuid": {
          const v = need(e, this);
          if (v.kind !== "string" || !/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(v.v))
            this.semantic("Trace uuid must be a UUID string", e.tok);
          m.uuid = v.v.toLowerCase();
          break;
        }
        case "byte_order": {
          const bo = this.byteOrderAttr(need(e, this), e.tok);
          if (bo === undefined) this.semantic("Trace byte_order cannot be 'native'", e.tok);
          m.byteOrder = bo;
          this.byteOrderSet = true;
          break;
        }
        case "packet.header":
          m.packetHeader = this.structOf(e, this);
          break;
        default:
        // Unknown trace attributes are ignored, as babeltrace does.
      }
    }
    if (m.major !== 1 || m.minor !== 8)
      throw new CtfError("unsupported", `Unsupported CTF version ${m.major}.${m.minor} (only CTF 1.8 is supported)`, { line: kw.line, column: kw.column });
  }

  private envBlock(entries: BlockEntry[]): void {
    for (const e of entries) {
      const v = need(e, this);
      if (v.kind === "int") this.model.env[e.key] = v.v >= -0x1fffffffffffffn && v.v <= 0x1fffffffffffffn ? Number(v.v) : v.v;
      else if (v.kind === "float") this.model.env[e.key] = v.v;
      else this.model.env[e.key] = v.v;
    }
  }

  private clockBlock(entries: BlockEntry[], kw: Token): void {
    const c: ClockModel = { name: "", freq: 1000000000n, offsetSeconds: 0n, offsetCycles: 0n, absolute: false };
    for (const e of entries) {
      const v = need(e, this);
      switch (e.key) {
        case "name":
          if (v.kind === "int") this.semantic("Clock name must be an identifier or string", e.tok);
          c.name = String(v.v);
          break;
        case "uuid":
          if (v.kind === "string") c.uuid = v.v;
          break;
        case "description":
          if (v.kind === "string") c.description = v.v;
          break;
        case "freq":
          if (v.kind !== "int" || v.v <= 0n) this.semantic("Clock freq must be a positive integer", e.tok);
          c.freq = v.v;
          break;
        case "precision":
          if (v.kind === "int") c.precision = v.v;
          break;
        case "offset_s":
          if (v.kind !== "int") this.semantic("Clock offset_s must be an integer", e.tok);
          c.offsetSeconds = v.v;
          break;
        case "offset":
          if (v.kind !== "int") this.semantic("Clock offset must be an integer", e.tok);
          c.offsetCycles = v.v;
          break;
        case "absolute":
          c.absolute = this.boolAttr(v, e.tok);
          break;
        default:
      }
    }
    if (c.name === "") this.semantic("Clock without a name", kw);
    this.model.clocks.set(c.name, c);
  }

  private streamBlock(entries: BlockEntry[], kw: Token): void {
    const s: StreamClass = { id: 0, events: new Map() };
    for (const e of entries) {
      switch (e.key) {
        case "id":
          s.id = this.intAttr(need(e, this), e.tok, e.key);
          break;
        case "packet.context":
          s.packetContext = this.structOf(e, this);
          break;
        case "event.header":
          s.eventHeader = this.structOf(e, this);
          break;
        case "event.context":
          s.eventContext = this.structOf(e, this);
          break;
        default:
      }
    }
    if (this.model.streams.has(s.id)) this.semantic(`Duplicate stream id ${s.id}`, kw);
    this.model.streams.set(s.id, s);
  }

  private eventBlock(entries: BlockEntry[], kw: Token): void {
    const ev: EventClass = { id: 0, name: "", streamId: 0 };
    for (const e of entries) {
      switch (e.key) {
        case "name": {
          const v = need(e, this);
          if (v.kind === "int") this.semantic("Event name must be a string", e.tok);
          ev.name = String(v.v);
          break;
        }
        case "id":
          ev.id = this.intAttr(need(e, this), e.tok, e.key);
          break;
        case "stream_id":
          ev.streamId = this.intAttr(need(e, this), e.tok, e.key);
          break;
        case "loglevel": {
          const v = need(e, this);
          if (v.kind === "int") ev.loglevel = Number(v.v);
          break;
        }
        case "model.emf.uri": {
          const v = need(e, this);
          if (v.kind === "string") ev.modelEmfUri = v.v;
          break;
        }
        case "context":
          ev.context = this.structOf(e, this);
          break;
        case "fields":
          ev.fields = this.structOf(e, this);
          break;
        default:
      }
    }
    this.pendingEvents.push({ ev, tok: kw });
  }

  private callsiteBlock(entries: BlockEntry[]): void {
    const c: CallsiteModel = { name: "", func: "", file: "", line: 0n };
    for (const e of entries) {
      const v = need(e, this);
      if (e.key === "name" || e.key === "func" || e.key === "file") c[e.key] = String(v.v);
      else if (e.key === "line" && v.kind === "int") c.line = v.v;
      else if (e.key === "ip" && v.kind === "int") c.ip = v.v;
    }
    this.model.callsites.push(c);
  }

  private structOf(e: BlockEntry, _p: Parser): StructType {
    if (!e.type) this.semantic(`'${e.key}' must be declared with ':='`, e.tok);
    if (e.type.kind !== "struct") this.semantic(`'${e.key}' must be a struct`, e.tok);
    return e.type;
  }

  failAt(msg: string, tok: Token): never {
    return this.semantic(msg, tok);
  }
}

type BlockEntry = { key: string; value?: Value; type?: CtfType; tok: Token };

function need(e: BlockEntry, p: Parser): Value {
  if (e.value === undefined) return p.failAt(`'${e.key}' must be assigned with '='`, e.tok);
  return e.value;
}

type Dim = number | string | { path: string; line: number; column: number };

function applyDims(base: CtfType, dims: Dim[]): CtfType {
  let t = base;
  for (let i = dims.length - 1; i >= 0; i--) {
    const d = dims[i]!;
    if (typeof d === "number") t = { kind: "array", length: d, elem: t };
    else if (typeof d === "string") t = { kind: "sequence", lengthRef: d, elem: t };
    else t = { kind: "sequence", lengthRef: d.path, elem: t, line: d.line, column: d.column };
  }
  return t;
}

function describe(t: Token): string {
  if (t.kind === "eof") return "end of metadata";
  if (t.kind === "string") return `string "${t.text}"`;
  return `'${t.text}'`;
}
