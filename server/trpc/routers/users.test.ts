/**
 * Issue 11 item 12: operators change roles, disable and delete users through the auth router,
 * on a real SQLite file; every call is audited, viewers are refused, and the last enabled
 * operator can be neither demoted, disabled nor deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapAdmin } from "../../auth/bootstrap";
import { tempDb } from "../../testing/db";
import { createContext } from "../init";
import { createCaller } from "../root";

const t = tempDb();
afterAll(() => t.cleanup());

/**
 * Logs in and returns that browser: `.as()` is a caller for its next request (the context,
 * user included, is made per request, as over HTTP).
 */
async function loggedIn(username: string, password: string) {
  const resHeaders = new Headers();
  await createCaller(await createContext({ headers: new Headers(), resHeaders, db: t.db })).auth.login({ username, password });
  const cookie = /td_session=[^;]*/.exec(resHeaders.get("set-cookie") ?? "")![0];
  return { as: async () => createCaller(await createContext({ headers: new Headers({ cookie }), db: t.db })) };
}
const anonymous = async () => createCaller(await createContext({ headers: new Headers(), db: t.db }));

describe("user management", () => {
  let admin: Awaited<ReturnType<typeof loggedIn>>;
  beforeAll(async () => {
    await bootstrapAdmin(t.db, "correct horse battery");
    admin = await loggedIn("admin", "correct horse battery");
  });
  const idOf = async (name: string) => (await (await admin.as()).auth.users()).find((u) => u.username === name)!.id;

  it("never leaves zero enabled operators", async () => {
    const me = await idOf("admin");
    await expect((await admin.as()).auth.setUserRole({ id: me, role: "viewer" })).rejects.toThrow(
      "admin is the only enabled operator and cannot be made a viewer: make another user an operator first.",
    );
    await expect((await admin.as()).auth.setUserDisabled({ id: me, disabled: true })).rejects.toThrow(/only enabled operator and cannot be disabled/);
    await expect((await admin.as()).auth.deleteUser({ id: me })).rejects.toThrow(/only enabled operator and cannot be deleted/);
    expect((await (await admin.as()).auth.users()).find((u) => u.id === me)).toMatchObject({ role: "operator", disabledAt: null });
    const audit = await (await admin.as()).auth.audit({ limit: 3 });
    expect(audit.map((a) => [a.action, a.ok])).toEqual([
      ["auth.deleteUser", false],
      ["auth.setUserDisabled", false],
      ["auth.setUserRole", false],
    ]);
    expect(audit[0]!.message).toMatch(/only enabled operator/);
  });

  it("changes a role, which applies to the user's next request, and viewers may not", async () => {
    await (await admin.as()).auth.createUser({ username: "carol", password: "carol-password", role: "viewer" });
    const carol = await loggedIn("carol", "carol-password");
    await expect((await carol.as()).auth.setUserRole({ id: await idOf("carol"), role: "operator" })).rejects.toThrow("This action needs the operator role.");
    expect(await (await admin.as()).auth.setUserRole({ id: await idOf("carol"), role: "operator" })).toMatchObject({ username: "carol", role: "operator" });
    expect(await (await carol.as()).auth.me()).toMatchObject({ username: "carol", role: "operator" });
    // Now that carol is an operator, admin may step down.
    expect(await (await carol.as()).auth.setUserRole({ id: await idOf("admin"), role: "viewer" })).toMatchObject({ role: "viewer" });
    expect(await (await carol.as()).auth.setUserRole({ id: await idOf("admin"), role: "operator" })).toMatchObject({ role: "operator" });
  });

  it("disabling ends the user's logins and refuses new ones; enabling lets them back in", async () => {
    await (await admin.as()).auth.createUser({ username: "dave", password: "dave-password", role: "viewer" });
    const dave = await loggedIn("dave", "dave-password");
    expect(await (await dave.as()).auth.me()).toMatchObject({ username: "dave" });
    expect(await (await admin.as()).auth.setUserDisabled({ id: await idOf("dave"), disabled: true })).toMatchObject({ disabledAt: expect.any(Date) });
    expect(await (await dave.as()).auth.me()).toBeNull();
    await expect((await anonymous()).auth.login({ username: "dave", password: "dave-password" })).rejects.toThrow(
      "This account is disabled: ask an operator to enable it.",
    );
    // A wrong password still says only that: a disabled account is not revealed to a guesser.
    await expect((await anonymous()).auth.login({ username: "dave", password: "wrong-password" })).rejects.toThrow("Wrong user name or password.");
    await (await admin.as()).auth.setUserDisabled({ id: await idOf("dave"), disabled: false });
    expect(await (await (await loggedIn("dave", "dave-password")).as()).auth.me()).toMatchObject({ username: "dave" });
  });

  it("deleting removes the user and its logins; its audit entries stay without a user", async () => {
    await (await admin.as()).auth.createUser({ username: "erin", password: "erin-password", role: "operator" });
    const erin = await loggedIn("erin", "erin-password");
    await (await erin.as()).auth.setUserRole({ id: await idOf("dave"), role: "viewer" });
    const id = await idOf("erin");
    expect(await (await admin.as()).auth.deleteUser({ id })).toBe(true);
    expect((await (await admin.as()).auth.users()).map((u) => u.username)).not.toContain("erin");
    expect(await (await erin.as()).auth.me()).toBeNull();
    const kept = await t.db.auditEntry.findMany({
      where: { action: "auth.setUserRole", input: { contains: `"role":"viewer"` } },
      orderBy: { id: "desc" },
      take: 1,
    });
    expect(kept[0]).toMatchObject({ ok: true, userId: null });
    await expect((await admin.as()).auth.deleteUser({ id })).rejects.toThrow(`There is no user with id ${id}.`);
  });
});
