import { describe, expect, it } from "vitest";
import { parseAnalyzeArgs } from "./cli-args";

describe("tracedeck analyze arguments, spelled as lttng-analyses'", () => {
  it("accepts --opt=value and --opt value, repeated --period, lists, and the trace path", () => {
    const a = parseAnalyzeArgs([
      "periodstats",
      "/t",
      "--period",
      "a:$evt.x == 1",
      "--period=b(a):$evt.y == 2",
      "--min-duration=5",
      "--select",
      "a/b, c",
      "--mi",
    ]);
    expect(a.name).toBe("periodstats");
    expect(a.paths).toEqual(["/t"]);
    expect(a.mi).toBe(true);
    expect(a.opts.period).toEqual(["a:$evt.x == 1", "b(a):$evt.y == 2"]);
    expect(a.opts.minDuration).toBe(5);
    expect(a.opts.select).toEqual(["b", "c"]);
  });

  it("parses the kernel analyses' options (limit, tid and cpu lists, µs bounds)", () => {
    const a = parseAnalyzeArgs(["schedtop", "--limit=3", "--tid", "1,2", "--cpu=0,3", "--min", "1.5", "T"]);
    expect(a.opts).toEqual({ limit: 3, tid: [1, 2], cpu: [0, 3], min: 1.5 });
  });

  it("refuses options the analysis does not have, as lttng-analyses' argparse does", () => {
    // The I/O commands have no --tid/--procname; syscallstats has no --limit.
    expect(() => parseAnalyzeArgs(["iolatencytop", "--tid", "1", "T"])).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENTS" }));
    expect(() => parseAnalyzeArgs(["syscallstats", "--limit", "3", "T"])).toThrow(/unrecognized arguments: --limit/);
    expect(() => parseAnalyzeArgs(["schedtop", "--limit", "x", "T"])).toThrow(/invalid int value/);
    expect(() => parseAnalyzeArgs(["nosuch", "T"])).toThrow(/unknown analysis/);
  });

  it("turns --refresh durations into ns (default unit: s)", () => {
    expect(parseAnalyzeArgs(["cputop", "-r", "0.5", "T"]).opts.refresh).toBe(500_000_000);
    expect(parseAnalyzeArgs(["cputop", "--refresh=20ms", "T"]).opts.refresh).toBe(20_000_000);
  });
});

describe("analysis catalog (for the UI's form)", () => {
  it("lists each analysis with exactly the options its command line accepts", async () => {
    const { analysisCatalog } = await import("./catalog");
    const cat = analysisCatalog();
    expect(cat.map((a) => a.name)).toContain("iolatencytop");
    const io = cat.find((a) => a.name === "iolatencytop")!;
    expect(io.options).toContain("limit");
    expect(io.options).not.toContain("tid");
    expect(cat.find((a) => a.name === "syscallstats")!.options).toEqual(expect.arrayContaining(["tid", "procname"]));
    expect(cat.find((a) => a.name === "periodstats")!.options).toContain("durationField");
  });
});
