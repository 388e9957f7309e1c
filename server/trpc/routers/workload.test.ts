import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapAdmin } from "../../auth/bootstrap";
import { SESSION_COOKIE } from "../../auth/sessions";
import { tempDb } from "../../testing/db";
import { demoWorkloads } from "../../workload/manager";
import { createContext } from "../init";
import { createCaller } from "../root";

// The server's manager puts its processes' temp files under the data directory.
const dataDir = mkdtempSync(join(tmpdir(), "tracedeck-wl-router-"));
process.env.TRACEDECK_DATA_DIR = dataDir;
const t = tempDb();
afterAll(async () => {
  await demoWorkloads().stopAll();
  await t.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

async function loggedIn(username: string, password: string) {
  const resHeaders = new Headers();
  await createCaller(await createContext({ headers: new Headers(), resHeaders, db: t.db })).auth.login({ username, password });
  const token = /td_session=([^;]*)/.exec(resHeaders.get("set-cookie") ?? "")?.[1];
  return createCaller(await createContext({ headers: new Headers({ cookie: `${SESSION_COOKIE}=${token}` }), db: t.db }));
}

describe("workload router", () => {
  beforeAll(async () => {
    await bootstrapAdmin(t.db, "correct horse battery");
  });

  it("lets an operator start, watch and stop a demo workload, and audits both actions", async () => {
    const op = await loggedIn("admin", "correct horse battery");
    const started = await op.workload.start({ rate: 200, duration: 0, slowEvery: 50, slowMs: 2 });
    expect(started).toMatchObject({ state: "running", kind: "native", options: { rate: 200, threads: 2 } });
    const status = await op.workload.status();
    expect(status.running).toBe(1);
    expect(status.processes[0]?.id).toBe(started.id);
    expect(status.limits.rate.max).toBe(500_000);

    const stopped = await op.workload.stop({ id: started.id });
    expect(stopped).toMatchObject({ state: "exited", exitCode: 0 });
    await expect(op.workload.stop({ id: 9999 })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const audit = await t.db.auditEntry.findMany({ where: { action: { startsWith: "workload." } }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.ok])).toEqual([
      ["workload.start", true],
      ["workload.stop", true],
      ["workload.stop", false],
    ]);
  });

  it("rejects unbounded options, anonymous callers and viewers", async () => {
    const op = await loggedIn("admin", "correct horse battery");
    await expect(op.workload.start({ rate: 0 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(op.workload.start({ threads: 1000 })).rejects.toMatchObject({ code: "BAD_REQUEST" });

    const anon = createCaller(await createContext({ headers: new Headers(), db: t.db }));
    await expect(anon.workload.status()).rejects.toMatchObject({ code: "UNAUTHORIZED" });

    await op.auth.createUser({ username: "watcher", password: "viewer-password", role: "viewer" });
    const viewer = await loggedIn("watcher", "viewer-password");
    expect((await viewer.workload.status()).maxRunning).toBe(4);
    await expect(viewer.workload.start({ rate: 10 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(demoWorkloads().runningCount()).toBe(0);
  });
});
