import { handleArchiveDownload } from "@/server/archives/http";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export function GET(req: Request): Promise<Response> {
  return handleArchiveDownload(req);
}
