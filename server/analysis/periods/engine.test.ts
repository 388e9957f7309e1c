/**
 * The period engine's pairing by key (many open periods) against its plain scan of
 * every open period: same periods, same order, same completions.
 */
import { describe, expect, it } from "vitest";
import type { AnalysisEvent } from "../event";
import { compileExpr, PAIRING_THRESHOLD, pairingKey, PeriodEngine, PeriodDefinitions, type Period } from "./engine";
import { parseExpression } from "./parser";

function ev(name: string, ts: number, payload: Record<string, unknown>): AnalysisEvent {
  return { name, ts, cpu: 0, payload: payload as AnalysisEvent["payload"], context: {} };
}

/** Runs the events through an engine and logs its callbacks. */
function run(periods: string[], events: AnalysisEvent[]): { log: string[]; byKey: boolean } {
  const log: string[] = [];
  const describe = (p: Period) => `${p.definition?.name}:${String(p.beginEvt.payload.id)}@${p.beginEvt.ts}`;
  const engine = new PeriodEngine(PeriodDefinitions.fromArgs(periods), {
    begin: (p) => log.push(`begin ${describe(p)}`),
    end: (p) => log.push(`${p.completed ? "end" : "cut"} ${describe(p)} at ${p.endEvt?.ts ?? "-"}`),
  });
  let byKey = false;
  for (const e of events) {
    engine.processEvent(e);
    byKey ||= engine.pairingByKey;
  }
  engine.removeAllPeriods();
  return { log, byKey };
}

/** Begins whose end is lost, ids repeated while open (also under two definitions), ends out of order, ids of several types. */
function lossyEvents(): AnalysisEvent[] {
  const out: AnalysisEvent[] = [];
  let ts = 0;
  const ids: unknown[] = [];
  for (let i = 0; i < 3 * PAIRING_THRESHOLD; i++) ids.push(i % 5 === 0 ? `s${i}` : i % 7 === 0 ? BigInt(i) : i);
  ids.push(2n ** 60n, 2 ** 60, Number.NaN, undefined, 1.5, 17, "s5");
  for (const id of ids) out.push(ev("b", ts++, { id, kind: typeof id === "string" ? "s" : "n" }));
  // Lose one end in three, end the others newest first; bigint/number twins end each other.
  for (let i = ids.length - 1; i >= 0; i--) if (i % 3 !== 1) out.push(ev("e", ts++, { id: ids[i], kind: typeof ids[i] === "string" ? "s" : "n" }));
  for (const id of [17, 2 ** 60, Number.NaN, undefined, "s5"]) out.push(ev("e", ts++, { id, kind: "s" }));
  return out;
}

describe("period engine pairing by key", () => {
  it("gives the same periods, in the same order, as scanning every open period", () => {
    const events = lossyEvents();
    const keyed = run(
      [
        'r:$evt.$name == "b" : $evt.$name == "e" && $evt.id == $begin.$evt.id',
        's:$evt.$name == "b" && $evt.kind == "s" : $evt.$name == "e" && $begin.$evt.id == $evt.id && $evt.kind == "s"',
      ],
      events,
    );
    // The same relation without an `==` between the two events: never indexed.
    const scanned = run(
      [
        'r:$evt.$name == "b" : $evt.$name == "e" && $evt.id <= $begin.$evt.id && $evt.id >= $begin.$evt.id',
        's:$evt.$name == "b" && $evt.kind == "s" : $evt.$name == "e" && $begin.$evt.id <= $evt.id && $begin.$evt.id >= $evt.id && $evt.kind == "s"',
      ],
      events,
    );
    expect(keyed.byKey).toBe(true);
    expect(scanned.byKey).toBe(false);
    expect(keyed.log.filter((l) => l.startsWith("end")).length).toBeGreaterThan(2 * PAIRING_THRESHOLD);
    expect(keyed.log).toEqual(scanned.log);
  });

  it("does not index nested definitions (their periods are scanned per parent)", () => {
    const events = lossyEvents();
    const nested = run(['r:$evt.$name == "b" : $evt.$name == "e" && $evt.id == $begin.$evt.id', 'c(r):$evt.$name == "x" : $evt.$name == "y"'], events);
    expect(nested.byKey).toBe(false);
  });

  it("keys two values alike exactly when `==` finds them equal", () => {
    const values: unknown[] = [0, -0, 1, 1.5, "1", 2n ** 60n, 2 ** 60, 2n ** 60n + 1n, 9007199254740993n, 5n, 5, Number.NaN, undefined, null, [1], "a"];
    const eq = compileExpr(parseExpression("$evt.v == $begin.$evt.v"));
    for (const a of values)
      for (const b of values) {
        const ka = pairingKey(a as never);
        const kb = pairingKey(b as never);
        const sameKey = ka !== undefined && kb !== undefined && new Map([[ka, 1]]).has(kb);
        const equal = eq({ evt: ev("e", 0, { v: a }), begin: ev("b", 0, { v: b }), parentBegin: null });
        expect([String(a), String(b), sameKey]).toEqual([String(a), String(b), equal]);
      }
  });

  it("compares a number literal with an integer field by its true value; lttng-analyses' truncation only with its compat flag", () => {
    const test = (expr: string, v: unknown, truncateLiterals = false) =>
      compileExpr(parseExpression(expr), { truncateLiterals })({ evt: ev("e", 0, { v }), begin: ev("b", 0, {}), parentBegin: null });
    // True values: 2 is not 2.7, is below 2.5, and 2^60 + 1 is above 2^60 + 0.5 whatever its type.
    expect([test("$evt.v == 2.7", 2), test("$evt.v < 2.5", 2), test("$evt.v >= 2.5", 2), test("$evt.v == 2.0", 2)]).toEqual([false, true, false, true]);
    expect([test("$evt.v > 1.5", 2n), test("$evt.v < 1.5", 2n), test("$evt.v == 2.5", 2n)]).toEqual([true, false, false]);
    // lttng-analyses 0.6.1 builds the literal with the field's type, int("2.7") == 2.
    expect([test("$evt.v == 2.7", 2, true), test("$evt.v < 2.5", 2, true), test("$evt.v >= 2.5", 2, true)]).toEqual([true, false, true]);
  });
});
