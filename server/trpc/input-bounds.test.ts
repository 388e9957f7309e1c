/**
 * Issue #9 finding 2: a viewer stalled the server with ~1 KB of superjson whose shared
 * references expand to hundreds of millions of nodes (the audit's redaction walked them
 * before the role check refused the call). Sent here through the HTTP handler as a browser
 * would; each request must be answered with a 4xx at once, and nothing must walk the tree.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
const dataDir = mkdtempSync(join(tmpdir(), "td-bounds-"));
process.env.TRACEDECK_DATA_DIR = dataDir;
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDb } from "../testing/db";
import { INPUT_LIMITS, InputBoundsError, checkBounds } from "./input-bounds";
import { call, loginUsers, type Users } from "./testing";

const t = tempDb();
let users: Users;
beforeAll(async () => {
  users = await loginUsers(t.db, "bounds");
});
afterAll(async () => {
  await t.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * `levels` objects, each pointing four times at the next: 4^levels nodes once expanded
 * (16.7 M for 12 levels, in 2 KB). Written by hand as an attacker would: superjson.serialize
 * itself writes the expanded tree out.
 */
function referenceBomb(levels: number): unknown {
  let node: Record<string, unknown> = { name: "leaf" };
  for (let i = 0; i < levels; i++) node = { a: node, b: null, c: null, d: null };
  const equalities: Record<string, string[]> = {};
  for (let i = 0, path = "draft"; i < levels; i++, path += ".a") equalities[`${path}.a`] = [`${path}.b`, `${path}.c`, `${path}.d`];
  return { json: { name: "s1", draft: node }, meta: { referentialEqualities: equalities } };
}

/** A cycle: an object that contains itself. */
function referenceCycle(): unknown {
  const a: Record<string, unknown> = { name: "x" };
  a.self = a;
  return superjson.serialize(a);
}

/** JSON text of `levels` nested arrays (too deep for JSON.stringify to write). */
function deepArray(levels: number): string {
  return `{"json":${"[".repeat(levels)}1${"]".repeat(levels)}}`;
}

describe("input bounds", () => {
  it("the bomb is small on the wire and huge once expanded", () => {
    const bomb = referenceBomb(12);
    expect(JSON.stringify(bomb).length).toBeLessThan(4_000);
    expect(() => checkBounds(bomb)).not.toThrow();
    expect(() => checkBounds(superjson.deserialize(bomb as never))).toThrow(InputBoundsError);
  });

  it("refuses a viewer's reference bomb to an operator mutation with 403, and audits a bounded note instead of the tree", async () => {
    const before = await t.db.auditEntry.count();
    const r = await call("sessions.create", "mutation", undefined, { raw: referenceBomb(12), cookie: users.viewer, db: t.db });
    expect(r).toMatchObject({ status: 403, message: "This action needs the operator role." });
    const rows = await t.db.auditEntry.findMany({ where: { id: { gt: before } } });
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.input)).toEqual({
      unreadable: `The input (with its shared references expanded) has more than ${INPUT_LIMITS.maxNodes} values.`,
    });
  });

  it("refuses a reference bomb, a cycle, deep nesting and megabytes of text with 400 and the bound that was exceeded", async () => {
    const cases: [unknown, RegExp][] = [
      [referenceBomb(12), /shared references expanded\) has more than 20000 values/],
      [referenceCycle(), /nested more than 24 levels/],
      [deepArray(100_000), /nested more than 24 levels/],
      [{ json: { name: "x".repeat(1_000_000) } }, /more than 262144 characters/],
      [{ json: Array.from({ length: 50_000 }, () => 0) }, /more than 20000 values/],
    ];
    for (const [raw, message] of cases) {
      for (const [path, type, cookie] of [
        ["sessions.create", "mutation", users.operator],
        ["sessions.plan", "query", users.viewer],
      ] as const) {
        const r = await call(path, type, undefined, typeof raw === "string" ? { rawText: raw, cookie, db: t.db } : { raw, cookie, db: t.db });
        expect(r.status, `${path} ${String(message)}`).toBe(400);
        expect(r.message).toMatch(message);
      }
    }
    // Still answering.
    expect((await call("auth.me", "query", undefined, { cookie: users.viewer, db: t.db })).status).toBe(200);
  });

  it("lets ordinary inputs through, Dates and bigints included", async () => {
    const r = await call("sessions.plan", "query", { create: { name: "bounds-ok" } }, { cookie: users.viewer, db: t.db });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const round = superjson.deserialize(superjson.serialize({ at: new Date(0), n: 2n ** 64n }) as never);
    expect(() => checkBounds(round)).not.toThrow();
  });
});
