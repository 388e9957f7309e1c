import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openTraceSet } from "./index";
import { PrettyPrinter, type PrettyOptions } from "./pretty";
import { le, packet, TSDL_TYPES, u16, u32, u64, writeTrace } from "./testing/synth";
import { formatDelta, formatIsoNs, formatTimeOfDay } from "../time";
import { escapeString, formatEnum, formatG, formatInt } from "./pretty";
import type { EnumType, IntType } from "./tsdl/model";
import { epochNs } from "../time";

const int = (size: number, signed: boolean, base: number): IntType => ({ kind: "int", size, align: 8, signed, byteOrder: "le", base, encoding: "none" });

describe("babeltrace2 text formatting", () => {
  it("prints integers in their display base as babeltrace2 does (hex upper-case, masked to the nibble-rounded size)", () => {
    expect(formatInt(int(32, false, 10), 4294967295)).toBe("4294967295");
    expect(formatInt(int(64, false, 10), 18446744073709551615n)).toBe("18446744073709551615");
    expect(formatInt(int(64, true, 10), -9007199254740993n)).toBe("-9007199254740993");
    expect(formatInt(int(64, false, 16), 0x7fcc3e617310)).toBe("0x7FCC3E617310");
    expect(formatInt(int(8, true, 16), -1)).toBe("0xFF");
    expect(formatInt(int(5, true, 16), -1)).toBe("0xFF"); // 5 bits round up to 8
    expect(formatInt(int(64, true, 16), -1)).toBe("0xFFFFFFFFFFFFFFFF");
    expect(formatInt(int(8, false, 8), 8)).toBe("010");
    expect(formatInt(int(4, true, 8), -1)).toBe("077"); // 4 bits round up to 6
    expect(formatInt(int(4, false, 2), 5)).toBe("0b0101");
  });

  it("prints enums with every matching label, or <unknown>", () => {
    const e: EnumType = {
      kind: "enum",
      container: int(8, false, 10),
      mappings: [
        { label: "A", start: 0n, end: 3n },
        { label: "B", start: 2n, end: 2n },
        { label: "A", start: 9n, end: 9n },
      ],
    };
    expect(formatEnum(e, 2)).toBe('( "A", "B" : container = 2 )');
    expect(formatEnum(e, 9)).toBe('( "A" : container = 9 )');
    expect(formatEnum(e, 5)).toBe("( <unknown> : container = 5 )");
  });

  it("escapes strings like print_escape_string", () => {
    expect(escapeString("a\\b\"c'd?e\n\t\x01\x7f")).toBe('"a\\\\b\\"c\\\'d\\?e\\n\\t\\x01\\x7f"');
    expect(escapeString("é")).toBe('"é"');
  });

  it("prints doubles with C's %g", () => {
    expect([0, 1.5, 100000, 1000000, 1e-5, 0.0001, 123456789, -2.5e-10, 3.14159265].map(formatG)).toEqual([
      "0",
      "1.5",
      "100000",
      "1e+06",
      "1e-05",
      "0.0001",
      "1.23457e+08",
      "-2.5e-10",
      "3.14159",
    ]);
  });

  it("formats times in the local zone (TZ) with nanoseconds, and deltas", () => {
    const tz = process.env.TZ;
    try {
      process.env.TZ = "UTC";
      expect(formatTimeOfDay(epochNs(1457113582794565804n))).toBe("17:46:22.794565804");
      process.env.TZ = "Asia/Kolkata";
      expect(formatTimeOfDay(epochNs(1457113582794565804n))).toBe("23:16:22.794565804");
    } finally {
      process.env.TZ = tz;
    }
    expect(formatDelta(1868)).toBe("+0.000001868");
    expect(formatDelta(2_500_000_000)).toBe("+2.500000000");
    expect(formatIsoNs(epochNs(1457113582794565804n))).toBe("2016-03-04T17:46:22.794565804Z");
  });
});

describe("true values by default, babeltrace2 2.0.4's only with its compat mode", () => {
  /** Lines of a one-stream trace whose `s` strings and times are given. */
  function print(events: [ts: number, s: string][], opts: PrettyOptions): string[] {
    const dir = mkdtempSync(join(tmpdir(), "tracedeck-pretty-"));
    try {
      writeTrace(
        dir,
        `${TSDL_TYPES}
typealias integer { size = 64; align = 8; signed = false; map = clock.c.value; } := uint64_clock_t;
trace { major = 1; minor = 8; byte_order = le; packet.header := struct { uint32_t magic; }; };
clock { name = "c"; freq = 1000000000; offset_s = 1600000000; };
stream { event.header := struct { uint16_t id; uint64_clock_t timestamp; }; };
event { name = "open"; id = 0; fields := struct { string path; uint32_t flags; }; };
`,
        {
          stream_0: packet(
            [u32(0xc1fc1fc1)],
            [],
            events.map(([ts, str]) => Buffer.concat([le([u16(0), u64(ts)]), Buffer.from(str + "\0"), le([u32(1)])])),
          ),
        },
      );
      const set = openTraceSet([dir]);
      const p = new PrettyPrinter(set.originNs, opts);
      const out: string[] = [];
      set.forEach((it, src) => void (it.kind === "event" && out.push(p.event(it, src).replace(/^\[[^\]]*\] /, ""))));
      set.close();
      return out;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('an empty string prints as "" (compat: the value the field last held, as babeltrace2 2.0.4 shows it)', () => {
    const ev: [number, string][] = [
      [1000, "/etc/a"],
      [2000, ""],
      [3000, "/b"],
      [4000, ""],
    ];
    expect(print(ev, {}).map((l) => /path = ("[^"]*")/.exec(l)?.[1])).toEqual(['"/etc/a"', '""', '"/b"', '""']);
    expect(print(ev, { compat: "babeltrace2-2.0.4" }).map((l) => /path = ("[^"]*")/.exec(l)?.[1])).toEqual(['"/etc/a"', '"/etc/a"', '"/b"', '"/b"']);
  });

  it("a stream going back in time shows a negative difference (compat: babeltrace2's uint64 wrap)", () => {
    const ev: [number, string][] = [
      [2000, "x"],
      [1500, "y"],
    ];
    expect(print(ev, {})[1]).toMatch(/^\(-0\.000000500\) open:/);
    expect(print(ev, { compat: "babeltrace2-2.0.4" })[1]).toMatch(/^\(\+18446744073\.709551116\) open:/);
  });
});
