"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/components/trpc/provider";

export function UserMenu({ username, role }: { username: string; role: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSuccess: () => {
        router.replace("/login");
        router.refresh();
      },
    }),
  );
  return (
    <div className="flex items-center gap-2 text-[13px]">
      <span className="text-zinc-500" data-testid="current-user">
        {username} · {role}
      </span>
      <button type="button" className="td-btn" onClick={() => logout.mutate()}>
        Log out
      </button>
    </div>
  );
}
