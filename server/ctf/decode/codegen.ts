/**
 * Generates one JavaScript decode function per scope (packet header, packet context, event
 * header) and per event layout (stream event context + event context + payload; classes of
 * identical layout and field names share one, see DecoderCache), from the trace model (DESIGN.md "Decoding speed"). The generated code has no per-field
 * interpretation: aligned 8/16/32-bit integers are single DataView reads, bit-fields with a
 * statically known bit phase are inlined shifts, alignment is skipped where it is known at
 * generation time, and objects are built as literals (one stable shape per class).
 *
 * Positions are bits from the packet start; the packet start is aligned for every type.
 */
import { CtfError } from "../errors";
import { alignOf, isTextElem, type CtfType, type EventClass, type IntType, type StructType } from "../tsdl/model";
import { RT, type DecodeState } from "./runtime";

export type ScopeName = "ph" | "pc" | "eh" | "sec" | "ec" | "payload";

const ABS_PREFIXES: [string, ScopeName][] = [
  ["trace.packet.header", "ph"],
  ["stream.packet.context", "pc"],
  ["stream.event.header", "eh"],
  ["stream.event.context", "sec"],
  ["event.context", "ec"],
  ["event.fields", "payload"],
];
const SCOPE_ORDER: ScopeName[] = ["ph", "pc", "eh", "sec", "ec", "payload"];

/**
 * Per-trace clock base shared by the generated code of every stream of a trace: event
 * clock values are kept as cycles relative to `base` in a JS number.
 */
export class ClockBase {
  base = 0n;
  /** High / low 32 bits of `base`. */
  bhi = 0;
  blo = 0;
  isSet = false;
  set(base: bigint): void {
    this.base = base;
    this.bhi = Number((base >> 32n) & 0xffffffffn);
    this.blo = Number(base & 0xffffffffn);
    this.isSet = true;
  }
}

interface Ref {
  expr: string;
  type: CtfType;
}

type DecodeStruct = (S: DecodeState) => Record<string, unknown>;
type DecodeHeader = (S: DecodeState) => void;
/** Decodes stream event context, event context and payload into `rec`. */
export type DecodeEvent = (S: DecodeState, rec: { context: unknown; payload: unknown }) => void;

const EMPTY: Record<string, never> = Object.freeze({}) as Record<string, never>;

class Gen {
  private out: string[] = [];
  private n = 0;
  private mod = 64;
  private phase = 0;
  private levels: Map<string, Ref>[] = [];
  /** >0 while emitting elements whose bounds the enclosing length check already covers. */
  private unchecked = 0;
  /**
   * A run of fixed-size, byte-aligned fields decoded at static byte offsets from one base
   * (`const rb = o + (pos >>> 3)`), with one bounds check and one `pos +=` for the run.
   */
  private run: { base: string; off: number } | undefined;
  private scopeRefs = new Map<ScopeName, Map<string, Ref>>();

  constructor(
    private readonly header: boolean,
    private readonly external: Partial<Record<ScopeName, { expr: string; type: StructType }>>,
    startAligned: boolean,
    /** Skip mode: only advance the position (no objects, arrays or strings are built). */
    private readonly skip = false,
  ) {
    if (!startAligned) this.mod = 1;
  }

  private v(p = "v"): string {
    return p + this.n++;
  }
  line(s: string): void {
    this.out.push(s);
  }
  source(): string {
    return this.out.join("\n");
  }

  private advance(bits: number): void {
    this.phase = this.mod > 1 ? (this.phase + bits) % this.mod : 0;
  }

  private align(a: number): void {
    if (a <= 1) return;
    if (this.run) {
      // Inside a run alignment is static by construction.
      const delta = (a - (this.phase % a)) % a;
      this.run.off += delta;
      this.advance(delta);
      return;
    }
    if (a <= this.mod) {
      const delta = (a - (this.phase % a)) % a;
      if (delta) {
        this.line(`pos += ${delta};`);
        this.advance(delta);
      }
      return;
    }
    this.line(`pos = (pos + ${a - 1}) & ${~(a - 1)};`);
    this.mod = a;
    this.phase = 0;
  }

  private check(bits: string | number): void {
    if (this.run || this.unchecked > 0) return;
    this.line(`if (pos + ${bits} > end) R.overrun(S, pos);`);
  }

  /** Byte index expression of the current position (pos is byte-aligned here). */
  private byteAt(): string {
    return this.run ? `${this.run.base} + ${this.run.off >> 3}` : `o + (pos >>> 3)`;
  }

  /** Advances past `bits` decoded bits (statically inside a run). */
  private bump(bits: number): void {
    if (this.run) this.run.off += bits;
    else this.line(`pos += ${bits};`);
    this.advance(bits);
  }

  /** Bits a run of simple fields starting at fields[i] covers, and its end index (exclusive). */
  private planRun(fields: { type: CtfType }[], i: number): { end: number; bits: number } {
    if (this.header || this.mod < 8 || this.phase % 8 !== 0) return { end: i, bits: 0 };
    let ph = this.phase;
    let bits = 0;
    let j = i;
    for (; j < fields.length; j++) {
      const w = simpleBits(fields[j]!.type);
      if (w === undefined) break;
      const a = alignOf(fields[j]!.type);
      if (a > this.mod) break;
      const delta = (a - (ph % a)) % a;
      ph = (ph + delta + w) % this.mod;
      bits += delta + w;
    }
    return { end: j, bits };
  }

  // ---- path resolution ----------------------------------------------------------------
  private resolve(path: string, at: { line?: number; column?: number } = {}): Ref {
    semanticAt = at;
    const parts = path.split(".");
    for (const [prefix, scope] of ABS_PREFIXES) {
      const pp = prefix.split(".");
      if (parts.length > pp.length && pp.every((p, i) => parts[i] === p)) {
        const rest = parts.slice(pp.length);
        const local = this.scopeRefs.get(scope);
        if (local) {
          const r = local.get(rest[0]!);
          if (r) return this.walk(r, rest.slice(1), path);
        }
        const ext = this.external[scope];
        if (ext) return this.walk({ expr: ext.expr, type: ext.type }, rest, path);
        throw semantic(`Cannot resolve '${path}': scope is not available here`);
      }
    }
    for (let i = this.levels.length - 1; i >= 0; i--) {
      const r = this.levels[i]!.get(parts[0]!);
      if (r) return this.walk(r, parts.slice(1), path);
    }
    for (let i = SCOPE_ORDER.length - 1; i >= 0; i--) {
      const s = SCOPE_ORDER[i]!;
      const r = this.scopeRefs.get(s)?.get(parts[0]!);
      if (r) return this.walk(r, parts.slice(1), path);
      const ext = this.external[s];
      if (ext && ext.type.fields.some((f) => f.rawName === parts[0])) return this.walk({ expr: ext.expr, type: ext.type }, parts, path);
    }
    throw semantic(`Cannot resolve field path '${path}'`);
  }

  private walk(r: Ref, rest: string[], path: string): Ref {
    let cur = r;
    for (const part of rest) {
      if (cur.type.kind !== "struct") throw semantic(`Cannot resolve '${path}': '${part}' is not inside a struct`);
      const f = cur.type.fields.find((x) => x.rawName === part);
      if (!f) throw semantic(`Cannot resolve '${path}': no field '${part}'`);
      cur = { expr: `${cur.expr}[${JSON.stringify(f.name)}]`, type: f.type };
    }
    return cur;
  }

  // ---- emitters ------------------------------------------------------------------------
  /** Emits code decoding `t`; returns the JS expression holding the value. */
  emit(t: CtfType, rawName: string | undefined): string {
    switch (t.kind) {
      case "int":
        return this.emitInt(t, rawName);
      case "enum":
        return this.emitInt(t.container, rawName);
      case "float": {
        this.align(t.align);
        const size = t.expDig + t.mantDig;
        if (!(this.mod >= 8 && this.phase % 8 === 0)) {
          this.line(`if ((pos & 7) !== 0) R.overrun(S, pos, "Floating point field is not byte-aligned");`);
        }
        this.check(size);
        const v = this.v();
        this.line(`const ${v} = dv.getFloat${size}(${this.byteAt()}, ${t.byteOrder === "le"});`);
        this.bump(size);
        return v;
      }
      case "string": {
        this.align(8);
        if (this.skip) {
          this.line(`R.skipStr(S, o + (pos >>> 3), o + (end >>> 3));`);
          this.line(`pos = (S.tmp - o) * 8;`);
          this.mod = 8;
          this.phase = 0;
          return "undefined";
        }
        const v = this.v();
        this.line(`const ${v} = R.cstr(S, o + (pos >>> 3), o + (end >>> 3));`);
        this.line(`pos = (S.tmp - o) * 8;`);
        this.mod = 8;
        this.phase = 0;
        return v;
      }
      case "struct": {
        const fields = this.emitFields(t);
        // Skip mode still builds nested structs: a later length or tag may name a field inside.
        if (this.header) return "undefined";
        return objectLiteral(fields);
      }
      case "variant":
        return this.emitVariant(t);
      case "array":
        return this.emitArray(t.elem, String(t.length), t.length);
      case "sequence": {
        const ref = this.resolve(t.lengthRef, t);
        if (ref.type.kind !== "int" && ref.type.kind !== "enum") throw semantic(`Sequence length '${t.lengthRef}' is not an integer`);
        const len = this.v("L");
        this.line(`const ${len} = Number(${ref.expr});`);
        return this.emitArray(t.elem, len, undefined);
      }
    }
  }

  /** Decodes a struct's fields; returns [display name, expression] pairs. */
  emitFields(t: StructType, scope?: ScopeName): [string, string][] {
    this.align(alignOf(t));
    const level = new Map<string, Ref>();
    this.levels.push(level);
    if (scope) this.scopeRefs.set(scope, level);
    const out: [string, string][] = [];
    let runEnd = -1;
    for (let i = 0; i < t.fields.length; i++) {
      const f = t.fields[i]!;
      if (!this.run && this.unchecked === 0) {
        const plan = this.planRun(t.fields, i);
        if (plan.end - i >= 2) {
          const base = this.v("rb");
          this.line(`const ${base} = o + (pos >>> 3);`);
          this.line(`if (pos + ${plan.bits} > end) R.overrun(S, pos);`);
          this.run = { base, off: 0 };
          runEnd = plan.end;
        }
      }
      const e = this.emit(f.type, f.rawName);
      if (this.run && i + 1 === runEnd) {
        this.line(`pos += ${this.run.off};`);
        this.run = undefined;
      }
      // Later fields refer to earlier ones through a local, never through the object.
      const local = /^[A-Za-z_$][\w$]*$/.test(e) ? e : this.hoist(e);
      level.set(f.rawName, { expr: local, type: f.type });
      out.push([f.name, local]);
    }
    this.levels.pop();
    return out;
  }

  private hoist(expr: string): string {
    const v = this.v();
    this.line(`const ${v} = ${expr};`);
    return v;
  }

  private emitInt(t: IntType, rawName: string | undefined): string {
    this.align(t.align);
    const size = t.size;
    const le = t.byteOrder === "le";
    this.check(size);
    const byteAligned = this.mod >= 8 && this.phase % 8 === 0;
    const clockInHeader = this.header && t.clock !== undefined;
    let v = this.v();
    if (clockInHeader && size === 64 && byteAligned) {
      // Full timestamp: cycles relative to the trace base, exact as long as < 2^53.
      const b = this.v("b");
      this.line(`const ${b} = o + (pos >>> 3);`);
      const lo = le ? `dv.getUint32(${b}, true)` : `dv.getUint32(${b} + 4, false)`;
      const hi = le ? `dv.getUint32(${b} + 4, true)` : `dv.getUint32(${b}, false)`;
      this.line(`{ const lo = ${lo}; S.clk = (${hi} - K.bhi) * 4294967296 + (lo - K.blo); S.lo32 = lo; }`);
      this.line(`pos += 64;`);
      this.advance(64);
      return "undefined";
    }
    if (byteAligned && (size === 8 || size === 16 || size === 32)) {
      const fn = `get${t.signed ? "Int" : "Uint"}${size}`;
      this.line(`const ${v} = ${size === 8 && !t.signed ? `u8[${this.byteAt()}]` : `dv.${fn}(${this.byteAt()}${size > 8 ? `, ${le}` : ""})`};`);
    } else if (byteAligned && size === 64) {
      // Inline fast path for values below 2^53 (almost all); exact bigint otherwise.
      const b = this.v("b");
      const h = this.v("h");
      this.line(`const ${b} = ${this.byteAt()};`);
      if (t.signed) {
        this.line(`const ${h} = dv.getInt32(${le ? `${b} + 4` : b}, ${le});`);
        this.line(
          `const ${v} = ${h} >= -2097152 && ${h} < 2097152 ? ${h} * 4294967296 + dv.getUint32(${le ? b : `${b} + 4`}, ${le}) : R.i64(dv, ${b}, ${le});`,
        );
      } else {
        this.line(`const ${h} = dv.getUint32(${le ? `${b} + 4` : b}, ${le});`);
        this.line(`const ${v} = ${h} < 2097152 ? ${h} * 4294967296 + dv.getUint32(${le ? b : `${b} + 4`}, ${le}) : R.u64(dv, ${b}, ${le});`);
      }
    } else if (this.mod >= 8 && (this.phase % 8) + size <= 32) {
      const p = this.phase % 8;
      const nb = Math.ceil((p + size) / 8);
      const b = this.v("b");
      this.line(`const ${b} = o + (pos >>> 3);`);
      const bytes: string[] = [];
      for (let k = 0; k < nb; k++) {
        const shift = le ? 8 * k : 24 - 8 * k;
        bytes.push(shift ? `(u8[${b}${k ? ` + ${k}` : ""}] << ${shift})` : `u8[${b}${k ? ` + ${k}` : ""}]`);
      }
      const raw = `(${bytes.join(" | ")})`;
      let expr: string;
      if (le) {
        if (t.signed) expr = size === 32 ? `(${raw} | 0)` : `((${raw} >>> ${p}) << ${32 - size}) >> ${32 - size}`;
        else expr = size === 32 ? `(${raw} >>> 0)` : `((${raw} >>> ${p}) & ${2 ** size - 1})`;
      } else {
        expr = t.signed ? `((${raw} << ${p}) >> ${32 - size})` : `((${raw} << ${p}) >>> ${32 - size})`;
      }
      this.line(`const ${v} = ${expr};`);
    } else {
      this.line(`const ${v} = R.readBits(u8, o, pos, ${size}, ${le}, ${t.signed});`);
    }
    this.bump(size);
    if (this.header && rawName === "id") this.line(`S.eid = ${size > 52 ? `Number(${v})` : v};`);
    if (clockInHeader) {
      if (size < 32 && size <= 52) {
        this.line(
          `{ const c = S.lo32 & ${2 ** size - 1}; const d = ${v} >= c ? ${v} - c : ${v} + ${2 ** size} - c; S.clk += d; S.lo32 = (S.lo32 + d) >>> 0; }`,
        );
      } else if (size === 32) {
        this.line(`{ const c = S.lo32; const d = ${v} >= c ? ${v} - c : ${v} + 4294967296 - c; S.clk += d; S.lo32 = ${v}; }`);
      } else {
        this.line(`R.clockUpdate(S, K.base, ${v}, ${size});`);
      }
      v = "undefined";
    }
    return v;
  }

  private emitVariant(t: { tag: string; options: { rawName: string; name: string; type: CtfType }[]; line?: number; column?: number }): string {
    semanticAt = t;
    if (t.tag === "") throw semantic("Variant without a tag");
    const tag = this.resolve(t.tag, t);
    if (tag.type.kind !== "enum") throw semantic(`Variant tag '${t.tag}' is not an enum`);
    const en = tag.type;
    const tv = this.v("t");
    this.line(`const ${tv} = Number(${tag.expr});`);
    const r = this.v();
    this.line(`let ${r};`);
    const entry = { mod: this.mod, phase: this.phase };
    const exits: { mod: number; phase: number }[] = [];
    let first = true;
    for (const opt of t.options) {
      const ranges = en.mappings.filter((m) => m.label === opt.rawName || m.label === opt.name);
      if (ranges.length === 0) continue;
      const cond = ranges
        .map((m) => (m.start === m.end ? `${tv} === ${Number(m.start)}` : `(${tv} >= ${Number(m.start)} && ${tv} <= ${Number(m.end)})`))
        .join(" || ");
      this.line(`${first ? "" : "else "}if (${cond}) {`);
      first = false;
      this.mod = entry.mod;
      this.phase = entry.phase;
      this.levels.push(new Map());
      const e = this.emit(opt.type, opt.rawName);
      this.levels.pop();
      this.line(`${r} = ${e};`);
      this.line("}");
      exits.push({ mod: this.mod, phase: this.phase });
    }
    this.line(first ? `R.badTag(S, ${tv});` : `else R.badTag(S, ${tv});`);
    // Keep only the alignment knowledge every branch agrees on.
    let mod = Math.min(...exits.map((x) => x.mod), 64);
    while (mod > 1 && !exits.every((x) => x.phase % mod === exits[0]!.phase % mod)) mod >>= 1;
    this.mod = exits.length ? mod : 1;
    this.phase = exits.length && mod > 1 ? exits[0]!.phase % mod : 0;
    return r;
  }

  private emitArray(elem: CtfType, len: string, staticLen: number | undefined): string {
    const v = this.v();
    if (isTextElem(elem)) {
      this.align(8);
      if (staticLen === undefined) this.line(`if (!(${len} >= 0) || ${len} * 8 > end - pos) R.badLength(S, pos, ${len});`);
      else this.check(staticLen * 8);
      if (!this.skip) this.line(`const ${v} = R.textArray(u8, o + (pos >>> 3), ${len});`);
      this.line(`pos += ${len} * 8;`);
      if (staticLen !== undefined) this.advance(staticLen * 8);
      else {
        this.mod = Math.min(this.mod, 8);
        this.phase = 0;
      }
      return this.skip ? "undefined" : v;
    }
    const a = alignOf(elem);
    this.align(a);
    if (staticLen !== undefined && this.run) {
      // Small static array inside a run: unrolled literal at static offsets.
      const items: string[] = [];
      for (let k = 0; k < staticLen; k++) items.push(this.emit(elem, undefined));
      if (this.skip) return "undefined";
      this.line(`const ${v} = [${items.join(", ")}];`);
      return v;
    }
    const min = minBits(elem);
    const fixed = fixedBits(elem);
    // Guard the allocation with the bytes actually left in the packet.
    if (min > 0) this.line(`if (!(${len} >= 0) || ${len} * ${min} > end - pos) R.badLength(S, pos, ${len});`);
    else this.line(`if (!(${len} >= 0) || ${len} > 16777216) R.badLength(S, pos, ${len});`);
    const regular = fixed !== undefined && fixed % Math.max(a, 1) === 0;
    if (this.skip && regular && min > 0) {
      // Elements of one fixed size: the length check above covers them all.
      this.line(`pos += ${len} * ${fixed};`);
      this.mod = Math.max(a, 1);
      this.phase = 0;
      return "undefined";
    }
    const i = this.v("i");
    if (!this.skip) this.line(`const ${v} = new Array(${len});`);
    this.line(`for (let ${i} = 0; ${i} < ${len}; ${i}++) {`);
    this.mod = regular ? Math.max(a, 1) : 1;
    this.phase = 0;
    this.levels.push(new Map());
    // The length check above covers every element of a regular fixed-size type.
    if (regular && min > 0) this.unchecked++;
    const e = this.emit(elem, undefined);
    if (regular && min > 0) this.unchecked--;
    this.levels.pop();
    if (!this.skip) this.line(`${v}[${i}] = ${e};`);
    this.line("}");
    this.mod = regular ? Math.max(a, 1) : 1;
    this.phase = 0;
    return this.skip ? "undefined" : v;
  }
}

/** Size of a type that can join a run (fixed, byte-sized, byte-aligned), else undefined. */
function simpleBits(t: CtfType): number | undefined {
  switch (t.kind) {
    case "int":
      return t.align >= 8 && (t.size === 8 || t.size === 16 || t.size === 32 || t.size === 64) ? t.size : undefined;
    case "enum":
      return simpleBits(t.container);
    case "float":
      return t.align >= 8 ? t.expDig + t.mantDig : undefined;
    case "array": {
      if (t.length > 16 || isTextElem(t.elem)) return undefined;
      const e = simpleBits(t.elem);
      return e !== undefined && e % alignOf(t.elem) === 0 ? e * t.length : undefined;
    }
    default:
      return undefined;
  }
}

function objectLiteral(fields: [string, string][]): string {
  if (fields.length === 0) return "{}";
  return `{ ${fields.map(([k, e]) => (k === "__proto__" ? `["__proto__"]: ${e}` : `${JSON.stringify(k)}: ${e}`)).join(", ")} }`;
}

/** The size of an integer, enum or float; undefined for other types. */
function scalarBits(t: CtfType): number | undefined {
  if (t.kind === "int") return t.size;
  if (t.kind === "enum") return t.container.size;
  if (t.kind === "float") return t.expDig + t.mantDig;
  return undefined;
}

function minBits(t: CtfType): number {
  switch (t.kind) {
    case "int":
    case "enum":
    case "float":
      return scalarBits(t)!;
    case "string":
      return 8;
    case "struct":
      return t.fields.reduce((s, f) => s + minBits(f.type), 0);
    case "variant":
      return t.options.length ? Math.min(...t.options.map((o) => minBits(o.type))) : 0;
    case "array":
      return t.length * minBits(t.elem);
    case "sequence":
      return 0;
  }
}

function fixedBits(t: CtfType): number | undefined {
  switch (t.kind) {
    case "int":
    case "enum":
    case "float":
      return scalarBits(t);
    case "array": {
      const e = fixedBits(t.elem);
      return e !== undefined && e % Math.max(alignOf(t.elem), 1) === 0 ? e * t.length : undefined;
    }
    default:
      return undefined;
  }
}

let semanticAt: { line?: number; column?: number } = {};

function semantic(msg: string): CtfError {
  const w = semanticAt;
  return new CtfError("metadata-semantic", msg, { ...(w.line !== undefined ? { line: w.line } : {}), ...(w.column !== undefined ? { column: w.column } : {}) });
}

const PRELUDE = `const u8 = S.u8, dv = S.dv, o = S.off, end = S.end;\nlet pos = S.pos;`;

type Factory = (R: typeof RT, K: ClockBase, empty: typeof EMPTY) => unknown;

/**
 * Compiled decoder sources of every trace this thread has opened, by source text. A trace
 * binds its own clock base (K) by calling the factory, and every decoder it returns comes from
 * the one function literal inside it: V8 shares that literal's feedback and optimized code
 * between all of them. So the 10th snapshot of a session (same metadata, same sources) decodes
 * with code already hot from the first, instead of compiling and warming up its own
 * (server/archives reports; ctf/README.md "Speed"). Bounded: a thread that opened traces of
 * thousands of layouts starts afresh.
 */
const factories = new Map<string, Factory>();
const MAX_FACTORIES = 20_000;
let factoriesCompiled = 0;

/** Decoder sources compiled by this thread so far (tests: a second trace of the same metadata adds none). */
export function compiledDecoderSources(): number {
  return factoriesCompiled;
}

function instantiate<T>(src: string, K: ClockBase, what: string): T {
  let f = factories.get(src);
  if (f === undefined) {
    try {
      f = new Function("R", "K", "EMPTY", src) as Factory;
    } catch (e) {
      throw new CtfError("metadata-semantic", `Cannot compile decoder${what} (${(e as Error).message})`);
    }
    if (factories.size >= MAX_FACTORIES) factories.clear();
    factories.set(src, f);
    factoriesCompiled++;
  }
  return f(RT, K, EMPTY) as T;
}

function build<T>(body: string, name: string, K: ClockBase): T {
  const src = `"use strict";\nreturn function ${name}(S${name === "decodeEvent" ? ", rec" : ""}) {\n${PRELUDE}\n${body}\n};`;
  return instantiate<T>(src, K, "");
}

/** A decoder for a packet header or packet context struct: returns the decoded object. */
export function compileScopeStruct(t: StructType, scope: "ph" | "pc", external: { ph?: StructType }, K: ClockBase): DecodeStruct {
  const g = new Gen(false, external.ph ? { ph: { expr: "S.ph", type: external.ph } } : {}, true);
  const fields = g.emitFields(t, scope);
  g.line(`S.pos = pos;`);
  g.line(`return ${objectLiteral(fields)};`);
  return build<DecodeStruct>(g.source(), "decodeScope", K);
}

/** The event header decoder: sets S.eid and advances S.clk; builds no object. */
export function compileEventHeader(t: StructType, ext: { ph?: StructType; pc?: StructType }, K: ClockBase): DecodeHeader {
  const g = new Gen(true, externals(ext), false);
  g.emitFields(t, "eh");
  g.line(`S.pos = pos;`);
  return build<DecodeHeader>(g.source(), "decodeHeader", K);
}

function externals(ext: { ph?: StructType; pc?: StructType }): Partial<Record<ScopeName, { expr: string; type: StructType }>> {
  const e: Partial<Record<ScopeName, { expr: string; type: StructType }>> = {};
  if (ext.ph) e.ph = { expr: "S.ph", type: ext.ph };
  if (ext.pc) e.pc = { expr: "S.pc", type: ext.pc };
  return e;
}

/**
 * Generated decoders of one trace, by source text. Event classes with the same layout and
 * field names (a kernel trace's `syscall_exit_*` mostly differ only by name) share one
 * function: fewer functions for V8 to warm up, so each turns hot sooner (tc-many-threads
 * uses 181 classes but 105 distinct decoders, as measured by server/ctf/decode/decoder-cache.test.ts).
 */
export type DecoderCache = Map<string, DecodeEvent>;

function buildEventDecoder(name: string, body: string, K: ClockBase, cache: DecoderCache | undefined, what: string): DecodeEvent {
  const src = `"use strict";\nreturn function ${name}(S, rec) {\n${PRELUDE}\n${body}\n};`;
  const hit = cache?.get(src);
  if (hit) return hit;
  const fn = instantiate<DecodeEvent>(src, K, ` for event '${what}'`);
  cache?.set(src, fn);
  return fn;
}

/**
 * The decode function of an event class (shared with every class of the same layout, through
 * `cache`): stream event context, event context (merged into `rec.context`) and payload
 * (`rec.payload`), each a fresh object of a stable shape.
 */
export function compileEvent(
  ev: EventClass,
  streamCtx: StructType | undefined,
  ext: { ph?: StructType; pc?: StructType },
  K: ClockBase,
  cache?: DecoderCache,
): DecodeEvent {
  const g = new Gen(false, externals(ext), false);
  const ctx: [string, string][] = [];
  if (streamCtx) ctx.push(...g.emitFields(streamCtx, "sec"));
  if (ev.context) ctx.push(...g.emitFields(ev.context, "ec"));
  const payload = ev.fields ? g.emitFields(ev.fields, "payload") : [];
  g.line(`S.pos = pos;`);
  g.line(`rec.context = ${ctx.length ? objectLiteral(ctx) : "EMPTY"};`);
  g.line(`rec.payload = ${payload.length ? objectLiteral(payload) : "EMPTY"};`);
  return buildEventDecoder("decodeEvent", g.source(), K, cache, ev.name);
}

/**
 * A decoder for an event class the consumer does not read: it moves past the stream event
 * context, event context and payload (reading only what sizes depend on: sequence lengths,
 * variant tags, string ends) and leaves `rec.context` and `rec.payload` empty.
 */
export function compileSkipEvent(
  ev: EventClass,
  streamCtx: StructType | undefined,
  ext: { ph?: StructType; pc?: StructType },
  K: ClockBase,
  cache?: DecoderCache,
): DecodeEvent {
  const g = new Gen(false, externals(ext), false, true);
  if (streamCtx) g.emitFields(streamCtx, "sec");
  if (ev.context) g.emitFields(ev.context, "ec");
  if (ev.fields) g.emitFields(ev.fields, "payload");
  g.line(`S.pos = pos;`);
  g.line(`rec.context = EMPTY;`);
  g.line(`rec.payload = EMPTY;`);
  return buildEventDecoder("skipEvent", g.source(), K, cache, ev.name);
}

/** For debugging and tests: the generated source of an event class decoder. */
export function eventDecoderSource(ev: EventClass, streamCtx: StructType | undefined): string {
  const g = new Gen(false, {}, false);
  if (streamCtx) g.emitFields(streamCtx, "sec");
  if (ev.context) g.emitFields(ev.context, "ec");
  if (ev.fields) g.emitFields(ev.fields, "payload");
  return g.source();
}
