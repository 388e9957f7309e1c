/**
 * Issue #9 finding 5: a viewer could start any number of analyses and archive downloads.
 * Through the real analyses router and the real download handler: the third at once for one
 * user is refused with a message naming the limit, and a slot comes back when work ends.
 */
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TRACES } from "./testing/shared";
const dataDir = mkdtempSync(join(tmpdir(), "td-quota-"));
process.env.TRACEDECK_DATA_DIR = dataDir;
process.env.TRACEDECK_TRACE_ROOTS = realpathSync(TRACES);
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDb } from "./testing/db";
const t = tempDb();
// The download handler uses the process-wide database.
process.env.DATABASE_URL = `file:${t.file}`;
import { closeAnalysisPool } from "./analysis";
import { handleArchiveDownload } from "./archives/http";
import { createContext } from "./trpc/init";
import { createCaller } from "./trpc/root";
import { defaultHost, loginUsers, type Users } from "./trpc/testing";

let users: Users;
beforeAll(async () => {
  users = await loginUsers(t.db, "quota");
});
afterAll(async () => {
  await closeAnalysisPool();
  await t.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

async function viewer() {
  return createCaller(await createContext({ headers: new Headers({ cookie: users.viewer }), db: t.db }));
}

describe("per-user limits on heavy work", () => {
  it("refuses a third concurrent analysis for one user, and frees the slot when one ends", async () => {
    const c = await viewer();
    const run = async () => (await c.analyses.run({ trace: "tc-many-threads", analysis: "iolog", options: {} }))[Symbol.asyncIterator]();
    const first = await run();
    const second = await run();
    expect((await first.next()).value).toMatchObject({ type: "started" });
    expect((await second.next()).value).toMatchObject({ type: "started" });
    const third = await run();
    await expect(third.next()).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: "You already have 2 analyses running (the limit per user); wait for one to end.",
    });
    await first.return!(undefined);
    const fourth = await run();
    expect((await fourth.next()).value).toMatchObject({ type: "started" });
    await Promise.all([second.return!(undefined), fourth.return!(undefined)]);
  });

  it("refuses a third concurrent download for one user with 429, and frees the slot when a download is cancelled", async () => {
    const host = defaultHost();
    const get = () => handleArchiveDownload(new Request(`http://${host}/api/archives/download?path=tc-scp-src`, { headers: { host, cookie: users.viewer } }));
    const [a, b] = [await get(), await get()];
    expect([a.status, b.status]).toEqual([200, 200]);
    const refused = await get();
    expect(refused.status).toBe(429);
    expect(await refused.text()).toBe("You already have 2 downloads running (the limit per user); wait for one to end.\n");
    await a.body!.cancel();
    // The slot is freed when the packer has closed its files, which a busy machine may take a while to do.
    let again = await get();
    for (const deadline = Date.now() + 10_000; again.status === 429 && Date.now() < deadline; again = await get()) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(again.status).toBe(200);
    await Promise.all([b.body!.cancel(), again.body!.cancel()]);
  });

  it("refuses a trace root as one trace to download", async () => {
    const host = defaultHost();
    // Another user than the test above: its cancelled downloads free their slots a moment later.
    const res = await handleArchiveDownload(
      new Request(`http://${host}/api/archives/download?path=${encodeURIComponent(realpathSync(TRACES))}`, { headers: { host, cookie: users.operator } }),
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/holds the traces of several sessions/);
  });
});
