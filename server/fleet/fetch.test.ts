/** SFTP fetch of a trace directory from a real sshd: byte-identical, resumable, checksummed, links not followed. */
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FetchError, fetchRemoteDir, type FetchProgress } from "./fetch";
import { SshTransport } from "./ssh";
import { TestSshd } from "./testing/sshd";

const SOURCE = resolve(__dirname, "../../../shared/traces/tc-scp-src");
const sshd = new TestSshd();
const work = mkdtempSync(join(tmpdir(), "td-fetch-"));
// The "remote" trace: a copy the test may change, with a link the fetch must not follow.
const remote = join(work, "remote trace; $x");
let t: SshTransport;

function tree(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const rel of readdirSync(dir, { recursive: true }).map(String)) {
    const p = join(dir, rel);
    if (statSync(p).isFile()) m.set(rel, createHash("sha256").update(readFileSync(p)).digest("hex"));
  }
  return m;
}

beforeAll(async () => {
  await sshd.start();
  cpSync(SOURCE, remote, { recursive: true });
  symlinkSync("/etc/shadow", join(remote, "shadow-link"));
  t = new SshTransport({ host: "127.0.0.1", port: sshd.port, user: "root", privateKey: sshd.privateKey }, { pinnedFingerprint: sshd.hostFingerprint });
});

afterAll(async () => {
  t.close();
  await sshd.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe("fetching a trace directory over SFTP", () => {
  it("brings every regular file home byte for byte, with progress, and skips links", async () => {
    const seen: FetchProgress[] = [];
    const dest = join(work, "home", "a");
    const r = await fetchRemoteDir(t, remote, dest, { onProgress: (p) => seen.push(p) });
    const want = tree(SOURCE);
    expect(tree(dest)).toEqual(want);
    expect(r.files).toBe(want.size);
    expect(r.reusedBytes).toBe(0);
    expect(seen.at(-1)).toMatchObject({ files: want.size, totalFiles: want.size, bytes: r.bytes, totalBytes: r.bytes });
    expect(readdirSync(join(work, "home"))).toEqual(["a"]); // the staging directory is gone
  });

  it("resumes an interrupted fetch and starts a corrupt partial file over", async () => {
    const files = [...tree(SOURCE).keys()].sort();
    const big = files.map((f) => [f, statSync(join(SOURCE, f)).size] as const).sort((a, b) => b[1] - a[1]);
    const [resumed, resumedSize] = big[0]!;
    const [corrupt, corruptSize] = big[1]!;
    const dest = join(work, "home", "b");
    const staging = join(work, "home", ".b.fetching");
    // What an interrupted attempt leaves: one file done, one half-written, one half-written with a bad byte.
    cpSync(remote, staging, { recursive: true });
    rmSync(join(staging, "shadow-link"));
    truncateSync(join(staging, resumed), Math.floor(resumedSize / 2));
    cpSync(join(staging, resumed), join(staging, `${resumed}.part`));
    rmSync(join(staging, resumed));
    const half = readFileSync(join(staging, corrupt)).subarray(0, Math.floor(corruptSize / 2));
    half[0] = half[0]! ^ 0xff;
    writeFileSync(join(staging, `${corrupt}.part`), half);
    rmSync(join(staging, corrupt));

    const r = await fetchRemoteDir(t, remote, dest);
    expect(tree(dest)).toEqual(tree(SOURCE));
    // Transferred again: the second half of the resumed file and the whole corrupt one.
    expect(r.reusedBytes).toBe(r.bytes - corruptSize - (resumedSize - Math.floor(resumedSize / 2)));
  });

  it("refuses paths that are not plain absolute paths, and an existing destination", async () => {
    await expect(fetchRemoteDir(t, "relative/dir", join(work, "home", "c"))).rejects.toThrow(FetchError);
    await expect(fetchRemoteDir(t, `${remote}/../x`, join(work, "home", "c"))).rejects.toThrow(/normalized/);
    await expect(fetchRemoteDir(t, remote, join(work, "home", "a"))).rejects.toThrow(/already exists/);
  });
});
