import { createReadStream } from "node:fs";
import { basename } from "node:path";
import { Readable } from "node:stream";
import { z } from "zod";
import { hostRefusal } from "../auth/host";
import { SESSION_COOKIE, readCookie, userFromToken } from "../auth/sessions";
import { db } from "../db";
import { downloadQuota } from "../quota";
import { TraceCatalogError, resolveTracePath } from "../traces/catalog";
import { packTraceDir } from "./download";
import { ArchiveError, archiveDir, archiveFile, getArchiveRow, type ArchiveErrorCode } from "./store";

const Query = z.union([
  z
    .object({
      id: z
        .string()
        .regex(/^\d{1,9}$/, "id must be a number")
        .transform(Number),
      file: z.string().min(1).max(1024).optional(),
    })
    .strict(),
  z.object({ path: z.string().min(1).max(4096) }).strict(),
]);

const TRACE_STATUS: Record<TraceCatalogError["code"], number> = { INVALID_PATH: 400, NOT_FOUND: 404, OUTSIDE_ROOTS: 403, NOT_A_TRACE: 400, UNREADABLE: 422 };
const ARCHIVE_STATUS: Record<ArchiveErrorCode, number> = { NOT_FOUND: 404, INVALID_PATH: 400, OUTSIDE_ROOTS: 403, GONE: 410, BUSY: 409 };

function text(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

const safeName = (s: string) => s.replace(/[^\w.+-]/g, "_");

function stream(body: Readable, release: () => void, name: string, type: string, size?: number): Response {
  // Ends, fails or is cancelled by the browser: the download slot is free again.
  body.once("close", release);
  const headers: Record<string, string> = { "content-type": type, "content-disposition": `attachment; filename="${name}"`, "cache-control": "no-store" };
  if (size !== undefined) headers["content-length"] = String(size);
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, { headers });
}

/**
 * GET /api/archives/download?id=N (the whole archive as `<dir>.tar.gz`, streamed),
 * ?id=N&file=REL (one file of it), or ?path=P (a trace directory under the roots). A plain
 * route rather than tRPC: the browser saves the body as a file. Every refusal is a 4xx with
 * a sentence that says why.
 */
export async function handleArchiveDownload(req: Request): Promise<Response> {
  const wrongHost = hostRefusal(req.headers);
  if (wrongHost !== null) return text(421, wrongHost);
  const user = await userFromToken(db(), readCookie(req.headers.get("cookie"), SESSION_COOKIE));
  if (!user) return text(401, "Log in first.");
  const q = Query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!q.success) return text(400, "Give an archive as ?id=N (and &file=PATH for one of its files), or a trace directory as ?path=….");
  const slot = downloadQuota.acquire(user.id);
  if (!slot.ok) return text(429, slot.message);
  try {
    if ("id" in q.data) {
      const row = await getArchiveRow(db(), q.data.id);
      const dir = await archiveDir(row);
      if (q.data.file !== undefined) {
        const f = await archiveFile(dir, q.data.file);
        return stream(
          createReadStream(f.path, { start: 0, end: Math.max(0, f.size - 1) }),
          slot.release,
          safeName(basename(f.path)),
          "application/octet-stream",
          f.size,
        );
      }
      return stream(packTraceDir(dir), slot.release, `${safeName(basename(dir))}.tar.gz`, "application/gzip");
    }
    const dir = await resolveTracePath(q.data.path);
    return stream(packTraceDir(dir), slot.release, `${safeName(basename(dir))}.tar.gz`, "application/gzip");
  } catch (e) {
    slot.release();
    if (e instanceof TraceCatalogError) return text(TRACE_STATUS[e.code], e.message);
    if (e instanceof ArchiveError) return text(ARCHIVE_STATUS[e.code], e.message);
    throw e;
  }
}
