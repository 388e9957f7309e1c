import { describe, expect, it } from "vitest";
import { formatDelta, formatIsoNs, formatTimeOfDay } from "../time";
import { escapeString, formatEnum, formatG, formatInt } from "./pretty";
import type { EnumType, IntType } from "./tsdl/model";

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
    const e: EnumType = { kind: "enum", container: int(8, false, 10), mappings: [{ label: "A", start: 0n, end: 3n }, { label: "B", start: 2n, end: 2n }, { label: "A", start: 9n, end: 9n }] };
    expect(formatEnum(e, 2)).toBe('( "A", "B" : container = 2 )');
    expect(formatEnum(e, 9)).toBe('( "A" : container = 9 )');
    expect(formatEnum(e, 5)).toBe("( <unknown> : container = 5 )");
  });

  it("escapes strings like print_escape_string", () => {
    expect(escapeString('a\\b"c\'d?e\n\t\x01\x7f')).toBe('"a\\\\b\\"c\\\'d\\?e\\n\\t\\x01\\x7f"');
    expect(escapeString("é")).toBe('"é"');
  });

  it("prints doubles with C's %g", () => {
    expect([0, 1.5, 100000, 1000000, 1e-5, 0.0001, 123456789, -2.5e-10, 3.14159265].map(formatG)).toEqual(["0", "1.5", "100000", "1e+06", "1e-05", "0.0001", "1.23457e+08", "-2.5e-10", "3.14159"]);
  });

  it("formats times in the local zone (TZ) with nanoseconds, and deltas", () => {
    const tz = process.env.TZ;
    try {
      process.env.TZ = "UTC";
      expect(formatTimeOfDay(1457113582794565804n)).toBe("17:46:22.794565804");
      process.env.TZ = "Asia/Kolkata";
      expect(formatTimeOfDay(1457113582794565804n)).toBe("23:16:22.794565804");
    } finally {
      process.env.TZ = tz;
    }
    expect(formatDelta(1868)).toBe("+0.000001868");
    expect(formatDelta(2_500_000_000)).toBe("+2.500000000");
    expect(formatIsoNs(1457113582794565804n)).toBe("2016-03-04T17:46:22.794565804Z");
  });
});
