/** Callers while a run is under way share it; after it ends (or `end()`), the next call runs again. */
import { describe, expect, it } from "vitest";
import { InFlight } from "./in-flight";

describe("InFlight", () => {
  it("shares one run among concurrent callers, and runs again once it ended or was ended", async () => {
    let runs = 0;
    const waiting: (() => void)[] = [];
    const release = () => waiting.splice(0).forEach((r) => r());
    const shared = new InFlight(async () => {
      const n = ++runs;
      await new Promise<void>((r) => waiting.push(r));
      return n;
    });
    const a = shared.join();
    const b = shared.join();
    expect(shared.running).toBe(true);
    release();
    expect([await a, await b]).toEqual([1, 1]);
    expect(shared.running).toBe(false);
    const c = shared.join();
    shared.end(); // a change: the next caller must not join the run from before it
    const d = shared.join();
    release();
    expect([await c, await d]).toEqual([2, 3]);
  });

  it("a failed run is shared too, and the next call runs again", async () => {
    let runs = 0;
    const shared = new InFlight(async () => {
      runs++;
      throw new Error("boom");
    });
    await Promise.all([expect(shared.join()).rejects.toThrow("boom"), expect(shared.join()).rejects.toThrow("boom")]);
    await expect(shared.join()).rejects.toThrow("boom");
    expect(runs).toBe(2);
  });
});
