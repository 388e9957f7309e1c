import type { ReactNode } from "react";

export function AuthCard({ title, subtitle, children }: { title: string; subtitle: string; children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="td-card w-full max-w-sm p-6">
        <div className="mb-1 text-xs font-semibold uppercase tracking-wider text-sky-600">Tracedeck</div>
        <h1 className="text-lg font-semibold">{title}</h1>
        <p className="mb-4 text-sm text-zinc-500">{subtitle}</p>
        {children}
      </div>
    </main>
  );
}
