/**
 * The trace model built from TSDL metadata: field types with every typealias resolved,
 * and the trace / clock / stream / event declarations. The decoder code generator and the
 * pretty printer read only this model, never the TSDL text.
 */

export type ByteOrder = "le" | "be";

export interface IntType {
  kind: "int";
  /** Size in bits (1..64). */
  size: number;
  /** Alignment in bits. */
  align: number;
  signed: boolean;
  byteOrder: ByteOrder;
  /** Preferred display base: 2, 8, 10 or 16. */
  base: number;
  /** "none", "UTF8" or "ASCII": 8-bit text arrays/sequences decode as strings. */
  encoding: string;
  /** Clock name when the integer is `map = clock.NAME.value`. */
  clock?: string;
}

export interface FloatType {
  kind: "float";
  expDig: number;
  mantDig: number;
  align: number;
  byteOrder: ByteOrder;
}

export interface EnumMapping {
  label: string;
  start: bigint;
  end: bigint;
}

export interface EnumType {
  kind: "enum";
  container: IntType;
  mappings: EnumMapping[];
}

export interface StringType {
  kind: "string";
  encoding: string;
}

export interface Field {
  /** Name as written in the metadata, used to resolve sequence lengths and variant tags. */
  rawName: string;
  /** Display name: one leading underscore removed (CTF identifier escaping). */
  name: string;
  type: CtfType;
}

export interface StructType {
  kind: "struct";
  fields: Field[];
  /** Minimum alignment from `align(N)`, in bits (1 when absent). */
  minAlign: number;
}

export interface VariantType {
  kind: "variant";
  /** Tag path as written (`id`, `stream.event.header.id`…). */
  tag: string;
  options: Field[];
  /** Where it is declared in the metadata (for resolution errors). */
  line?: number;
  column?: number;
}

export interface ArrayType {
  kind: "array";
  length: number;
  elem: CtfType;
}

export interface SequenceType {
  kind: "sequence";
  /** Length field path as written. */
  lengthRef: string;
  elem: CtfType;
  /** Where the length path is written in the metadata (for resolution errors). */
  line?: number;
  column?: number;
}

export type CtfType = IntType | FloatType | EnumType | StringType | StructType | VariantType | ArrayType | SequenceType;

export interface ClockModel {
  name: string;
  /** Cycles per second. */
  freq: bigint;
  offsetSeconds: bigint;
  /** Offset in cycles, added to offsetSeconds. */
  offsetCycles: bigint;
  absolute: boolean;
  uuid?: string;
  description?: string;
  precision?: bigint;
}

export interface EventClass {
  id: number;
  name: string;
  streamId: number;
  loglevel?: number;
  modelEmfUri?: string;
  context?: StructType;
  fields?: StructType;
}

export interface StreamClass {
  id: number;
  packetContext?: StructType;
  eventHeader?: StructType;
  eventContext?: StructType;
  /** Event classes by id. */
  events: Map<number, EventClass>;
}

export interface CallsiteModel {
  name: string;
  func: string;
  file: string;
  line: bigint;
  ip?: bigint;
}

export interface TraceModel {
  major: number;
  minor: number;
  uuid?: string;
  byteOrder: ByteOrder;
  packetHeader?: StructType;
  env: Record<string, string | number | bigint>;
  clocks: Map<string, ClockModel>;
  streams: Map<number, StreamClass>;
  callsites: CallsiteModel[];
}

/** Alignment of a type in bits (CTF 1.8 §4.3: structs take their largest member alignment). */
export function alignOf(t: CtfType): number {
  switch (t.kind) {
    case "int":
    case "float":
      return t.align;
    case "enum":
      return t.container.align;
    case "string":
      return 8;
    case "struct": {
      let a = t.minAlign;
      for (const f of t.fields) a = Math.max(a, alignOf(f.type));
      return a;
    }
    case "variant":
      // A variant has no alignment of its own: the selected option aligns itself.
      return 1;
    case "array":
    case "sequence":
      return alignOf(t.elem);
  }
}

/** True for `integer { size = 8; encoding = UTF8|ASCII }` elements: the array is a string. */
export function isTextElem(t: CtfType): boolean {
  const i = t.kind === "int" ? t : undefined;
  return i !== undefined && i.size === 8 && i.align === 8 && i.encoding !== "none";
}

/** Removes the one leading underscore CTF 1.8 uses to escape identifiers. */
export function displayName(raw: string): string {
  return raw.startsWith("_") ? raw.slice(1) : raw;
}
