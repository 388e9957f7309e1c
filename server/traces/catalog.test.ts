import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config } from "../config";
import { listTraces, resolveTracePath, TraceCatalogError } from "./catalog";
import { TRACES } from "../testing/shared";

const SHARED = TRACES;

/** A fake LTTng output tree: only the layout matters here, not the bytes. */
function trace(dir: string, files: Record<string, string> = { metadata: "m", chan_0: "0123456789" }): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

let base: string;
let root: string;
let root2: string;
let outside: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "td-catalog-"));
  root = join(base, "root");
  root2 = join(base, "root2");
  outside = join(base, "outside");
  trace(join(root, "sess-a", "kernel"));
  trace(join(root, "sess-a", "ust", "uid", "1000", "64-bit"));
  mkdirSync(join(root, "sess-a", "kernel", "index"));
  writeFileSync(join(root, "sess-a", "kernel", "index", "chan_0.idx"), "12345");
  trace(join(root, "host", "snap", "archives", "chunk-1", "ust", "uid", "0", "64-bit"));
  trace(join(root, "plain"));
  mkdirSync(join(root, "empty"), { recursive: true });
  trace(join(root2, "other", "kernel"));
  trace(join(outside, "secret", "kernel"));
  // Links from inside a root to a trace outside it.
  symlinkSync(join(outside, "secret"), join(root, "escape"));
  symlinkSync(outside, join(root, "escape-dir"));
  // A link that stays inside the root is fine.
  symlinkSync(join(root, "sess-a"), join(root, "alias"));
});

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

describe("listTraces", () => {
  it("finds trace directories, groups them by session directory, and never follows links", async () => {
    const cat = await listTraces([root, root2, join(base, "missing")]);
    expect(cat.truncated).toBe(false);
    expect(cat.roots).toEqual([
      { path: root, exists: true, sample: false },
      { path: root2, exists: true, sample: false },
      { path: join(base, "missing"), exists: false, sample: false },
    ]);
    const byName = Object.fromEntries(cat.sessions.map((s) => [`${s.root === root ? "r1" : "r2"}:${s.name}`, s]));
    expect(Object.keys(byName).sort()).toEqual(["r1:host/snap/archives/chunk-1", "r1:plain", "r1:sess-a", "r2:other"]);
    const a = byName["r1:sess-a"]!;
    expect(a.path).toBe(join(root, "sess-a"));
    expect(a.traces.map((t) => [t.name, t.domain])).toEqual([
      ["kernel", "kernel"],
      ["ust/uid/1000/64-bit", "ust"],
    ]);
    // metadata (1) + chan_0 (10) + index/chan_0.idx (5); the UST trace: 1 + 10.
    expect(a.traces[0]!.sizeBytes).toBe(16);
    expect(a.sizeBytes).toBe(27);
    expect(byName["r1:plain"]!.traces).toEqual([expect.objectContaining({ name: "", domain: null, path: join(root, "plain") })]);
    // Nothing from outside through the links, and the alias is not listed twice.
    expect(JSON.stringify(cat)).not.toContain("secret");
    expect(cat.sessions.filter((s) => s.name === "alias")).toHaveLength(0);
  });

  it("says when its bounds cut the walk short", async () => {
    const cat = await listTraces([root], { maxDepth: 2, maxDirs: 1000 });
    expect(cat.truncated).toBe(true);
    expect(cat.sessions.map((s) => s.name).sort()).toEqual(["plain", "sess-a"]);
  });

  it("lists the shared kernel traces as sessions with a kernel trace", async () => {
    const cat = await listTraces([SHARED]);
    const many = cat.sessions.find((s) => s.name === "tc-many-threads");
    expect(many?.traces.map((t) => t.domain)).toEqual(["kernel"]);
    // PROVENANCE.md: 8,419,648 bytes in 17 files.
    expect(many?.sizeBytes).toBe(8_419_648);
  });
});

describe("the sample kernel trace shipped in the checkout", () => {
  it("is a trace root of its own, flagged as the sample, holding one kernel trace identical to its origin", async () => {
    const sampleRoot = config().sampleTracesDir;
    expect(sampleRoot).toBe(join(process.cwd(), "samples", "traces"));
    expect(config().traceRoots).toContain(sampleRoot);
    const cat = await listTraces([sampleRoot!], undefined, sampleRoot);
    expect(cat.roots).toEqual([{ path: sampleRoot, exists: true, sample: true }]);
    expect(cat.sessions.map((s) => [s.name, s.traces.map((t) => t.domain)])).toEqual([["sample-kernel-trace", ["kernel"]]]);
    // samples/traces/PROVENANCE.md: tc-many-threads as published, 8,419,648 bytes in 17 files.
    expect(cat.sessions[0]!.sizeBytes).toBe(8_419_648);
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)).map((f) => join(e.name, f)) : [e.name]))
        .sort();
    const shipped = join(sampleRoot!, "sample-kernel-trace");
    const origin = join(TRACES, "tc-many-threads");
    expect(files(shipped)).toEqual(files(origin));
    for (const f of files(shipped)) {
      expect(statSync(join(shipped, f)).size, f).toBeLessThan(4 * 1024 * 1024);
      expect(readFileSync(join(shipped, f)).equals(readFileSync(join(origin, f))), f).toBe(true);
    }
  });
});

describe("resolveTracePath", () => {
  const roots = () => [root, root2];
  const refused = async (p: string, code: TraceCatalogError["code"]) => {
    const err = await resolveTracePath(p, roots()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err, p).toBeInstanceOf(TraceCatalogError);
    expect((err as TraceCatalogError).code, p).toBe(code);
  };

  it("accepts absolute paths under a root and paths relative to any root", async () => {
    expect(await resolveTracePath(join(root, "sess-a"), roots())).toBe(join(root, "sess-a"));
    expect(await resolveTracePath("sess-a/kernel", roots())).toBe(join(root, "sess-a", "kernel"));
    expect(await resolveTracePath("other", roots())).toBe(join(root2, "other"));
    // `..` that stays inside the root, and a link inside the root, resolve to the real directory.
    expect(await resolveTracePath("sess-a/kernel/../ust", roots())).toBe(join(root, "sess-a", "ust"));
    expect(await resolveTracePath(join(root, "alias"), roots())).toBe(join(root, "sess-a"));
  });

  it("refuses `..` escapes, links out of the root and absolute paths elsewhere", async () => {
    await refused("../outside/secret", "OUTSIDE_ROOTS");
    await refused("sess-a/../../outside/secret/kernel", "OUTSIDE_ROOTS");
    await refused(join(root, "..", "outside", "secret"), "OUTSIDE_ROOTS");
    await refused("escape", "OUTSIDE_ROOTS");
    await refused(join(root, "escape", "kernel"), "OUTSIDE_ROOTS");
    await refused("escape-dir/secret", "OUTSIDE_ROOTS");
    await refused(join(outside, "secret"), "OUTSIDE_ROOTS");
    await refused("/etc", "OUTSIDE_ROOTS");
    await refused("/", "OUTSIDE_ROOTS");
  });

  it("says, when refusing a path outside the roots, which roots are configured and how to add one", async () => {
    const err = (await resolveTracePath(join(outside, "secret"), roots()).catch((e: unknown) => e)) as TraceCatalogError;
    expect(err.code).toBe("OUTSIDE_ROOTS");
    expect(err.message).toContain(`the configured roots are ${root}, ${root2}`);
    expect(err.message).toContain("TRACEDECK_TRACE_ROOTS");
  });

  it("refuses missing paths, directories without a trace, files and malformed input", async () => {
    await refused("nope", "NOT_FOUND");
    await refused(join(root, "nope"), "NOT_FOUND");
    await refused("empty", "NOT_A_TRACE");
    await refused("plain/metadata", "NOT_A_TRACE");
    await refused("", "INVALID_PATH");
    await refused("sess-a\0/kernel", "INVALID_PATH");
    await refused("x".repeat(5000), "INVALID_PATH");
  });
});

describe("resolveTracePath bounds (issue #9)", () => {
  const roots = () => [root, root2];
  const codeOf = (p: string) =>
    resolveTracePath(p, roots()).then(
      () => "accepted",
      (e: unknown) => (e instanceof TraceCatalogError ? `${e.code}: ${e.message}` : String(e)),
    );

  it("refuses a root, or any directory above several sessions, as one trace: it would decode or archive them all", async () => {
    expect(await codeOf(root)).toBe(`NOT_A_TRACE: ${root} holds the traces of several sessions; open one session (or one trace) at a time.`);
    expect(await codeOf(".")).toMatch(/^NOT_A_TRACE: \. holds the traces of several sessions/);
    expect(await codeOf(join(root, "sess-a"))).toBe("accepted");
  });

  it("answers the same for a host path outside the roots whether it exists or not, and refuses control characters", async () => {
    const etc = await codeOf("/etc/passwd");
    expect(etc).toMatch(/^OUTSIDE_ROOTS: \/etc\/passwd is outside the trace directories this server may open: /);
    expect(await codeOf("/no/such/path")).toBe(etc.replace("/etc/passwd", "/no/such/path"));
    expect(await codeOf("../../../../no-such")).toMatch(/^OUTSIDE_ROOTS: /);
    expect(await codeOf("sess-a\n")).toMatch(/^INVALID_PATH: /);
  });
});
