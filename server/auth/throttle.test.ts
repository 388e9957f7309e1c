import { describe, expect, it } from "vitest";
import { LoginThrottle } from "./throttle";

describe("LoginThrottle", () => {
  it("refuses a name after 5 failures within 15 min, until the oldest failure leaves the window", () => {
    let now = 1_000_000;
    const t = new LoginThrottle(5, 15 * 60_000, () => now);
    for (let i = 0; i < 4; i++) {
      t.recordFailure("admin");
      now += 1_000;
    }
    expect(t.retryAfterMs("admin")).toBe(0);
    t.recordFailure("admin");
    // The first failure was at 1_000_000; it leaves the window at 1_000_000 + 900_000.
    expect(t.retryAfterMs("admin")).toBe(1_000_000 + 900_000 - now);
    expect(t.retryAfterMs("oncall")).toBe(0);
    now = 1_000_000 + 900_000 + 1;
    expect(t.retryAfterMs("admin")).toBe(0);
  });

  it("forgets a name's failures after a success, and forgets the oldest names past its capacity", () => {
    const t = new LoginThrottle(2, 60_000, () => 0, 3);
    t.recordFailure("a");
    t.recordFailure("a");
    expect(t.retryAfterMs("a")).toBeGreaterThan(0);
    t.recordSuccess("a");
    expect(t.retryAfterMs("a")).toBe(0);
    for (const n of ["b", "c", "d", "e"]) {
      t.recordFailure(n);
      t.recordFailure(n);
    }
    expect(t.retryAfterMs("b")).toBe(0);
    expect(t.retryAfterMs("e")).toBeGreaterThan(0);
  });
});
