import { handleTrpcRequest } from "@/server/trpc/http";

// Subscriptions stream over SSE for as long as the browser listens.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

function handler(req: Request): Promise<Response> | Response {
  return handleTrpcRequest(req);
}

export { handler as GET, handler as POST };
