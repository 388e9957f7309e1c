import { describe, expect, it } from "vitest";
import { LoginThrottle } from "./throttle";

const LIMITS = { perPair: 5, perAddress: 20, perName: 50, windowMs: 15 * 60_000 };

describe("LoginThrottle", () => {
  it("takes the try before the password is checked: a burst gets as many tries as a sequence", () => {
    const t = new LoginThrottle(LIMITS, () => 1_000_000);
    // Twenty guesses arrive before any check ends: only five may run.
    const slots = Array.from({ length: 20 }, () => t.reserve("admin", "10.0.0.66"));
    expect(slots.filter((s) => s.ok)).toHaveLength(5);
    expect(slots[5]).toEqual({ ok: false, retryAfterMs: 15 * 60_000, reason: "Too many failed logins for 'admin'" });
  });

  it("lets the window slide: the oldest failure leaving it frees one try", () => {
    let now = 1_000_000;
    const t = new LoginThrottle(LIMITS, () => now);
    for (let i = 0; i < 5; i++, now += 1_000) expect(t.reserve("admin", "a").ok).toBe(true);
    const r = t.reserve("admin", "a");
    expect(r.ok === false && r.retryAfterMs).toBe(1_000_000 + 900_000 - now);
    now = 1_000_000 + 900_000 + 1;
    expect(t.reserve("admin", "a").ok).toBe(true);
  });

  it("does not lock the name out for other addresses, but caps one address over many names and one name over many addresses", () => {
    const t = new LoginThrottle(LIMITS, () => 0);
    for (let i = 0; i < 5; i++) t.reserve("admin", "stranger");
    expect(t.reserve("admin", "stranger").ok).toBe(false);
    expect(t.reserve("admin", "operator-desk").ok).toBe(true);
    for (let i = 0; i < 20; i++) t.reserve(`name${i}`, "sprayer");
    expect(t.reserve("other", "sprayer")).toMatchObject({ ok: false, reason: "Too many failed logins from this address" });
    for (let i = 0; i < 60; i++) t.reserve("root", `claimed-${i}`);
    expect(t.reserve("root", "claimed-new")).toMatchObject({ ok: false, reason: "Too many failed logins for 'root' from all addresses" });
  });

  it("gives the try back on success and forgets that pair's failures; forgets the oldest keys past its capacity", () => {
    const t = new LoginThrottle({ ...LIMITS, perPair: 2 }, () => 0, 6);
    t.reserve("a", "x");
    const s = t.reserve("a", "x");
    expect(t.reserve("a", "x").ok).toBe(false);
    if (s.ok) s.settle(true);
    expect(t.reserve("a", "x").ok).toBe(true);
    for (const n of ["b", "c", "d"]) {
      t.reserve(n, "y");
      t.reserve(n, "y");
    }
    // 3 keys per try: "a"'s keys were the oldest and are gone.
    expect(t.reserve("a", "x").ok).toBe(true);
  });
});
