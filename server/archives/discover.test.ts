import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fingerprint, walkArchives } from "./discover";

const tmp = mkdtempSync(join(tmpdir(), "td-discover-"));
const outside = mkdtempSync(join(tmpdir(), "td-discover-out-"));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

function trace(dir: string): void {
  mkdirSync(join(dir, "ust", "uid", "0", "64-bit"), { recursive: true });
  writeFileSync(join(dir, "ust", "uid", "0", "64-bit", "metadata"), "/* CTF 1.8 */");
}

// The layouts LTTng 2.13.9 wrote on this machine (lttng-facts.md §5).
describe("walkArchives", () => {
  it("finds snapshots, rotation archives and session traces; never a chunk being written, a temporary, or a link out of the root", async () => {
    trace(join(tmp, "s-snap", "snapshot-1-20261126-071003-0"));
    trace(join(tmp, "s-snap", "mysnap-20261126-071004-2"));
    trace(join(tmp, "s-rot", "archives", "20261126T071231+0000-20261126T071233+0000-0"));
    trace(join(tmp, "s-rot", "20261126T071235+0000-2"));
    trace(join(tmp, "s-rot", ".tmp_old_chunk"));
    trace(join(tmp, "vm", "s-net-20261126-070958"));
    trace(join(tmp, "vm", "s-snap-20261126-070958", "relaysnap-20261126-071007-4"));
    trace(join(outside, "secret"));
    symlinkSync(join(outside, "secret"), join(tmp, "link-out"));
    const w = await walkArchives([tmp, join(tmp, "no-such-root")]);
    expect(w.truncated).toBe(false);
    const found = w.candidates.map((c) => [c.path.slice(w.roots[0]!.length + 1), c.kind, c.sessionHint]).sort();
    expect(found).toEqual([
      ["s-rot/archives/20261126T071231+0000-20261126T071233+0000-0", "rotation", "s-rot"],
      ["s-snap/mysnap-20261126-071004-2", "snapshot", "s-snap"],
      ["s-snap/snapshot-1-20261126-071003-0", "snapshot", "s-snap"],
      ["vm/s-net-20261126-070958", "session", "s-net"],
      ["vm/s-snap-20261126-070958/relaysnap-20261126-071007-4", "snapshot", "s-snap"],
    ]);
    const snap = w.candidates.find((c) => c.path.endsWith("snapshot-1-20261126-071003-0"))!;
    expect(snap.namedAtMs).toBe(Date.UTC(2026, 10, 26, 7, 10, 3));
    const rot = w.candidates.find((c) => c.kind === "rotation")!;
    // A rotation archive is dated by the end of its chunk.
    expect(rot.namedAtMs).toBe(Date.UTC(2026, 10, 26, 7, 12, 33));
  });

  it("fingerprints bytes, files and the newest change, and changes when a file grows", async () => {
    const dir = join(tmp, "fp", "snapshot-1-20261126-071003-0");
    trace(dir);
    writeFileSync(join(dir, "ust", "uid", "0", "64-bit", "chan_0"), Buffer.alloc(100));
    const a = await fingerprint(dir);
    expect(a).toMatchObject({ bytes: 100 + "/* CTF 1.8 */".length, files: 2 });
    writeFileSync(join(dir, "ust", "uid", "0", "64-bit", "chan_0"), Buffer.alloc(200));
    expect((await fingerprint(dir))!.key).not.toBe(a!.key);
    expect(await fingerprint(join(tmp, "nope"))).toBeNull();
  });
});
