import { redirect } from "next/navigation";
import { Suspense } from "react";
import { LoginForm } from "@/components/auth/login-form";
import { AuthCard } from "@/components/auth/auth-card";
import { currentUser } from "@/server/auth/current-user";

export const dynamic = "force-dynamic";

export default async function LoginPage() {
  if (await currentUser()) redirect("/");
  return (
    <AuthCard title="Log in to Tracedeck" subtitle="This dashboard controls the host's LTTng session daemon.">
      <Suspense>
        <LoginForm />
      </Suspense>
    </AuthCard>
  );
}
