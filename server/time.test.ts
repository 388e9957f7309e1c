import { describe, expect, it } from "vitest";
import { epochNs, epochNsToMs, relNs, toEpochNs, toRelNs } from "./time";

describe("time", () => {
  it("converts between relative and absolute nanoseconds exactly", () => {
    const origin = epochNs(1_700_000_000_123_456_789n);
    expect(toEpochNs(origin, relNs(1_000))).toBe(1_700_000_000_123_457_789n);
    expect(toRelNs(origin, toEpochNs(origin, relNs(2 ** 52)))).toBe(2 ** 52);
    expect(epochNsToMs(origin)).toBe(1_700_000_000_123);
  });

  it("keeps relative and absolute apart at compile time (npm test type-checks this file)", () => {
    // Never called: the point is that each line below fails to compile (tsc in npm test).
    const misuse = () => {
      const origin = epochNs(1_000n);
      // @ts-expect-error: a bare bigint is not known to be epoch nanoseconds
      toRelNs(1_000n, origin);
      // @ts-expect-error: a relative time is not an absolute one
      epochNsToMs(relNs(5));
      // @ts-expect-error: nor is an absolute time a relative one
      const rel: ReturnType<typeof relNs> = origin;
      return rel;
    };
    expect(typeof misuse).toBe("function");
  });
});
