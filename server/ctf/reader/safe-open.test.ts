/**
 * Issue #9 finding 3: symbolic links inside a trace. Whoever can write under a trace root
 * could link `metadata` or a stream file to any root-readable file, or swap a trace
 * directory for a link after it was discovered, and the reader (run as root for viewers)
 * served that file. Each case here is a real trace copy with one such change.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TRACES } from "../../testing/shared";
import { openTraceSet, readMetadataFile } from "../index";

const tmp = mkdtempSync(join(tmpdir(), "td-ctf-links-"));
const SOURCE = join(TRACES, "tc-scp-src", "kernel");
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** A fresh copy of the trace, and a copy outside it standing for files the reader must not serve. */
function copies(): { trace: string; outside: string } {
  const base = join(tmp, String(n++));
  const trace = join(base, "root", "session", "kernel");
  const outside = join(base, "secret", "kernel");
  cpSync(SOURCE, trace, { recursive: true });
  cpSync(SOURCE, outside, { recursive: true });
  return { trace, outside };
}

function count(dir: string): number {
  const set = openTraceSet([dir]);
  let items = 0;
  try {
    set.forEach(() => void items++);
  } finally {
    set.close();
  }
  return items;
}

describe("trace files are opened without following symbolic links", () => {
  it("does not read a stream file that links outside the trace", () => {
    const { trace, outside } = copies();
    const all = count(trace);
    unlinkSync(join(trace, "channel0_0"));
    const without = count(trace);
    expect(without).toBeLessThan(all);
    symlinkSync(join(outside, "channel0_0"), join(trace, "channel0_0"));
    expect(count(trace)).toBe(without);
  });

  it("refuses metadata that is a symbolic link, or not a regular file (a FIFO must not block the reader)", () => {
    const { trace, outside } = copies();
    unlinkSync(join(trace, "metadata"));
    symlinkSync(join(outside, "metadata"), join(trace, "metadata"));
    expect(() => openTraceSet([trace])).toThrow("Refusing to open metadata: it is a symbolic link");
    unlinkSync(join(trace, "metadata"));
    expect(spawnSync("mkfifo", [join(trace, "metadata")]).status).toBe(0);
    expect(() => openTraceSet([trace])).toThrow(/No CTF trace/);
    expect(() => readMetadataFile(join(trace, "metadata"))).toThrow("Refusing to open metadata: not a regular file");
  });

  it("refuses a stream whose directory was swapped for a link after the trace was opened", () => {
    const { trace, outside } = copies();
    const set = openTraceSet([trace]);
    try {
      renameSync(trace, `${trace}.moved`);
      symlinkSync(outside, trace);
      expect(() => set.forEach(() => undefined)).toThrow(/Refusing to open stream file: its path goes through a symbolic link/);
    } finally {
      set.close();
    }
  });

  it("still opens a trace reached through a linked directory (the link is resolved once, up front)", () => {
    const { trace } = copies();
    const link = join(tmp, `link-${n}`);
    symlinkSync(trace, link);
    expect(count(link)).toBe(count(trace));
  });
});
