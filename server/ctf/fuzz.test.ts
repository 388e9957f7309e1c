import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { recordTrace } from "../testing/record";
import { runFuzz, type FuzzResult } from "./fuzz";
import { TRACES } from "../testing/shared";

function expectSound(r: FuzzResult, cases: number): void {
  expect(r.failures.slice(0, 5)).toEqual([]);
  expect(r.cases).toBe(cases);
  // The mutations must actually hurt: a good share of cases end in a typed error.
  const typed = Object.values(r.typed).reduce((a, b) => a + b, 0);
  expect(typed).toBeGreaterThan(cases / 4);
  expect(r.clean + typed).toBe(cases);
}

describe("CTF reader under mutation fuzzing (bounded; scripts/fuzz-ctf.mjs runs long campaigns)", () => {
  it("300 damaged kernel traces: every case reads cleanly or fails with a typed error naming file and offset/line", () => {
    const r = runFuzz({
      sources: [join(TRACES, "bt-multi-domains-kernel/kernel"), join(TRACES, "tc-flipping-endianness/kernel"), join(TRACES, "bt-tracefile-rotation/kernel")],
      workDir: join(tmpdir(), `tracedeck-fuzz-${process.pid}`),
      seed: 20261126,
      cases: 300,
    });
    expectSound(r, 300);
  });

  describe("a UST trace recorded here (enums, floats, big-endian fields, sequences, strings, contexts)", () => {
    const outDir = mkdtempSync(join(tmpdir(), "tracedeck-fuzz-ust-"));
    afterAll(() => rmSync(outDir, { recursive: true, force: true }));
    it("150 damaged copies: typed errors only", async () => {
      const rec = await recordTrace({
        name: "fuzz-ust",
        events: ["tracedeck_demo:*", "lttng_ust_tracef:*"],
        contexts: ["vpid", "vtid", "procname"],
        workload: ["--rate", "2000", "--duration", "0.3", "--threads", "2", "--slow-every", "100", "--slow-ms", "1", "--tracef-every", "5"],
        outDir,
      });
      const r = runFuzz({ sources: [join(rec.path, "ust/uid/0/64-bit")], workDir: join(outDir, "cases"), seed: 7, cases: 150 });
      expectSound(r, 150);
    });
  });
});
