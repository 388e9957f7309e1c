/** A domain error from another copy of its module (another Next bundle) is still recognised and mapped. */
import { describe, expect, it, vi } from "vitest";

describe("domain errors across module copies", () => {
  it("instanceof and the error map see an error of another bundle's class", async () => {
    const here = await import("../live/errors");
    const { mapDomainError } = await import("../trpc/errors");
    vi.resetModules();
    const there = await import("../live/errors");
    expect(there.LiveError).not.toBe(here.LiveError);
    const e = new there.LiveError("SESSION_NOT_FOUND", 'No session "x" on lttng-relayd');
    expect(e instanceof here.LiveError).toBe(true);
    expect(mapDomainError(e)).toEqual({ code: "NOT_FOUND", message: 'No session "x" on lttng-relayd' });
    // The mark is per class: an error of another domain is not taken for this one.
    const { LttngError } = await import("../lttng/errors");
    expect(new LttngError("NOT_FOUND", "gone") instanceof here.LiveError).toBe(false);
    expect(new Error("plain") instanceof here.LiveError).toBe(false);
  });
});
