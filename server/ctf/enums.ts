/**
 * Enumeration labels as babeltrace 1 gives them to Python (lttng-analyses' `event[name]`
 * returns an enum field's label, not its integer): the reader's contract keeps enums as
 * integers, and consumers that must compare labels (period expressions) ask here.
 */
import type { CompiledEvent } from "./decode/packet";
import type { EnumType, StructType } from "./tsdl/model";

/** An enum field's value → its label (undefined when no mapping holds the value). */
export type EnumLabeler = (v: number | bigint) => string | undefined;

/**
 * babeltrace 1's `bt_ctf_get_enum_str`: the first label of the value's quark set, which
 * lists the single-value mappings equal to it (declaration order), then the ranges
 * holding it (in reverse declaration order: its range list is built by adding at the head).
 */
export function enumLabeler(t: EnumType): EnumLabeler {
  const singles = t.mappings.filter((m) => m.start === m.end);
  // babeltrace 1 swaps a range written high to low.
  const ranges = t.mappings
    .filter((m) => m.start !== m.end)
    .map((m) => (m.start <= m.end ? m : { label: m.label, start: m.end, end: m.start }))
    .reverse();
  const cache = new Map<number | bigint, string | undefined>();
  return (v) => {
    if (cache.has(v)) return cache.get(v);
    const b = BigInt(v);
    const label = (singles.find((m) => m.start === b) ?? ranges.find((m) => b >= m.start && b <= m.end))?.label;
    // Enum fields take few distinct values; stop caching if one does not.
    if (cache.size < 4096) cache.set(v, label);
    return label;
  };
}

/**
 * The labelers of an event class's top-level enum fields, by field name as the decoded
 * record names them: payload fields first, then event context, then stream event context
 * (babeltrace 1's lookup order). Null when the class has none.
 */
export function enumFieldLabelers(ev: CompiledEvent): ReadonlyMap<string, EnumLabeler> | null {
  const out = new Map<string, EnumLabeler>();
  const seen = new Set<string>();
  const add = (s: StructType | undefined) => {
    for (const f of s?.fields ?? []) {
      if (seen.has(f.name)) continue;
      seen.add(f.name);
      if (f.type.kind === "enum") out.set(f.name, enumLabeler(f.type));
    }
  };
  add(ev.cls.fields);
  add(ev.cls.context);
  add(ev.streamEventContext);
  return out.size ? out : null;
}
