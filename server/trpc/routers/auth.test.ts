import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapAdmin } from "../../auth/bootstrap";
import { SESSION_COOKIE } from "../../auth/sessions";
import { tempDb } from "../../testing/db";
import { createContext } from "../init";
import { createCaller } from "../root";

const t = tempDb();
afterAll(() => t.cleanup());

async function callerWith(cookie?: string) {
  const resHeaders = new Headers();
  const headers = new Headers(cookie ? { cookie } : {});
  return { caller: createCaller(await createContext({ headers, resHeaders, db: t.db })), resHeaders };
}
function tokenFrom(resHeaders: Headers): string {
  const m = /td_session=([^;]*)/.exec(resHeaders.get("set-cookie") ?? "");
  if (!m?.[1]) throw new Error("no session cookie set");
  return m[1];
}

describe("auth router on a real SQLite database", () => {
  beforeAll(async () => {
    expect(await bootstrapAdmin(t.db, "correct horse battery")).toEqual({ kind: "admin-created", username: "admin" });
    expect(await bootstrapAdmin(t.db, "ignored now")).toEqual({ kind: "ready" });
  });

  it("rejects a wrong password without setting a cookie", async () => {
    const { caller, resHeaders } = await callerWith();
    await expect(caller.auth.login({ username: "admin", password: "nope" })).rejects.toThrow(/Wrong user name or password/);
    await expect(caller.auth.login({ username: "ghost", password: "nope" })).rejects.toThrow(/Wrong user name or password/);
    expect(resHeaders.get("set-cookie")).toBeNull();
  });

  it("logs in with an httpOnly SameSite cookie, and the cookie identifies the user", async () => {
    const { caller, resHeaders } = await callerWith();
    const user = await caller.auth.login({ username: "admin", password: "correct horse battery" });
    expect(user).toMatchObject({ username: "admin", role: "operator" });
    const cookie = resHeaders.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const token = tokenFrom(resHeaders);
    // Only the token's hash is stored.
    const rows = await t.db.loginSession.findMany();
    expect(rows.some((r) => r.id === token)).toBe(false);
    const me = (await callerWith(`${SESSION_COOKIE}=${token}`)).caller;
    expect(await me.auth.me()).toMatchObject({ username: "admin" });
    await me.auth.logout();
    expect(await (await callerWith(`${SESSION_COOKIE}=${token}`)).caller.auth.me()).toBeNull();
  });

  it("keeps viewers from operator actions and audits operator actions", async () => {
    const admin = await callerWith();
    await admin.caller.auth.login({ username: "admin", password: "correct horse battery" });
    const op = (await callerWith(`${SESSION_COOKIE}=${tokenFrom(admin.resHeaders)}`)).caller;
    await op.auth.createUser({ username: "oncall", password: "viewer-password", role: "viewer" });
    await expect(op.auth.createUser({ username: "oncall", password: "viewer-password", role: "viewer" })).rejects.toThrow(/already exists/);
    await expect(op.auth.createUser({ username: "bad/name", password: "viewer-password", role: "viewer" })).rejects.toThrow();

    const v = await callerWith();
    await v.caller.auth.login({ username: "oncall", password: "viewer-password" });
    const viewer = (await callerWith(`${SESSION_COOKIE}=${tokenFrom(v.resHeaders)}`)).caller;
    await expect(viewer.auth.createUser({ username: "x", password: "12345678", role: "operator" })).rejects.toThrow(/operator role/);
    const anon = (await callerWith()).caller;
    await expect(anon.auth.users()).rejects.toThrow(/Log in/);

    // Every attempt is audited, refused ones included; the password never is.
    const audit = await t.db.auditEntry.findMany({ where: { action: "auth.createUser" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.ok)).toEqual([true, false, false, false]);
    expect(audit[1]?.message).toMatch(/already exists/);
    expect(audit[3]?.message).toMatch(/operator role/);
    for (const a of audit) expect(a.input).not.toMatch(/viewer-password|12345678/);
    expect(audit[0]?.input).toContain('"password":"***"');
  });
});

describe("first run without an admin password", () => {
  it("issues a one-time set-up token that creates the first operator once", async () => {
    const t2 = tempDb();
    try {
      const r = await bootstrapAdmin(t2.db, undefined);
      expect(r.kind).toBe("setup-link");
      if (r.kind !== "setup-link") return;
      const { caller } = await (async () => {
        const resHeaders = new Headers();
        return { caller: createCaller(await createContext({ headers: new Headers(), resHeaders, db: t2.db })) };
      })();
      expect(await caller.auth.needsSetup()).toBe(true);
      await expect(caller.auth.setup({ token: "wrong-token-xyz", username: "root", password: "long enough" })).rejects.toThrow(/invalid/);
      expect(await caller.auth.setup({ token: r.token, username: "root", password: "long enough" })).toBe(true);
      await expect(caller.auth.setup({ token: r.token, username: "root2", password: "long enough" })).rejects.toThrow(/invalid/);
      const users = await t2.db.user.findMany();
      expect(users.map((u) => [u.username, u.role])).toEqual([["root", "operator"]]);
      // Set-up attempts are audited without the token or the password.
      const audit = await t2.db.auditEntry.findMany({ where: { action: "auth.setup" }, orderBy: { id: "asc" } });
      expect(audit.map((a) => a.ok)).toEqual([false, true, false]);
      for (const a of audit) expect(a.input).not.toMatch(/long enough|wrong-token|token/);
    } finally {
      await t2.cleanup();
    }
  });
});

describe("login throttling", () => {
  it("refuses even the right password after 5 failures for that name, and says so in the audit log", async () => {
    await bootstrapAdmin(t.db, "correct horse battery");
    const admin = await callerWith();
    await admin.caller.auth.login({ username: "admin", password: "correct horse battery" });
    const op = (await callerWith(`${SESSION_COOKIE}=${tokenFrom(admin.resHeaders)}`)).caller;
    await op.auth.createUser({ username: "victim", password: "victim-password", role: "viewer" });
    const { caller } = await callerWith();
    for (let i = 0; i < 5; i++) await expect(caller.auth.login({ username: "victim", password: "guess" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(caller.auth.login({ username: "victim", password: "victim-password" })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringMatching(/Too many failed logins for 'victim'/),
    });
    // Other names are not affected.
    expect(await caller.auth.login({ username: "admin", password: "correct horse battery" })).toMatchObject({ username: "admin" });
    const throttled = await t.db.auditEntry.findMany({ where: { action: "auth.login", message: "throttled" } });
    expect(throttled.map((a) => a.input)).toEqual(['{"username":"victim"}']);
  });
});

describe("audit input redaction", () => {
  it("masks secret-looking fields at any depth and bounds what it stores", async () => {
    const { redact } = await import("../init");
    expect(redact({ name: "s", password: "p", nested: [{ setupToken: "t", keep: 1 }], deep: { apiSecret: "x" } })).toEqual({
      name: "s",
      password: "***",
      nested: [{ setupToken: "***", keep: 1 }],
      deep: { apiSecret: "***" },
    });
    const { audit } = await import("../../audit");
    await audit(t.db, null, "test.big", { blob: "x".repeat(100_000) }, false);
    const row = await t.db.auditEntry.findFirst({ where: { action: "test.big" } });
    expect(row?.input.length).toBeLessThanOrEqual(4001);
  });
});

describe("a locked database", () => {
  it("does not hide an operator action's result when its audit entry cannot be written", { timeout: 30_000 }, async () => {
    await bootstrapAdmin(t.db, "correct horse battery");
    const admin = await callerWith();
    await admin.caller.auth.login({ username: "admin", password: "correct horse battery" });
    const op = (await callerWith(`${SESSION_COOKIE}=${tokenFrom(admin.resHeaders)}`)).caller;
    const before = await t.db.auditEntry.count();
    // Another process holding the write lock past SQLite's busy timeout (5 s).
    const Database = (await import("better-sqlite3")).default;
    const holder = new Database(t.file);
    holder.exec("BEGIN EXCLUSIVE");
    try {
      expect((await op.workload.stopAll()).running).toBe(0);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    expect(await t.db.auditEntry.count()).toBe(before);
  });
});
