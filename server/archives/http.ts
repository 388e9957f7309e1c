import { basename } from "node:path";
import { Readable } from "node:stream";
import { z } from "zod";
import { hostRefusal } from "../auth/host";
import { SESSION_COOKIE, readCookie, userFromToken } from "../auth/sessions";
import { db } from "../db";
import { downloadQuota } from "../quota";
import { TraceCatalogError, resolveTracePath } from "../traces/catalog";
import { packTraceDir } from "./download";

const Query = z.object({ path: z.string().min(1).max(4096) });

const STATUS: Record<TraceCatalogError["code"], number> = { INVALID_PATH: 400, NOT_FOUND: 404, OUTSIDE_ROOTS: 403, NOT_A_TRACE: 400 };

function text(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/**
 * GET /api/archives/download?path=…: a logged-in user downloads a trace directory under the
 * trace roots as `<dir>.tar.gz`, streamed. A plain route rather than tRPC: the browser saves
 * the response body as a file.
 */
export async function handleArchiveDownload(req: Request): Promise<Response> {
  const wrongHost = hostRefusal(req.headers);
  if (wrongHost !== null) return text(421, wrongHost);
  const user = await userFromToken(db(), readCookie(req.headers.get("cookie"), SESSION_COOKIE));
  if (!user) return text(401, "Log in first.");
  const q = Query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!q.success) return text(400, "Give the trace directory as ?path=….");
  let dir: string;
  try {
    dir = await resolveTracePath(q.data.path);
  } catch (e) {
    if (e instanceof TraceCatalogError) return text(STATUS[e.code], e.message);
    throw e;
  }
  const slot = downloadQuota.acquire(user.id);
  if (!slot.ok) return text(429, slot.message);
  const name = `${basename(dir).replace(/[^\w.+-]/g, "_")}.tar.gz`;
  const body = packTraceDir(dir);
  // Ends, fails or is cancelled by the browser: the slot is free again.
  body.once("close", () => slot.release());
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, {
    headers: {
      "content-type": "application/gzip",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
    },
  });
}
