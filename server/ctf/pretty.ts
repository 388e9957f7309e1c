/**
 * babeltrace2's default text format (`sink.text.pretty` with default options), byte for
 * byte except where babeltrace2 2.0.4 prints a wrong value (see PrettyOptions.compat): `[time] (+delta) host name: { packet ctx }, { stream event ctx }, { event ctx },
 * { payload }`. Only fields babeltrace2 keeps in its trace IR are shown: the packet header,
 * the event header, the packet context fields it interprets (timestamps, sizes, counters)
 * and clock-mapped integers are not.
 */
import { epochNs, formatDelta, formatDeltaParts, formatTimeOfDay, formatTimeOfDayParts, toEpochNs, type EpochNs } from "../time";
import type { CompiledEvent } from "./decode/packet";
import type { ItemSource } from "./reader/trace-set";
import type { CtfType, EnumType, IntType, StructType } from "./tsdl/model";
import type { DiscardedRecord, EventRecord, LostPacketsRecord } from "./types";

const PACKET_CONTEXT_SPECIAL = new Set(["timestamp_begin", "timestamp_end", "events_discarded", "packet_seq_num", "packet_size", "content_size"]);

type Values = Record<string, unknown>;

interface LinePlan {
  head: string;
  scopes: { t: StructType; from: "pc" | "ctx" | "payload"; path: string }[];
  keyPrefix: string;
}

interface Scopes {
  pc: Values;
  ctx: Values;
  payload: Values;
}

/**
 * The reference tools' behaviours Tracedeck can reproduce on request, for users who diff its
 * output against them. Never the default: the default is the trace's true value.
 */
export const PRINT_COMPAT_MODES = ["babeltrace2-2.0.4"] as const;
export type PrintCompat = (typeof PRINT_COMPAT_MODES)[number];

export interface PrettyOptions {
  /**
   * `"babeltrace2-2.0.4"`: reproduce babeltrace2 2.0.4's output where it is wrong, for
   * users who diff against it. Its empty-string bug (fixed upstream, review.lttng.org
   * 4528): event objects are pooled per event class and clearing a string field only sets
   * its length to 0, so the printer (which reads up to the NUL) shows the last non-empty
   * value written into that pooled object instead of `""`. Which object an event gets is
   * given by `eventObject` (tracedeck print simulates babeltrace2's graph for it); without
   * it, one object per event class. It also prints a negative time difference between
   * consecutive lines (a stream going back in time) as its uint64 wrap,
   * `(+18446744073.709551116)`.
   * Absent: strings print as they are in the trace (`""` when empty), and a negative
   * difference as itself, `(-0.000000500)`.
   */
  compat?: PrintCompat;
  /**
   * With compat: the id of the pooled event object babeltrace2 decodes the current event
   * into (compat/bt2-event-pool.ts), called once per event in time order. Absent: one
   * object per event class, which matches babeltrace2 only where its message batching
   * never keeps two objects of a class in use (the Timeline, which starts mid-trace).
   */
  eventObject?: (src: ItemSource) => number;
}

export class PrettyPrinter {
  /** Previous event time as whole seconds and ns since the epoch. */
  private prevSec = NaN;
  private prevNs = 0;
  private readonly originSec: number;
  private readonly originRem: number;
  /** Per event class: the line prefix and the scopes to print (computed once). */
  private readonly plans = new WeakMap<object, LinePlan>();
  private readonly inIrCache = new WeakMap<object, boolean>();
  private readonly lastStrings = new Map<string, string>();
  /** babeltrace2 2.0.4's stale empty strings and wrapped negative deltas (PrettyOptions.compat). */
  private readonly asBabeltrace204: boolean;
  private keyPrefix = "";
  /** Key prefix of the packet context's fields (a packet's own, per stream). */
  private packetKeyPrefix = "";
  private readonly eventObject: ((src: ItemSource) => number) | undefined;

  constructor(
    private readonly originNs: EpochNs,
    opts: PrettyOptions = {},
  ) {
    this.asBabeltrace204 = opts.compat === "babeltrace2-2.0.4";
    this.eventObject = this.asBabeltrace204 ? opts.eventObject : undefined;
    this.originSec = Number(originNs / 1000000000n);
    this.originRem = Number(originNs % 1000000000n);
  }

  private plan(cls: CompiledEvent | undefined, src: ItemSource): LinePlan {
    const key = cls ?? src;
    let p = this.plans.get(key);
    if (p) return p;
    // babeltrace2's default header fields: trace:hostname, trace:procname, trace:vpid (the
    // last two exist in per-PID UST traces), joined by ':'.
    const env = src.trace.model.env;
    let dom = "";
    if (env.hostname !== undefined) dom = String(env.hostname);
    if (env.procname !== undefined) dom += (dom ? ":" : "") + String(env.procname);
    if (env.vpid !== undefined) dom += (dom ? ":" : "") + `(${String(env.vpid)})`;
    const head = env.hostname !== undefined || env.procname !== undefined || env.vpid !== undefined ? `${dom} ` : "";
    const streamCls = src.packet ? src.trace.streams.get(src.packet.streamId)?.cls : undefined;
    const scopes: LinePlan["scopes"] = [];
    const pc = streamCls?.packetContext;
    if (pc) {
      const fields = pc.fields.filter(
        (f) => !(PACKET_CONTEXT_SPECIAL.has(f.rawName) && (f.type.kind === "int" || f.type.kind === "enum")) && this.inIr(f.type),
      );
      if (fields.length > 0 || pc.fields.length === 0) scopes.push({ t: { ...pc, fields }, from: "pc", path: "c." });
    }
    const sec = streamCls?.eventContext;
    if (sec && this.inIr(sec)) scopes.push({ t: sec, from: "ctx", path: "s." });
    const ec = cls?.cls.context;
    if (ec && this.inIr(ec)) scopes.push({ t: ec, from: "ctx", path: "e." });
    const pl = cls?.cls.fields;
    if (pl && this.inIr(pl)) scopes.push({ t: pl, from: "payload", path: "p." });
    p = { head: head + `${cls?.name ?? "<unknown>"}: `, scopes, keyPrefix: `${src.traceIndex}/${src.packet?.streamId ?? 0}/${cls?.cls.id ?? -1}/` };
    this.plans.set(key, p);
    return p;
  }

  /** One event line (without the newline). */
  event(rec: EventRecord, src: ItemSource): string {
    // Times as (seconds, ns) numbers; exact via the stream clock when rec.ts is not (far
    // from the origin, or a clock that is not in ns).
    const ts = rec.ts;
    let sec: number;
    let ns: number;
    if (Number.isInteger(ts) && ts > -4e15 && ts < 4e15) {
      const t = this.originRem + ts;
      const q = Math.floor(t / 1e9);
      sec = this.originSec + q;
      ns = t - q * 1e9;
    } else {
      const abs = src.epochNs();
      sec = Number(abs / 1000000000n);
      ns = Number(abs % 1000000000n);
    }
    let s: string;
    if (sec < 0 || ns < 0) s = `[${formatTimeOfDay(epochNs(BigInt(sec) * 1000000000n + BigInt(ns)))}] `;
    else s = `[${formatTimeOfDayParts(sec, ns)}] `;
    if (this.prevSec !== this.prevSec) s += "(+?.?????????) ";
    else {
      let dsec = sec - this.prevSec;
      let dns = ns - this.prevNs;
      if (dns < 0) {
        dsec -= 1;
        dns += 1e9;
      }
      if (dsec >= 0) s += `(${formatDeltaParts(dsec, dns)}) `;
      else {
        // Time went back (a non-monotonic stream, which babeltrace2's muxer refuses to read
        // past): the true, negative difference; babeltrace2 2.0.4 would print its uint64 wrap.
        const d = BigInt(dsec) * 1000000000n + BigInt(dns);
        s += this.asBabeltrace204 ? `(${formatDelta(d)}) ` : `(${formatDelta(-d).replace("+", "-")}) `;
      }
    }
    this.prevSec = sec;
    this.prevNs = ns;
    const plan = this.plan(src.eventClass(), src);
    s += plan.head;
    if (this.asBabeltrace204) {
      this.packetKeyPrefix = `${src.streamIndex}/`;
      this.keyPrefix = this.eventObject === undefined ? plan.keyPrefix : `${plan.keyPrefix}#${this.eventObject(src)}/`;
    }
    const scopes: Scopes = { pc: (src.packet?.context ?? {}) as Values, ctx: rec.context as Values, payload: rec.payload as Values };
    for (let i = 0; i < plan.scopes.length; i++) {
      const sc = plan.scopes[i]!;
      const v = scopes[sc.from];
      if (i) s += ", ";
      s += this.struct(sc.t, v, scopes, [v], sc.path);
    }
    return s;
  }

  /** babeltrace2's stderr warning for discarded events or lost packets. */
  warning(item: DiscardedRecord | LostPacketsRecord, src: ItemSource, traceName: string): string {
    const what = item.kind === "discarded" ? "event" : "packet";
    const verb = item.kind === "discarded" ? "Tracer discarded" : "Tracer lost";
    const b = formatTimeOfDay(toEpochNs(this.originNs, item.beginTs));
    const e = formatTimeOfDay(toEpochNs(this.originNs, item.endTs));
    const uuid = src.trace.model.uuid;
    return (
      `WARNING: ${verb} ${item.count} ${what}${item.count === 1 ? "" : "s"} between [${b}] and [${e}] in trace "${traceName}" ` +
      `${uuid ? `(UUID: ${uuid}) ` : "(no UUID) "}within stream "${item.stream}" (stream class ID: ${src.streamClassId}, stream ID: ${src.streamId}).`
    );
  }

  private inIr(t: CtfType): boolean {
    const c = this.inIrCache.get(t);
    if (c !== undefined) return c;
    let r: boolean;
    switch (t.kind) {
      case "int":
        r = t.clock === undefined;
        break;
      case "enum":
        r = t.container.clock === undefined;
        break;
      case "struct":
        r = t.fields.length === 0 || t.fields.some((f) => this.inIr(f.type));
        break;
      case "variant":
        r = t.options.some((f) => this.inIr(f.type));
        break;
      case "array":
      case "sequence":
        r = this.inIr(t.elem);
        break;
      default:
        r = true;
    }
    this.inIrCache.set(t, r);
    return r;
  }

  private struct(t: StructType, v: Values, scopes: Scopes, stack: Values[], path: string | undefined): string {
    let s = "{";
    let n = 0;
    for (const f of t.fields) {
      if (!this.inIr(f.type)) continue;
      s += n++ ? ", " : " ";
      let fv = v[f.name];
      if (this.asBabeltrace204 && path !== undefined && f.type.kind === "string") {
        const key = (path.startsWith("c.") ? this.packetKeyPrefix : this.keyPrefix) + path + f.name;
        if (fv === "") fv = this.lastStrings.get(key) ?? "";
        this.lastStrings.set(key, fv as string);
      }
      s += `${f.name} = ${this.value(f.type, fv, scopes, stack, t, v, path === undefined ? undefined : path + f.name + ".")}`;
    }
    return s + " }";
  }

  private value(t: CtfType, v: unknown, scopes: Scopes, stack: Values[], parent: StructType, parentV: Values, path?: string): string {
    switch (t.kind) {
      case "int":
        return formatInt(t, v as number | bigint);
      case "enum":
        return formatEnum(t, v as number | bigint);
      case "float":
        return formatG(v as number);
      case "string":
        return escapeString(v as string);
      case "struct":
        return this.struct(t, (v ?? {}) as Values, scopes, [...stack, (v ?? {}) as Values], path);
      case "array":
      case "sequence": {
        if (typeof v === "string") return escapeString(v);
        const arr = (v ?? []) as unknown[];
        let s = "[";
        for (let i = 0; i < arr.length; i++) s += `${i ? ", " : " "}[${i}] = ${this.value(t.elem, arr[i], scopes, stack, parent, parentV)}`;
        return s + " ]";
      }
      case "variant": {
        const opt = this.selectedOption(t, scopes, stack, parent, parentV);
        if (!opt) return "{ <unknown> }";
        return `{ ${this.value(opt.type, v, scopes, stack, parent, parentV)} }`;
      }
    }
  }

  private selectedOption(t: Extract<CtfType, { kind: "variant" }>, scopes: Scopes, stack: Values[], parent: StructType, parentV: Values) {
    const parts = t.tag.split(".");
    let tagType: CtfType | undefined;
    let tagValue: unknown;
    const abs: [string, Values, number][] = [
      ["stream.packet.context", scopes.pc, 3],
      ["stream.event.context", scopes.ctx, 3],
      ["event.context", scopes.ctx, 2],
      ["event.fields", scopes.payload, 2],
    ];
    for (const [prefix, vals, len] of abs) {
      if (t.tag.startsWith(prefix + ".")) {
        tagValue = walkValue(vals, parts.slice(len));
        break;
      }
    }
    if (tagValue === undefined) {
      const f = parent.fields.find((x) => x.rawName === parts[0]);
      if (f) {
        tagType = f.type;
        tagValue = walkValue(
          parentV,
          [f.name, ...parts.slice(1)].map((p, i) => (i === 0 ? p : p.replace(/^_/, ""))),
        );
      } else {
        for (let i = stack.length - 1; i >= 0 && tagValue === undefined; i--)
          tagValue = walkValue(
            stack[i]!,
            parts.map((p) => p.replace(/^_/, "")),
          );
      }
    }
    void tagType;
    if (tagValue === undefined) return undefined;
    const num = Number(tagValue);
    // The tag is an enum: pick the option named like the label whose range holds the value.
    const en = findEnum(parent, parts[0]!);
    for (const opt of t.options) {
      const maps = en ? en.mappings.filter((m) => m.label === opt.rawName || m.label === opt.name) : [];
      if (maps.some((m) => num >= Number(m.start) && num <= Number(m.end))) return opt;
    }
    return undefined;
  }
}

function findEnum(parent: StructType, raw: string): EnumType | undefined {
  const f = parent.fields.find((x) => x.rawName === raw);
  return f && f.type.kind === "enum" ? f.type : undefined;
}

function walkValue(v: Values, parts: string[]): unknown {
  let cur: unknown = v;
  for (const p of parts) {
    if (cur === null || typeof cur !== "object") return undefined;
    const o = cur as Values;
    cur = p in o ? o[p] : o[p.replace(/^_/, "")];
  }
  return cur;
}

/** An integer as babeltrace2 prints it in its preferred display base. */
export function formatInt(t: IntType, v: number | bigint): string {
  if (typeof v === "number") {
    // Number fast paths (no BigInt): most values.
    if (t.base === 10) return String(v);
    if (t.base === 16) {
      if (v >= 0) return "0x" + v.toString(16).toUpperCase();
      const len = (t.size + 3) & ~3;
      if (len <= 48) return "0x" + (v + 2 ** len).toString(16).toUpperCase();
    }
  }
  switch (t.base) {
    case 16: {
      let u = BigInt(v);
      if (u < 0n) u = BigInt.asUintN(t.size < 64 ? (t.size + 3) & ~3 : 64, u);
      return "0x" + u.toString(16).toUpperCase();
    }
    case 8: {
      let u = BigInt(v);
      if (u < 0n) u = BigInt.asUintN(t.size < 64 ? Math.ceil(t.size / 3) * 3 : 64, u);
      return "0" + u.toString(8);
    }
    case 2: {
      const u = BigInt.asUintN(t.size, BigInt(v));
      return "0b" + u.toString(2).padStart(t.size, "0");
    }
    default:
      return typeof v === "number" ? String(v) : v.toString();
  }
}

const enumLabelCache = new WeakMap<EnumType, Map<number, string>>();

export function formatEnum(t: EnumType, v: number | bigint): string {
  // Label lists per value are cached: enum fields take few distinct values.
  let cache = typeof v === "number" ? enumLabelCache.get(t) : undefined;
  if (typeof v === "number") {
    const hit = cache?.get(v);
    if (hit !== undefined) return hit;
  }
  const big = BigInt(v);
  const labels: string[] = [];
  for (const m of t.mappings) if (big >= m.start && big <= m.end && !labels.includes(m.label)) labels.push(m.label);
  const l = labels.length ? labels.map(escapeString).join(", ") : "<unknown>";
  const out = `( ${l} : container = ${formatInt(t.container, v)} )`;
  if (typeof v === "number") {
    if (!cache) enumLabelCache.set(t, (cache = new Map()));
    if (cache.size < 4096) cache.set(v, out);
  }
  return out;
}

const ESC: Record<number, string> = { 0: "\\0", 7: "\\a", 8: "\\b", 27: "\\e", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v" };

/** A string quoted and escaped as babeltrace2's print_escape_string does. */
// Characters escapeString changes: controls, DEL, backslash, quotes and '?'.
const NEEDS_ESCAPE = /[\x00-\x1f\x7f\\'"?]/;

export function escapeString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92) out += "\\\\";
    else if (c === 39) out += "\\'";
    else if (c === 34) out += '\\"';
    else if (c === 63) out += "\\?";
    else if (c < 32 || c === 127) out += ESC[c] ?? `\\x${c.toString(16).padStart(2, "0")}`;
    else out += s[i];
  }
  return out + '"';
}

/** C printf("%g"). */
export function formatG(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v < 0 ? "-inf" : "inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const P = 6;
  const exp = Math.floor(Math.log10(Math.abs(Number(v.toPrecision(P)))));
  if (exp < -4 || exp >= P) {
    const [mantissa, e] = v.toExponential(P - 1).split("e") as [string, string];
    let m = mantissa;
    if (m.includes(".")) m = m.replace(/0+$/, "").replace(/\.$/, "");
    const en = Number(e);
    return `${m}e${en < 0 ? "-" : "+"}${String(Math.abs(en)).padStart(2, "0")}`;
  }
  let f = v.toFixed(Math.max(0, P - 1 - exp));
  if (f.includes(".")) f = f.replace(/0+$/, "").replace(/\.$/, "");
  return f;
}
