/** `tracedeck hosts` end to end: a real sshd, a real SQLite file. */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDb } from "../testing/db";
import { hostsCli } from "./cli";
import { TestSshd } from "./testing/sshd";

const sshd = new TestSshd();
const store = tempDb();

function io() {
  const o = { out: "", err: "" };
  return { o, io: { out: (s: string) => void (o.out += s), err: (s: string) => void (o.err += s) } };
}

beforeAll(async () => {
  await sshd.start();
});
afterAll(async () => {
  delete process.env.TRACEDECK_SECRET_KEY;
  await sshd.dispose();
  await store.cleanup();
});

describe("tracedeck hosts", () => {
  it("says what is missing: the secret key, then bad usage", async () => {
    delete process.env.TRACEDECK_SECRET_KEY;
    const a = io();
    expect(await hostsCli(["add", "h1", "--address", "127.0.0.1", "--port", String(sshd.port), "--key", sshd.userKey], a.io, store.db)).toBe(1);
    expect(a.o.err).toMatch(/TRACEDECK_SECRET_KEY is not set/);
    const b = io();
    expect(await hostsCli(["add", "h1"], b.io, store.db)).toBe(2);
    expect(b.o.err).toMatch(/usage: tracedeck hosts/);
  });

  it("adds, lists, tests and removes a host", async () => {
    process.env.TRACEDECK_SECRET_KEY = randomBytes(32).toString("base64");
    const add = io();
    expect(await hostsCli(["add", "h1", "--address", "127.0.0.1", "--port", String(sshd.port), "--key", sshd.userKey], add.io, store.db)).toBe(0);
    expect(add.o.out).toContain(`pinned host key ${sshd.hostFingerprint}`);
    const list = io();
    expect(await hostsCli(["list", "--json"], list.io, store.db)).toBe(0);
    const hosts = JSON.parse(list.o.out) as { name: string; hostKeyFingerprint: string | null }[];
    expect(hosts.map((h) => [h.name, h.hostKeyFingerprint])).toEqual([
      ["local", null],
      ["h1", sshd.hostFingerprint],
    ]);
    expect(list.o.out).not.toContain("PRIVATE");
    const test = io();
    expect(await hostsCli(["test", "h1"], test.io, store.db)).toBe(0);
    expect(test.o.out).toMatch(/h1: up, LTTng 2\./);
    const groups = io();
    expect(await hostsCli(["groups", "h1", "web", "eu", "web"], groups.io, store.db)).toBe(0);
    expect(groups.o.out).toBe("h1: groups eu, web\n");
    const listed = io();
    expect(await hostsCli(["list"], listed.io, store.db)).toBe(0);
    expect(listed.o.out).toMatch(/^h1 .*\[eu,web\]/m);
    const bad = io();
    expect(await hostsCli(["groups", "h1", "No Spaces"], bad.io, store.db)).toBe(2);
    expect(bad.o.err).toMatch(/Lower-case letters/);
    const none = io();
    expect(await hostsCli(["groups", "h1"], none.io, store.db)).toBe(0);
    expect(none.o.out).toBe("h1: in no group\n");
    const rm = io();
    expect(await hostsCli(["rm", "h1"], rm.io, store.db)).toBe(0);
    const gone = io();
    expect(await hostsCli(["test", "h1"], gone.io, store.db)).toBe(1);
    expect(gone.o.err).toMatch(/No host named h1/);
  });
});
