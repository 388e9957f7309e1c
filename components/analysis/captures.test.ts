import { describe, expect, it } from "vitest";
import { reprCaptures, reprTupleList } from "../../server/analysis/periods/pyrepr";
import { isCaptureColumn, parseCaptures } from "./captures";

describe("parseCaptures reads back what lttng-analyses' format prints", () => {
  it("a dict of captures becomes name/value fields, strings unquoted", () => {
    const text = reprCaptures(
      new Map<string, string | number | bigint>([
        ["id", 488390],
        ["path", "/login"],
        ["big", 18446744073709551615n],
      ]),
    );
    expect(text).toBe("{'id': 488390, 'path': '/login', 'big': 18446744073709551615}");
    expect(parseCaptures(text)).toEqual([
      { name: "id", value: "488390" },
      { name: "path", value: "/login" },
      { name: "big", value: "18446744073709551615" },
    ]);
  });

  it("strings with quotes and escapes, floats, None and nested values", () => {
    const m = new Map<string, unknown>([
      ["q", 'it\'s "x"\n'],
      ["f", 0.5],
      ["n", null],
      ["arr", [1, "a"]],
      ["o", { k: 2 }],
    ]);
    const text = reprCaptures(m as never);
    expect(parseCaptures(text)).toEqual([
      { name: "q", value: 'it\'s "x"\n' },
      { name: "f", value: "0.5" },
      { name: "n", value: "None" },
      { name: "arr", value: "[1, 'a']" },
      { name: "o", value: "{'k': 2}" },
    ]);
  });

  it("a list of (name, value) tuples (parent captures) and None", () => {
    expect(
      parseCaptures(
        reprTupleList([
          ["req.id", 5],
          ["req.path", "/a"],
        ]),
      ),
    ).toEqual([
      { name: "req.id", value: "5" },
      { name: "req.path", value: "/a" },
    ]);
    expect(parseCaptures("None")).toEqual([]);
    expect(parseCaptures("{}")).toEqual([]);
  });

  it("text that is not such a repr is left alone", () => {
    for (const t of ["", "hello", "{'a': 1", "{'a' 1}", "{'a': 1} tail", "[('a', 1)"]) expect(parseCaptures(t), t).toBeNull();
  });

  it("recognises the capture columns of the period analyses", () => {
    expect(isCaptureColumn({ title: "Begin captures", class: "string" })).toBe(true);
    expect(isCaptureColumn({ title: "Captures", class: "string" })).toBe(true);
    expect(isCaptureColumn({ title: "Name", class: "string" })).toBe(false);
  });
});
