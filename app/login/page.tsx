import { redirect } from "next/navigation";
import { Suspense } from "react";
import { LoginForm } from "@/components/auth/login-form";
import { AuthCard } from "@/components/auth/auth-card";
import { currentUser, safeNextPath } from "@/server/app-entry";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const raw = (await searchParams).next;
  const next = safeNextPath(Array.isArray(raw) ? raw[0] : raw);
  if (await currentUser()) redirect(next);
  return (
    <AuthCard title="Log in to Tracedeck" subtitle="This dashboard controls the host's LTTng session daemon.">
      <Suspense>
        <LoginForm next={next} />
      </Suspense>
    </AuthCard>
  );
}
