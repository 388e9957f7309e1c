/**
 * Latency sources: what "the latency" of a session is, defined once and read the same way by
 * the live recorder, the stored-trace ingest, the spike detector and the Timeline.
 *
 * - `field`: an event carrying its own duration (`tracedeck_demo:request_end.latency_ns`), the
 *   period analyses' `--duration-field`;
 * - `period`: a begin/end pair matched by key, in the period language of server/analysis/periods
 *   (`req:$evt.$name == "a:begin" : $evt.$name == "a:end" && $evt.id == $begin.$evt.id`);
 * - `kernel`: system call (entry → exit per thread) or I/O request latency, optionally of one
 *   syscall name, from the kernel state machine of server/analysis/state.
 *
 * `compileSource` turns one into an extractor fed the analyses' event shape (AnalysisEvent:
 * relative ns timestamps); live events convert with `wireToEvent`.
 */
import { z } from "zod";
import type { AnalysisEvent } from "../analysis/event";
import { AnalysisError } from "../analysis/errors";
import { PeriodDefinitions, PeriodEngine, type EnumLabels, type Period } from "../analysis/periods/engine";
import { KernelState, type TracerVersion } from "../analysis/state/automaton";
import type { WireEvent } from "../live/wire";
import { relNs, type EpochNs, type RelNs } from "../time";

/** Event and field names as LTTng spells them (provider:event, C identifiers). */
const eventName = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9_:.\-*]+$/, "an event name: letters, digits, _ : . -");
const fieldName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a field name: a C identifier");

export const durationUnitSchema = z.enum(["ns", "us", "ms"]);
export type DurationUnit = z.infer<typeof durationUnitSchema>;

/** A period definition must be one root period whose end pairs with its begin by key. */
function periodDefinitionProblem(def: string): string | null {
  let reg: PeriodDefinitions;
  try {
    reg = PeriodDefinitions.fromArgs([def]);
  } catch (e) {
    if (e instanceof AnalysisError) return e.message;
    throw e;
  }
  const d = reg.roots[0];
  if (d === undefined || reg.nested) return "one period, without a parent";
  if (d.pairing === null) return "the end expression must match the begin by key, e.g. `$evt.id == $begin.$evt.id`";
  return null;
}

export const latencySourceSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("field"), event: eventName, field: fieldName, unit: durationUnitSchema }),
  z.strictObject({
    kind: z.literal("period"),
    definition: z
      .string()
      .min(1)
      .max(2048)
      .superRefine((def, ctx) => {
        const problem = periodDefinitionProblem(def);
        if (problem !== null) ctx.addIssue({ code: "custom", message: `period definition: ${problem}` });
      }),
  }),
  z.strictObject({ kind: z.literal("kernel"), what: z.enum(["syscall", "io"]), name: fieldName.optional() }),
]);
export type LatencySource = z.infer<typeof latencySourceSchema>;

/** One latency: when it ended (same origin as the events) and how long it took. */
export interface LatencyValue {
  tsNs: RelNs;
  valueNs: number;
}

export interface Extractor {
  /**
   * Feeds one event (in time order). Returns the latency it completes, if any; when it
   * completes several (periods of one key ended together), `next()` returns the others.
   */
  push(ev: AnalysisEvent): LatencyValue | undefined;
  next(): LatencyValue | undefined;
  /** Event names the extractor reads, or null when it may read any (kernel sources). */
  readonly eventNames: ReadonlySet<string> | null;
  /** Open periods dropped because more than `maxOpen` were open (lost end events). */
  readonly dropped: number;
}

export interface CompileOptions {
  /** Open periods kept at most (period sources); beyond, all are dropped and counted. */
  maxOpen?: number;
  /** A stored trace's enum labels (TraceSet.enumLabels): period expressions then compare labels, as the period analyses do. */
  enumLabels?: EnumLabels;
  /** The kernel trace's tracer version (kernel sources; TraceInfo.tracerVersion). */
  tracerVersion?: TracerVersion | null;
}

export const DEFAULT_MAX_OPEN = 100_000;

const UNIT_NS: Record<DurationUnit, number> = { ns: 1, us: 1e3, ms: 1e6 };

/** A live event in the analyses' shape, its time made relative to `originNs`. */
export function wireToEvent(ev: WireEvent, originNs: EpochNs): AnalysisEvent {
  return { name: ev.name, ts: Number(ev.tsNs - originNs), cpu: ev.cpu, payload: ev.payload, context: ev.context };
}

/** A short human label ("request_end.latency_ns", "syscall read", "period req"). */
export function describeSource(s: LatencySource): string {
  switch (s.kind) {
    case "field":
      return `${s.event}.${s.field}`;
    case "period": {
      const colon = s.definition.indexOf(":");
      const name = colon > 0 ? s.definition.slice(0, colon).trim() : "";
      return /^[A-Za-z_][\w]*$/.test(name) ? `period ${name}` : "period";
    }
    case "kernel":
      return s.what === "syscall" ? `syscall ${s.name ?? "*"}` : `I/O ${s.name ?? "*"}`;
  }
}

export function compileSource(source: LatencySource, opts: CompileOptions = {}): Extractor {
  switch (source.kind) {
    case "field":
      return new FieldExtractor(source.event, source.field, UNIT_NS[source.unit]);
    case "period":
      return new PeriodExtractor(source.definition, opts.maxOpen ?? DEFAULT_MAX_OPEN, opts.enumLabels ?? null);
    case "kernel":
      return new KernelExtractor(source.what, source.name ?? null, opts.tracerVersion ?? null);
  }
}

class FieldExtractor implements Extractor {
  readonly eventNames: ReadonlySet<string>;
  readonly dropped = 0;
  constructor(
    private readonly event: string,
    private readonly field: string,
    private readonly scale: number,
  ) {
    this.eventNames = new Set([event]);
  }
  push(ev: AnalysisEvent): LatencyValue | undefined {
    if (ev.name !== this.event) return undefined;
    const v = ev.payload[this.field];
    // The same reading as the period analyses' --duration-field: integers (or doubles) only.
    const d = typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : undefined;
    if (d === undefined || !Number.isFinite(d)) return undefined;
    return { tsNs: relNs(ev.ts), valueNs: d * this.scale };
  }
  next(): undefined {
    return undefined;
  }
}

/** Values completed by one event beyond the first, returned by next(). */
class Pending {
  private items: LatencyValue[] = [];
  private head = 0;
  add(v: LatencyValue): void {
    this.items.push(v);
  }
  first(): LatencyValue | undefined {
    return this.next();
  }
  next(): LatencyValue | undefined {
    if (this.head >= this.items.length) {
      if (this.head > 0) {
        this.items = [];
        this.head = 0;
      }
      return undefined;
    }
    return this.items[this.head++];
  }
  clear(): void {
    this.items.length = 0;
    this.head = 0;
  }
}

class PeriodExtractor implements Extractor {
  readonly eventNames: ReadonlySet<string> | null;
  dropped = 0;
  private open = 0;
  private readonly pending = new Pending();
  private readonly engine: PeriodEngine;
  constructor(
    definition: string,
    private readonly maxOpen: number,
    enumLabels: EnumLabels | null,
  ) {
    const registry = PeriodDefinitions.fromArgs([definition]);
    registry.enumLabels = enumLabels;
    this.eventNames = registry.eventNames;
    this.engine = new PeriodEngine(registry, {
      begin: () => {
        this.open++;
      },
      end: (p: Period) => {
        this.open--;
        if (p.completed && p.endEvt !== null) this.pending.add({ tsNs: relNs(p.endEvt.ts), valueNs: p.endEvt.ts - p.beginEvt.ts });
        else this.dropped++;
      },
    });
  }
  push(ev: AnalysisEvent): LatencyValue | undefined {
    this.pending.clear();
    this.engine.processEvent(ev);
    if (this.open > this.maxOpen) {
      // Ends lost (discarded events, a reconnect): forget the backlog rather than grow.
      this.engine.removeAllPeriods();
      this.open = 0;
    }
    return this.pending.first();
  }
  next(): LatencyValue | undefined {
    return this.pending.next();
  }
}

class KernelExtractor implements Extractor {
  readonly eventNames = null;
  readonly dropped = 0;
  private readonly state = new KernelState();
  private readonly pending = new Pending();
  constructor(what: "syscall" | "io", name: string | null, tracerVersion: TracerVersion | null) {
    const pending = this.pending;
    this.state.tracerVersion = tracerVersion;
    if (what === "syscall") {
      this.state.tracksFds = false;
      this.state.listeners.push({
        syscallExit(proc, ev) {
          const sc = proc.currentSyscall;
          if (sc === null || (name !== null && sc.name !== name)) return;
          pending.add({ tsNs: relNs(ev.ts), valueNs: sc.duration });
        },
      });
    } else {
      this.state.listeners.push({
        ioRqExit(rq) {
          if (name !== null && rq.syscallName !== name) return;
          if (rq.endTs === null) return;
          pending.add({ tsNs: relNs(rq.endTs), valueNs: rq.duration });
        },
      });
    }
  }
  push(ev: AnalysisEvent): LatencyValue | undefined {
    this.pending.clear();
    this.state.processEvent(ev);
    return this.pending.first();
  }
  next(): LatencyValue | undefined {
    return this.pending.next();
  }
}
