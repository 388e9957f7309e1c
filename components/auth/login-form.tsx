"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { TextField } from "@/components/form/field";
import { useTRPC } from "@/components/trpc/provider";

/** `next`: where to go once logged in, already checked to be a path of this site (app/login/page.tsx). */
export function LoginForm({ next }: { next: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  // Typing before hydration is lost with controlled inputs; the attribute tells tests (and
  // styles) that the form is live.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: () => {
        router.replace(next);
        router.refresh();
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ username, password });
  };
  return (
    <form onSubmit={submit} className="space-y-3" aria-label="Log in" data-hydrated={hydrated ? "true" : undefined}>
      <TextField label="User name" id="username" inputClassName="td-input w-full" autoComplete="username" value={username} onChange={setUsername} required />
      <TextField
        label="Password"
        id="password"
        type="password"
        inputClassName="td-input w-full"
        autoComplete="current-password"
        value={password}
        onChange={setPassword}
        required
      />
      {login.error && (
        <p role="alert" className="text-sm text-red-600">
          {login.error.message}
        </p>
      )}
      <button type="submit" className="td-btn-primary w-full justify-center" disabled={login.isPending}>
        {login.isPending ? "Logging in…" : "Log in"}
      </button>
    </form>
  );
}
