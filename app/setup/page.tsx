import { redirect } from "next/navigation";
import { SetupForm } from "@/components/auth/setup-form";
import { AuthCard } from "@/components/auth/auth-card";
import { setupNeeded } from "@/server/app-entry";

export const dynamic = "force-dynamic";

export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  if (!(await setupNeeded())) redirect("/login");
  return (
    <AuthCard title="First run" subtitle="Create the first operator account.">
      {token ? <SetupForm token={token} /> : <p className="text-sm">Open the one-time set-up link printed in the server's console.</p>}
    </AuthCard>
  );
}
