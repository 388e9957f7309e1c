import { describe, expect, it } from "vitest";
import { ActionLimiter } from "./limiter";

describe("ActionLimiter", () => {
  it("acts, then rests for the cooldown, then acts again", () => {
    const l = new ActionLimiter(5_000, 100);
    expect(l.take(1_000)).toBe("act");
    expect(l.take(1_001)).toBe("cooldown");
    expect(l.take(5_999)).toBe("cooldown");
    expect(l.nextAllowedMs(2_000)).toBe(6_000);
    expect(l.take(6_000)).toBe("act");
    expect(l.countLastHour(6_000)).toBe(2);
  });

  it("a storm every 10 ms for 60 s acts once per 5 s cooldown: 12 times", () => {
    const l = new ActionLimiter(5_000, 100);
    let acted = 0;
    for (let t = 0; t < 60_000; t += 10) if (l.take(t) === "act") acted++;
    expect(acted).toBe(12);
  });

  it("keeps the hourly budget over a sliding hour, and says when it frees", () => {
    const l = new ActionLimiter(1_000, 3);
    expect([l.take(0), l.take(1_000), l.take(2_000)]).toEqual(["act", "act", "act"]);
    expect(l.take(3_000)).toBe("hourly-limit");
    // The budget frees when the first action (t=0) leaves the hour.
    expect(l.nextAllowedMs(3_000)).toBe(3_600_000);
    expect(l.take(3_599_999)).toBe("hourly-limit");
    expect(l.take(3_600_000)).toBe("act");
  });

  it("peek does not use the budget; configure keeps the history", () => {
    const l = new ActionLimiter(5_000, 10);
    expect(l.peek(0)).toBe("act");
    expect(l.peek(0)).toBe("act");
    expect(l.take(0)).toBe("act");
    l.configure(100, 10);
    expect(l.take(50)).toBe("cooldown");
    expect(l.take(100)).toBe("act");
  });
});
