import { handleMetrics } from "@/server/metrics/http";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export function GET(req: Request): Promise<Response> {
  return handleMetrics(req);
}
