/**
 * The HTTP entry of tRPC; app/api/trpc/[trpc]/route.ts only forwards to it.
 *
 * Cross-site request forgery: the login cookie is SameSite=Lax, which keeps it off cross-site
 * POSTs but not off POSTs from another origin of the same site (another port on 127.0.0.1 is
 * the same site). tRPC also accepts multipart/form-data and octet-stream mutations, which an
 * HTML form or a no-cors fetch can send without any CORS preflight: a form on such a page
 * could call an input-less mutation (`workload.stopAll`, `auth.logout`). So every write must
 * be JSON (which a browser only sends cross-origin after a preflight this server never
 * grants), and an `Origin` header, when the browser sends one, must name this host.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { hostRefusal } from "../auth/host";
import type { Db } from "../db";
import { createContext } from "./init";
import { appRouter } from "./root";

/** Why `req` must not reach a procedure, or null when it may. GET carries only queries and subscriptions. */
export function crossSiteRefusal(req: Request): string | null {
  if (req.method === "GET" || req.method === "HEAD") return null;
  const type = req.headers.get("content-type")?.split(";", 1)[0]?.trim().toLowerCase();
  if (type !== "application/json") return `Refused: a ${req.method} to the API must be application/json, not ${type ?? "without a content type"}.`;
  const origin = req.headers.get("origin");
  if (origin === null) return null;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return `Refused: the request comes from an opaque origin (${origin}).`;
  }
  // Behind a reverse proxy the browser's host is in X-Forwarded-Host.
  const hosts = [req.headers.get("host"), req.headers.get("x-forwarded-host")].filter((h): h is string => h !== null);
  if (!hosts.includes(originHost)) return `Refused: the request comes from another origin (${origin}).`;
  return null;
}

/** Request bodies above this are refused unread (the largest legitimate one is a few KB). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Calls in one batched request; the client's httpBatchLink sends at most this many. */
export const MAX_BATCH_CALLS = 32;

function refuse(status: number, message: string): Response {
  return Response.json({ error: { message } }, { status });
}

/** `req` with its body read, or a 413 when the body is over MAX_BODY_BYTES (declared or actual). */
async function boundedBody(req: Request): Promise<Request | Response> {
  if (req.method === "GET" || req.method === "HEAD" || req.body === null) return req;
  const tooLarge = () => refuse(413, `Refused: the request body is larger than ${MAX_BODY_BYTES} bytes.`);
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      return tooLarge();
    }
    chunks.push(value);
  }
  return new Request(req.url, { method: req.method, headers: req.headers, body: Buffer.concat(chunks), signal: req.signal });
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Serves one tRPC HTTP request (queries over GET, mutations over POST, subscriptions over SSE). */
export async function handleTrpcRequest(request: Request, opts: { db?: Db } = {}): Promise<Response> {
  const wrongHost = hostRefusal(request.headers);
  if (wrongHost !== null) return refuse(421, wrongHost);
  const refusal = crossSiteRefusal(request);
  if (refusal !== null) return refuse(403, refusal);
  const url = new URL(request.url);
  const calls = safeDecode(url.pathname.slice(url.pathname.lastIndexOf("/") + 1)).split(",").length;
  if (calls > MAX_BATCH_CALLS) return refuse(413, `Refused: ${calls} calls in one batch; at most ${MAX_BATCH_CALLS}.`);
  const req = await boundedBody(request);
  if (req instanceof Response) return req;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    maxBatchSize: MAX_BATCH_CALLS,
    createContext: ({ resHeaders }) => createContext({ headers: req.headers, resHeaders, db: opts.db }),
  });
}
