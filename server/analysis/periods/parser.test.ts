import { describe, expect, it } from "vitest";
import type { AnalysisEvent } from "../event";
import { compileExpr, PeriodDefinitions, withoutRequiredName } from "./engine";
import { exprToString, parseExpression, parsePeriodCaptures, parsePeriodDef } from "./parser";

const ev = (name: string, payload: Record<string, number | string | bigint> = {}, context: Record<string, number | string> = {}): AnalysisEvent => ({
  name,
  ts: 0,
  cpu: 1,
  payload,
  context,
});

describe("period definition language (lttng-analyses' --period)", () => {
  it("parses NAME(PARENT):BEGIN:END with && binding tighter than ||, and ! on one comparison", () => {
    const d = parsePeriodDef('io(req):$evt.$name == "a" || $evt.x > 1 && !$evt.y == "z" : $evt.id == $begin.$evt.id');
    expect(d.name).toBe("io");
    expect(d.parent).toBe("req");
    expect(exprToString(d.begin)).toBe('(($evt.$name == "a") || (($evt.x > 1) && !(($evt.y == "z"))))');
    expect(exprToString(d.end)).toBe("($evt.id == $begin.$evt.id)");
  });

  it("uses the begin expression as end expression when there is none, and allows no name", () => {
    const d = parsePeriodDef(':$evt.$name == "tick"');
    expect(d.name).toBeNull();
    expect(d.end).toBe(d.begin);
  });

  it("reads dynamic scopes, $parent.$begin references, numbers with exponents, and != as not-equal", () => {
    const e = parseExpression("$evt.$ctx.vtid != $parent.$begin.$evt.$payload.tid && $evt.lat >= -1.5e3");
    expect(exprToString(e)).toBe("(!(($evt.$ctx.vtid == $parent.$begin.$evt.$payload.tid)) && ($evt.lat >= -1500))");
  });

  it("keeps '/' inside string literals (lttng-analyses cuts the argument there) but strips a parent path from the name", () => {
    const d = parsePeriodDef('a/req:$evt.path == "/index/x"');
    expect(d.name).toBe("req");
    expect(exprToString(d.begin)).toBe('($evt.path == "/index/x")');
  });

  it("rejects malformed expressions with a message quoting them", () => {
    for (const bad of ['req:$evt.x < "s"', "req:$evt.$name == 3", "req:$evt.x ==", "req:x == 1", 'req:$evt.x == "a" junk'])
      expect(() => parsePeriodDef(bad), bad).toThrow(expect.objectContaining({ code: "MALFORMED_EXPRESSION" }));
  });

  it("parses captures, naming unnamed ones after their reference", () => {
    const c = parsePeriodCaptures("req:id=$evt.id, $evt.path : $evt.$name, st=$begin.$evt.status");
    expect(c.name).toBe("req");
    expect([...c.begin.keys()]).toEqual(["id", "$evt.path"]);
    expect([...c.end.keys()]).toEqual(["$evt.$name", "st"]);
    expect(() => parsePeriodCaptures("req:a=$evt.x, a=$evt.y")).toThrow(/Duplicate period capture name/);
  });

  it("checks parents: $parent needs a parent period and must go through $begin", () => {
    const reg = new PeriodDefinitions();
    expect(() => reg.add(null, "x", parseExpression("$parent.$begin.$evt.a == 1"), parseExpression("$evt.a == 1"))).toThrow(
      expect.objectContaining({ code: "INVALID_PERIOD" }),
    );
    expect(() => PeriodDefinitions.fromArgs(["a(nope):$evt.x == 1"])).toThrow(/Cannot find parent period named "nope"/);
    expect(() => PeriodDefinitions.fromArgs(["a:$evt.x == 1", "a:$evt.x == 2"])).toThrow(/Cannot redefine period "a"/);
    const ok = PeriodDefinitions.fromArgs(["r:$evt.x == 1", "c(r):$evt.y == $parent.$begin.$evt.x", "g(c):$evt.z == 0"]);
    expect(ok.fullPath("g")).toBe("r/c/g");
  });
});

describe("period expression matching (lttng-analyses' Python semantics)", () => {
  const m = (src: string, e: AnalysisEvent, begin = e) => compileExpr(parseExpression(src))({ evt: e, begin, parentBegin: null });

  it("compares a number literal with an integer field by value (2 is not 2.7); lttng-analyses' truncation only in compat", () => {
    expect(m("$evt.x > 2.7", ev("e", { x: 3 }))).toBe(true);
    expect(m("$evt.x == 2.7", ev("e", { x: 2 }))).toBe(false);
    const compat = compileExpr(parseExpression("$evt.x == 2.7"), { truncateLiterals: true });
    const e = ev("e", { x: 2 });
    expect(compat({ evt: e, begin: e, parentBegin: null })).toBe(true);
  });

  it("never matches a missing field or values of different types", () => {
    expect(m("$evt.x == 1", ev("e"))).toBe(false);
    expect(m('$evt.x == "1"', ev("e", { x: 1 }))).toBe(false);
    expect(m("!$evt.x == 1", ev("e"))).toBe(true);
  });

  it("compares 64-bit integers exactly, globs strings, and looks in the context then cpu_id", () => {
    expect(m("$evt.id == $begin.$evt.id", ev("e", { id: 2n ** 60n + 1n }), ev("b", { id: 2n ** 60n + 1n }))).toBe(true);
    expect(m("$evt.id == $begin.$evt.id", ev("e", { id: 2n ** 60n + 1n }), ev("b", { id: 2n ** 60n }))).toBe(false);
    expect(m('$evt.$name =* "tracedeck_demo:req*"', ev("tracedeck_demo:request_end"))).toBe(true);
    expect(m('$evt.$name =* "*:io"', ev("tracedeck_demo:request_end"))).toBe(false);
    expect(m("$evt.vtid == 7", ev("e", {}, { vtid: 7 }))).toBe(true);
    expect(m("$evt.$payload.vtid == 7", ev("e", {}, { vtid: 7 }))).toBe(false);
    expect(m("$evt.cpu_id == 1", ev("e"))).toBe(true);
  });
});

describe("the event-name test the engine makes before a matcher", () => {
  const rest = (src: string) => {
    const e = withoutRequiredName(parseExpression(src));
    return e === null ? null : exprToString(e);
  };

  it("leaves out the top-level conjunct that names the event, and only that one", () => {
    expect(rest('$evt.$name == "a"')).toBeNull();
    expect(rest('$evt.$name == "a" && $evt.id == $begin.$evt.id')).toBe(exprToString(parseExpression("$evt.id == $begin.$evt.id")));
    expect(rest('$evt.x == 1 && ($evt.$name == "a" && $evt.y == 2)')).toBe(exprToString(parseExpression("$evt.x == 1 && $evt.y == 2")));
    expect(rest('$evt.$name == "a" || $evt.x == 1')).toBe(exprToString(parseExpression('$evt.$name == "a" || $evt.x == 1')));
    expect(rest('$evt.$name =* "a*" && $evt.x == 1')).toBe(exprToString(parseExpression('$evt.$name =* "a*" && $evt.x == 1')));
  });

  it("so a definition still pairs only events of its names", () => {
    const reg = PeriodDefinitions.fromArgs(['r:$evt.$name == "b" && $evt.x == 1 : $evt.$name == "e" && $evt.id == $begin.$evt.id']);
    const def = reg.named.get("r")!;
    expect([def.beginName, def.endName]).toEqual(["b", "e"]);
    expect(def.matchEnd({ evt: ev("e", { id: 3 }), begin: ev("b", { id: 3 }), parentBegin: null })).toBe(true);
    expect(def.matchEnd({ evt: ev("e", { id: 4 }), begin: ev("b", { id: 3 }), parentBegin: null })).toBe(false);
    expect(def.matchBegin({ evt: ev("b", { x: 2 }), begin: ev("b", { x: 2 }), parentBegin: null })).toBe(false);
  });
});
