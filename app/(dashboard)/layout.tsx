import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { Nav } from "@/components/shell/nav";
import { StatusBar } from "@/components/shell/status-bar";
import { ThemeToggle } from "@/components/shell/theme-toggle";
import { UserMenu } from "@/components/shell/user-menu";
import { currentUser } from "@/server/app-entry";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  if (!user) redirect("/login");
  return (
    <div className="flex min-h-screen flex-col">
      <header className="flex items-center gap-4 border-b border-zinc-200 bg-white px-4 py-2 dark:border-zinc-800 dark:bg-zinc-900">
        <span className="text-[15px] font-semibold tracking-tight">
          <span className="text-sky-600">▍</span>Tracedeck
        </span>
        <Nav />
        <div className="ml-auto flex items-center gap-2">
          <ThemeToggle />
          <UserMenu username={user.username} role={user.role} />
        </div>
      </header>
      <StatusBar canOperate={user.role === "operator"} />
      <main className="flex-1 p-4">{children}</main>
    </div>
  );
}
