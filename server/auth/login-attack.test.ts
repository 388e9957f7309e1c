/**
 * Issue #9 finding 4, through the HTTP handler: parallel guesses were all tried (the
 * throttle was read before bcrypt and written after), a stranger could lock `admin` out
 * from anywhere, and each refused try added an audit row without limit.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
const dataDir = mkdtempSync(join(tmpdir(), "td-login-attack-"));
process.env.TRACEDECK_DATA_DIR = dataDir;
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANONYMOUS_ROWS_PER_MINUTE } from "../audit";
import { tempDb } from "../testing/db";
import { call } from "../trpc/testing";
import { hashPassword } from "./password";

const t = tempDb();
beforeAll(async () => {
  await t.db.user.create({ data: { username: "victim", passwordHash: await hashPassword("victim-password"), role: "operator" } });
});
afterAll(async () => {
  await t.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

const login = (password: string, from: string) =>
  call("auth.login", "mutation", { username: "victim", password }, { db: t.db, headers: { "x-forwarded-for": from } });

describe("login throttling against a guesser", () => {
  it("gives twelve parallel guesses the same five tries as twelve in a row", async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => login(`guess-${i}`, "10.0.0.66")));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(7).fill(429)]);
    expect(results.find((r) => r.status === 429)?.message).toMatch(/^Too many failed logins for 'victim'; try again in 15 min\.$/);
  });

  it("refuses the guesser even the right password, but not the operator at another address", async () => {
    expect((await login("victim-password", "10.0.0.66")).status).toBe(429);
    const r = await login("victim-password", "10.0.0.1");
    expect(r.status).toBe(200);
  });

  it("writes a bounded number of audit rows for a flood of refused tries", async () => {
    const before = await t.db.auditEntry.count({ where: { action: "auth.login", userId: null } });
    for (let i = 0; i < 150; i++) expect((await login("again", "10.0.0.66")).status).toBe(429);
    const written = (await t.db.auditEntry.count({ where: { action: "auth.login", userId: null } })) - before;
    // The loop takes seconds, so it spans at most two of the one-minute windows.
    expect(written).toBeLessThanOrEqual(2 * ANONYMOUS_ROWS_PER_MINUTE);
    expect(written).toBeGreaterThan(0);
  });
});
