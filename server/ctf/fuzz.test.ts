import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runFuzz } from "./fuzz";

const TRACES = "/work/shared/traces";

describe("CTF reader under mutation fuzzing (bounded; scripts/fuzz-ctf.mjs runs long campaigns)", () => {
  it("300 damaged traces: every case reads cleanly or fails with a typed error naming file and offset/line", () => {
    const r = runFuzz({
      sources: [join(TRACES, "bt-multi-domains-kernel/kernel"), join(TRACES, "tc-flipping-endianness/kernel"), join(TRACES, "bt-tracefile-rotation/kernel")],
      workDir: join(tmpdir(), `tracedeck-fuzz-${process.pid}`),
      seed: 20261126,
      cases: 300,
    });
    expect(r.failures.slice(0, 5)).toEqual([]);
    expect(r.cases).toBe(300);
    // The mutations must actually hurt: most cases end in a typed error.
    const typed = Object.values(r.typed).reduce((a, b) => a + b, 0);
    expect(typed).toBeGreaterThan(100);
    expect(r.clean + typed).toBe(300);
  });
});
