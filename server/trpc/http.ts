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

/** Serves one tRPC HTTP request (queries over GET, mutations over POST, subscriptions over SSE). */
export function handleTrpcRequest(req: Request, opts: { db?: Db } = {}): Promise<Response> | Response {
  const refusal = crossSiteRefusal(req);
  if (refusal !== null) return Response.json({ error: { message: refusal } }, { status: 403 });
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: ({ resHeaders }) => createContext({ headers: req.headers, resHeaders, db: opts.db }),
  });
}
