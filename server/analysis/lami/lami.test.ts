import { describe, expect, it } from "vitest";
import { parseLamiJson, toLamiJson, writeLamiJson } from "./json";
import { mi, ResultTable } from "./values";
import { formatSize, formatTimestamp, renderText } from "./text";
import { reprCaptures } from "../periods/pyrepr";

const cls = {
  name: "freq",
  title: "I/O request latency distribution",
  columns: [
    ["latency_lower", "Latency (lower bound)", "duration"],
    ["latency_upper", "Latency (upper bound)", "duration"],
    ["count", "Request count", "number", "requests"],
  ],
} as const;

describe("LAMI 1.0 shapes", () => {
  it("writes epoch-ns timestamps as exact JSON integers and reads them back as bigint", () => {
    const ts = 1457113582794565804n;
    const text = toLamiJson({ results: [new ResultTable(cls, ts, ts + 1n).toNative()] });
    expect(text).toContain('"value":1457113582794565804');
    const back = parseLamiJson(text) as { results: { "time-range": { begin: { value: bigint } } }[] };
    expect(back.results[0]!["time-range"].begin.value).toBe(ts);
  });

  it("writes a document of many tables in pieces that join to toLamiJson's text", () => {
    const ts = 1457113582794565804n;
    const results = Array.from({ length: 1300 }, (_, i) => {
      const t = new ResultTable(cls, ts + BigInt(i), ts + BigInt(2 * i), i % 3 === 0 ? undefined : `tid ${i}`);
      t.append([mi.timestamp(ts - BigInt(i)), mi.duration(i / 7), mi.number(i)]);
      return t.toNative();
    });
    const pieces: string[] = [];
    writeLamiJson({ results }, (s) => pieces.push(s));
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join("")).toBe(toLamiJson({ results }));
    const small: string[] = [];
    writeLamiJson({ results: results.slice(0, 2) }, (s) => small.push(s));
    expect(small).toEqual([toLamiJson({ results: results.slice(0, 2) })]);
  });

  it("gives a subtitled table an inline class inheriting the named one, as mi.ResultTable does", () => {
    const t = new ResultTable(cls, 1n, 2n, "read").toNative();
    expect(t.class).toEqual({ inherit: "freq", title: "I/O request latency distribution [read]" });
    expect(new ResultTable(cls, 1n, 2n).toNative().class).toBe("freq");
  });

  it("omits unknown process fields, writes mi.Empty as null and mi.Unknown as {class: unknown}", () => {
    expect(mi.process("bash", null, 12)).toEqual({ class: "process", name: "bash", tid: 12 });
    expect(mi.empty()).toBeNull();
    expect(mi.unknown()).toEqual({ class: "unknown" });
    expect(mi.ratioFromPercentage(12.5)).toEqual({ class: "ratio", value: 0.125 });
    expect(mi.durationFromUs(1.5)).toEqual({ class: "duration", value: 1500 });
  });
});

describe("text output", () => {
  it("formats times of day with nanoseconds and sizes with binary prefixes, as format_utils does", () => {
    process.env.TZ = "UTC";
    expect(formatTimestamp(1457113582794565804n)).toBe("17:46:22.794565804");
    expect(formatTimestamp(1457113582000000001n, true)).toBe("2016-03-04 17:46:22.000000001");
    expect(formatSize(0)).toBe("0   B");
    expect(formatSize(1536)).toBe("1.50 KiB");
  });

  it("draws frequency tables as lttng-analyses' FreqGraph: lower bound, block bar scaled to the largest count, count", () => {
    const t = new ResultTable(cls, 0n, 1n, "read");
    t.append([mi.durationFromUs(0.5), mi.durationFromUs(1), mi.number(10)]);
    t.append([mi.durationFromUs(1), mi.durationFromUs(1.5), mi.number(5)]);
    const lines = renderText([t]).split("\n");
    const i = lines.indexOf("I/O request latency distribution read (µs)");
    expect(i).toBeGreaterThan(0);
    expect(lines[i + 1]).toBe("#".repeat(80));
    expect(lines[i + 2]).toBe(`  0.500 ${"█".repeat(72)} 10`);
    expect(lines[i + 3]).toBe(`  1.000 ${"█".repeat(36)}${" ".repeat(36)}  5`);
  });
});

describe("text of big results", () => {
  it("prints a table of 300,000 rows (the column widths are not taken with Math.max(...rows))", () => {
    const log = {
      name: null,
      title: "Period log",
      columns: [
        ["dur", "Period duration", "duration"],
        ["n", "Period name", "string"],
      ],
    } as const;
    const t = new ResultTable(log as never, 0n, 1n);
    for (let i = 0; i < 300_000; i++) t.append([mi.durationFromUs(i), mi.string("req")]);
    const lines = renderText([t]).split("\n");
    expect(lines).toHaveLength(300_000 + 6);
    // The duration column is as wide as its title, "Period duration (us)".
    expect(lines[4]).toBe(`${"0.000".padStart(20)}  req`);
    expect(lines.at(-3)).toBe(`${"299999.000".padStart(20)}  req`);
  });
});

describe("captures as Python prints them", () => {
  it("str(dict) with repr'd keys and values", () => {
    expect(
      reprCaptures(
        new Map<string, unknown>([
          ["id", 5],
          ["path", "/it's"],
          ["x", undefined],
          ["f", 1.5],
        ]) as never,
      ),
    ).toBe(`{'id': 5, 'path': "/it's", 'x': None, 'f': 1.5}`);
  });
});
