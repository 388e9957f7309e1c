"use client";

import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpBatchStreamLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import { outputSuperjson } from "@/server/shared/live-events";
import type { AppRouter } from "@/server/trpc/root";
import { makeQueryClient } from "./query-client";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

let browserQueryClient: QueryClient | undefined;
function getQueryClient(): QueryClient {
  if (typeof window === "undefined") return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === "subscription",
          // Live events arrive as columns (LiveEvents), read in place.
          true: httpSubscriptionLink({ url: "/api/trpc", transformer: outputSuperjson }),
          // Queries stream each answer as it is ready: a slow one (daemon health) no longer holds
          // back the others batched with it. Mutations stay plain batches: they may set cookies
          // (login), which a stream that has already started can no longer do. The server refuses
          // batches of more than 32 calls (server/trpc/http.ts MAX_BATCH_CALLS).
          false: splitLink({
            condition: (op) => op.type === "query",
            true: httpBatchStreamLink({ url: "/api/trpc", transformer: superjson, maxItems: 32 }),
            false: httpBatchLink({ url: "/api/trpc", transformer: superjson, maxItems: 32 }),
          }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
