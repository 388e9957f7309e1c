/**
 * Issue #9: every procedure declares its role, and the API (not only the UI) refuses viewers
 * every mutation. The router is walked, so a procedure added later is covered without
 * touching this file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
const dataDir = mkdtempSync(join(tmpdir(), "td-roles-"));
process.env.TRACEDECK_DATA_DIR = dataDir;
import { initTRPC } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDb } from "../testing/db";
import type { Meta } from "./init";
import { appRouter } from "./root";
import { call, loginUsers, type Users } from "./testing";

const t = tempDb();
let users: Users;
beforeAll(async () => {
  users = await loginUsers(t.db, "roles");
});
afterAll(async () => {
  await t.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The only procedures anyone may call without logging in. */
const PUBLIC = new Set(["auth.me", "auth.needsSetup", "auth.login", "auth.logout", "auth.setup"]);

interface ProcedureLike {
  _def: { type: "query" | "mutation" | "subscription"; meta?: Partial<Meta> };
}

/** What is wrong with the roles of a router's procedures (empty when nothing is). */
function roleProblems(router: { _def: { procedures: object } }): string[] {
  const problems: string[] = [];
  for (const [path, p] of Object.entries(router._def.procedures as Record<string, ProcedureLike>)) {
    const role = p._def.meta?.role;
    if (role === undefined) problems.push(`${path}: no role declared (build it from publicProcedure, protectedProcedure or operatorProcedure)`);
    else if (role === "public" && !PUBLIC.has(path)) problems.push(`${path}: public, but not one of the login/set-up procedures`);
    else if (p._def.type === "mutation" && role === "viewer") problems.push(`${path}: a mutation open to viewers`);
  }
  return problems;
}

// Typed as the nested record, but tRPC keeps the flat "a.b" map here at run time.
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, ProcedureLike>);
const operatorMutations = procedures.filter(([, p]) => p._def.type === "mutation" && p._def.meta?.role === "operator").map(([path]) => path);

describe("procedure roles", () => {
  it("the check catches a procedure built without a role, and a mutation open to viewers", () => {
    const raw = initTRPC.meta<Meta>().create();
    const bad = raw.router({ forgotten: raw.procedure.query(() => 1), open: raw.procedure.meta({ role: "viewer" }).mutation(() => 1) });
    expect(roleProblems(bad)).toEqual([
      "forgotten: no role declared (build it from publicProcedure, protectedProcedure or operatorProcedure)",
      "open: a mutation open to viewers",
    ]);
  });

  it("every procedure of the app router declares a role; mutations need an operator unless they are login/set-up", () => {
    expect(procedures.length).toBeGreaterThan(40);
    expect(roleProblems(appRouter)).toEqual([]);
    expect(operatorMutations).toEqual(
      expect.arrayContaining(["sessions.create", "sessions.destroy", "triggers.add", "triggers.remove", "daemons.stop", "workload.start", "auth.createUser"]),
    );
  });

  it("refuses a viewer every operator mutation over HTTP, before reading its input, and audits the refusal", async () => {
    const before = await t.db.auditEntry.count();
    for (const path of operatorMutations) {
      const r = await call(path, "mutation", { name: "x" }, { cookie: users.viewer, db: t.db });
      expect([path, r.status, r.message]).toEqual([path, 403, "This action needs the operator role."]);
    }
    const refused = await t.db.auditEntry.findMany({ where: { id: { gt: before } } });
    expect(refused.map((a) => a.action).sort()).toEqual([...operatorMutations].sort());
    expect(refused.every((a) => !a.ok)).toBe(true);
  });

  it("refuses an anonymous caller every procedure but the public ones", async () => {
    for (const [path, p] of procedures) {
      if (PUBLIC.has(path) || p._def.type === "subscription") continue;
      const r = await call(path, p._def.type, undefined, { db: t.db });
      expect([path, r.status]).toEqual([path, 401]);
    }
  });
});
