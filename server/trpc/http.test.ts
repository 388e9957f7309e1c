import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapAdmin } from "../auth/bootstrap";
import { SESSION_COOKIE, login } from "../auth/sessions";
import { tempDb } from "../testing/db";
import { handleTrpcRequest } from "./http";
import { createContext } from "./init";
import { appRouter } from "./root";

const t = tempDb();
afterAll(() => t.cleanup());

const HOST = "127.0.0.1:3000";
let cookie = "";
beforeAll(async () => {
  await bootstrapAdmin(t.db, "correct horse battery");
  const r = await login(t.db, "admin", "correct horse battery");
  if (!r.ok) throw new Error("login failed");
  cookie = `${SESSION_COOKIE}=${r.token}`;
});

/** A POST to an input-less operator mutation, as a browser would send it. */
function post(body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request(`http://${HOST}/api/trpc/workload.stopAll`, { method: "POST", body, headers: { host: HOST, cookie, ...headers } });
}
const stopAllAudits = () => t.db.auditEntry.count({ where: { action: "workload.stopAll" } });
function formData(): FormData {
  const f = new FormData();
  f.set("x", "1");
  return f;
}

describe("cross-site writes to the tRPC endpoint", () => {
  it("tRPC alone runs a mutation posted as an HTML form would (multipart, no preflight): the reason for the check", async () => {
    const before = await stopAllAudits();
    const res = await fetchRequestHandler({ endpoint: "/api/trpc", req: post(formData()), router: appRouter, createContext: ({ resHeaders }) => createContext({ headers: new Headers({ cookie }), resHeaders, db: t.db }) });
    expect(res.status).toBe(200);
    expect(await stopAllAudits()).toBe(before + 1);
  });

  it("refuses form-encoded, multipart and text/plain writes before any procedure runs", async () => {
    const before = await stopAllAudits();
    for (const req of [
      post(formData()),
      post("x=1", { "content-type": "application/x-www-form-urlencoded" }),
      post("{}", { "content-type": "text/plain" }),
      post(new Uint8Array([1]), { "content-type": "application/octet-stream" }),
    ]) {
      const res = await handleTrpcRequest(req, { db: t.db });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/must be application\/json/);
    }
    expect(await stopAllAudits()).toBe(before);
  });

  it("refuses a JSON write whose Origin is another origin of the same site, or opaque", async () => {
    const before = await stopAllAudits();
    for (const origin of ["http://127.0.0.1:8080", "http://evil.example", "null"]) {
      const res = await handleTrpcRequest(post("{}", { "content-type": "application/json", origin }), { db: t.db });
      expect(res.status).toBe(403);
    }
    expect(await stopAllAudits()).toBe(before);
  });

  it("lets the dashboard's own JSON writes through (same origin, or no Origin header), and queries over GET", async () => {
    const before = await stopAllAudits();
    const same = await handleTrpcRequest(post("{}", { "content-type": "application/json", origin: `http://${HOST}` }), { db: t.db });
    expect(same.status).toBe(200);
    const noOrigin = await handleTrpcRequest(post("{}", { "content-type": "application/json; charset=utf-8" }), { db: t.db });
    expect(noOrigin.status).toBe(200);
    expect(await stopAllAudits()).toBe(before + 2);
    const me = await handleTrpcRequest(new Request(`http://${HOST}/api/trpc/auth.me`, { headers: { host: HOST, cookie } }), { db: t.db });
    expect(me.status).toBe(200);
    expect(JSON.stringify(await me.json())).toContain('"username":"admin"');
  });
});
