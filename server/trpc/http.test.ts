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
    const res = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: post(formData()),
      router: appRouter,
      createContext: ({ resHeaders }) => createContext({ headers: new Headers({ cookie }), resHeaders, db: t.db }),
    });
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

describe("request limits and the Host header (issue #9)", () => {
  const me = (host: string) => new Request(`http://${host}/api/trpc/auth.me`, { headers: { host, cookie } });

  it("refuses a Host this server is not reached by (DNS rebinding), before any procedure runs", async () => {
    for (const host of ["evil.example:3000", "127.0.0.1.nip.io:3000", "127.0.0.1:3001", ""]) {
      const res = await handleTrpcRequest(me(host), { db: t.db });
      expect([host, res.status]).toEqual([host, 421]);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^Refused: /);
    }
    for (const host of ["127.0.0.1:3000", "localhost:3000", "LOCALHOST:3000", "[::1]:3000"]) {
      expect([host, (await handleTrpcRequest(me(host), { db: t.db })).status]).toEqual([host, 200]);
    }
  });

  it("refuses a body over 1 MiB, declared or not, and a batch of more than 32 calls", async () => {
    const before = await stopAllAudits();
    const big = `{"json":"${"x".repeat(1024 * 1024)}"}`;
    const declared = await handleTrpcRequest(post(big, { "content-type": "application/json" }), { db: t.db });
    expect(declared.status).toBe(413);
    // Streamed without a length: the reading stops at the bound.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 3; i++) c.enqueue(new Uint8Array(512 * 1024).fill(32));
        c.close();
      },
    });
    const chunked = new Request(`http://${HOST}/api/trpc/workload.stopAll`, {
      method: "POST",
      body: stream,
      headers: { host: HOST, cookie, "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    const res = await handleTrpcRequest(chunked, { db: t.db });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe("Refused: the request body is larger than 1048576 bytes.");
    expect(await stopAllAudits()).toBe(before);
    const paths = Array.from({ length: 33 }, () => "auth.me").join(",");
    const batch = await handleTrpcRequest(new Request(`http://${HOST}/api/trpc/${paths}?batch=1&input={}`, { headers: { host: HOST, cookie } }), { db: t.db });
    expect(batch.status).toBe(413);
    const ok = await handleTrpcRequest(
      new Request(`http://${HOST}/api/trpc/${paths.split(",").slice(1).join(",")}?batch=1&input={}`, { headers: { host: HOST, cookie } }),
      { db: t.db },
    );
    expect(ok.status).toBe(200);
  });
});
