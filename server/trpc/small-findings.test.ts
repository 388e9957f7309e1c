/**
 * Issue #9 finding 7, the smaller ones that reach the API, through the HTTP handler: a
 * 1 000-deep filter (a bare 500 from a stack overflow), timeline errors naming the host's
 * absolute paths as 500s, and names with control characters.
 */
import { cpSync, mkdtempSync, rmSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TRACES } from "../testing/shared";
const dataDir = mkdtempSync(join(tmpdir(), "td-small-"));
const root = mkdtempSync(join(tmpdir(), "td-small-root-"));
process.env.TRACEDECK_DATA_DIR = dataDir;
process.env.TRACEDECK_TRACE_ROOTS = root;
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDb } from "../testing/db";
import { call, loginUsers, type Users } from "./testing";

const t = tempDb();
let users: Users;
beforeAll(async () => {
  users = await loginUsers(t.db, "small");
  // A trace whose metadata is cut in the middle of a declaration.
  cpSync(join(TRACES, "tc-scp-src"), join(root, "broken"), { recursive: true });
  truncateSync(join(root, "broken", "kernel", "metadata"), 3000);
});
afterAll(async () => {
  await t.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
});

describe("smaller findings", () => {
  it("answers a 1 000-deep filter with a typed 400 naming the bound, not a 500", async () => {
    const filter = `${"(".repeat(1000)}a${")".repeat(1000)}`;
    const r = await call(
      "sessions.enableEvent",
      "mutation",
      { session: "td-small-none", domain: "userspace", names: ["a:b"], filter },
      { cookie: users.operator, db: t.db },
    );
    expect(r.status).toBe(400);
    expect(r.message).toBe("Invalid filter at character 65: The filter is nested more than 64 levels deep");
    const bangs = await call(
      "sessions.enableEvent",
      "mutation",
      { session: "td-small-none", domain: "userspace", names: ["a:b"], filter: `${"!".repeat(4000)}a` },
      { cookie: users.operator, db: t.db },
    );
    expect(bangs.status).toBe(400);
    const plan = await call(
      "sessions.plan",
      "query",
      { create: { name: "td-small-plan" }, events: [{ domain: "userspace", names: ["a:b"], filter }] },
      { cookie: users.viewer, db: t.db },
    );
    expect(plan.status).toBe(200);
    expect(JSON.stringify(plan.body)).toContain("nested more than 64 levels deep");
  });

  it("reports an unreadable trace in the timeline as 422, with paths relative to the trace", async () => {
    const r = await call("timeline.events", "query", { trace: "broken" }, { cookie: users.viewer, db: t.db });
    expect(r.status).toBe(422);
    expect(r.message).toMatch(/^Cannot read the trace broken: /);
    expect(r.message).not.toContain(root);
    expect(r.message).toContain("kernel/metadata");
  });

  it("refuses names with DEL, C1 controls or line separators", async () => {
    for (const name of ["a\u007fb", "a\u0085b", "a\u2028b", "a\u0000b", "a\nb"]) {
      const r = await call("sessions.create", "mutation", { name, mode: "local" }, { cookie: users.operator, db: t.db });
      expect([JSON.stringify(name), r.status]).toEqual([JSON.stringify(name), 400]);
    }
  });
});
