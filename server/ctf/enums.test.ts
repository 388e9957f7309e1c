import { describe, expect, it } from "vitest";
import { enumLabeler } from "./enums";
import type { EnumType } from "./tsdl/model";

const t = (mappings: [string, bigint, bigint][]): EnumType => ({
  kind: "enum",
  container: { kind: "int", size: 64, signed: true, align: 8, byteOrder: "le", base: 10, encoding: "none" },
  mappings: mappings.map(([label, start, end]) => ({ label, start, end })),
});

describe("enum labels as babeltrace 1 gives them to lttng-analyses", () => {
  it("a single value's label, else the last-declared range holding the value", () => {
    const l = enumLabeler(
      t([
        ["LOW", 0n, 9n],
        ["MID", 5n, 19n],
        ["FIVE", 5n, 5n],
        ["ALSO_FIVE", 5n, 5n],
      ]),
    );
    expect(l(5)).toBe("FIVE"); // single values come before ranges, in declaration order
    expect(l(7)).toBe("MID"); // ranges are searched last-declared first
    expect(l(2)).toBe("LOW");
    expect(l(19n)).toBe("MID");
    expect(l(20)).toBeUndefined();
  });

  it("negative values, 64-bit values and ranges written high to low", () => {
    const l = enumLabeler(
      t([
        ["NEG", -10n, -1n],
        ["HUGE", 2n ** 63n, 2n ** 64n - 1n],
        ["DOWN", 30n, 20n],
      ]),
    );
    expect(l(-3)).toBe("NEG");
    expect(l(2n ** 63n + 5n)).toBe("HUGE");
    expect(l(25)).toBe("DOWN");
    expect(l(0)).toBeUndefined();
  });
});
