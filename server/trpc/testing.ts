/**
 * Test helpers: HTTP requests to the tRPC endpoint as a browser sends them (superjson input,
 * Host, cookie), an operator and a viewer logged in on a test database. Imported only by tests.
 */
import superjson from "superjson";
import { hashPassword } from "../auth/password";
import { SESSION_COOKIE, login } from "../auth/sessions";
import type { Db } from "../db";
import { config } from "../config";
import { handleTrpcRequest } from "./http";

/** The Host a browser on the default set-up sends (config() host and port). */
export function defaultHost(): string {
  return `${config().host}:${config().port}`;
}

export interface Users {
  operator: string;
  viewer: string;
}

/** Creates an operator and a viewer and returns their session cookies. */
export async function loginUsers(db: Db, tag = "t"): Promise<Users> {
  const out: Record<string, string> = {};
  for (const role of ["operator", "viewer"] as const) {
    const username = `${tag}-${role}`;
    await db.user.create({ data: { username, passwordHash: await hashPassword(`${role}-password`), role } });
    const r = await login(db, username, `${role}-password`);
    if (!r.ok) throw new Error(`cannot log ${username} in`);
    out[role] = `${SESSION_COOKIE}=${r.token}`;
  }
  return out as unknown as Users;
}

export interface CallOptions {
  cookie?: string;
  host?: string;
  headers?: Record<string, string>;
  /** The raw JSON body/query value instead of superjson.serialize(input). */
  raw?: unknown;
  /** The JSON text itself (for documents too deep for JSON.stringify). */
  rawText?: string;
  db: Db;
}

export interface CallResult {
  status: number;
  body: unknown;
  /** The error message tRPC returned, when it failed. */
  message: string | null;
}

/** One non-batched call: a query or subscription over GET, a mutation over POST. */
export async function call(path: string, type: "query" | "mutation" | "subscription", input: unknown, opts: CallOptions): Promise<CallResult> {
  const host = opts.host ?? defaultHost();
  const raw = opts.raw !== undefined ? opts.raw : input === undefined ? undefined : superjson.serialize(input);
  const text = opts.rawText ?? (raw === undefined ? undefined : JSON.stringify(raw));
  const headers: Record<string, string> = { host, ...(opts.cookie ? { cookie: opts.cookie } : {}), ...opts.headers };
  let req: Request;
  if (type === "mutation") {
    req = new Request(`http://${host}/api/trpc/${path}`, { method: "POST", body: text ?? "", headers: { "content-type": "application/json", ...headers } });
  } else {
    const q = text === undefined ? "" : `?input=${encodeURIComponent(text)}`;
    req = new Request(`http://${host}/api/trpc/${path}${q}`, { headers });
  }
  const ac = new AbortController();
  const res = await handleTrpcRequest(new Request(req, { signal: ac.signal }), { db: opts.db });
  let body: unknown;
  if (type === "subscription" && res.status === 200) {
    // An SSE stream: read past tRPC's "connected" event to the first real one (data or error).
    const reader = res.body!.getReader();
    let text = "";
    for (let i = 0; i < 16 && !/serialized-error/.test(text) && (text.match(/^data: /gm) ?? []).length < 2; i++) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    body = text;
    ac.abort();
    await reader.cancel().catch(() => undefined);
  } else {
    const out = await res.text();
    try {
      body = JSON.parse(out);
    } catch {
      body = out;
    }
  }
  const err = (body as { error?: { json?: { message?: string }; message?: string } } | null)?.error;
  return { status: res.status, body, message: err?.json?.message ?? err?.message ?? null };
}
