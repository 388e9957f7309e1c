"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/provider";

export function SetupForm({ token }: { token: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [username, setUsername] = useState("admin");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const setup = useMutation(
    trpc.auth.setup.mutationOptions({
      onSuccess: () => {
        router.replace("/");
        router.refresh();
      },
    }),
  );
  const mismatch = confirm.length > 0 && confirm !== password;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!mismatch) setup.mutate({ token, username, password });
  };
  const fieldErrors = setup.error?.data?.zodError?.fieldErrors as Record<string, string[] | undefined> | undefined;
  return (
    <form onSubmit={submit} className="space-y-3" aria-label="Create the first operator">
      <div>
        <label className="td-label" htmlFor="username">
          Operator user name
        </label>
        <input id="username" className="td-input w-full" value={username} onChange={(e) => setUsername(e.target.value)} required />
        {fieldErrors?.username && <p className="text-xs text-red-600">{fieldErrors.username.join(" ")}</p>}
      </div>
      <div>
        <label className="td-label" htmlFor="password">
          Password (8 characters or more)
        </label>
        <input
          id="password"
          type="password"
          className="td-input w-full"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        {fieldErrors?.password && <p className="text-xs text-red-600">{fieldErrors.password.join(" ")}</p>}
      </div>
      <div>
        <label className="td-label" htmlFor="confirm">
          Repeat the password
        </label>
        <input
          id="confirm"
          type="password"
          className="td-input w-full"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          required
        />
        {mismatch && <p className="text-xs text-red-600">The passwords differ.</p>}
      </div>
      {/* Field errors show beside their field; anything else (a bad token) needs the message. */}
      {setup.error && !fieldErrors?.username && !fieldErrors?.password && (
        <p role="alert" className="text-sm text-red-600">
          {setup.error.message}
        </p>
      )}
      <button type="submit" className="td-btn-primary w-full justify-center" disabled={setup.isPending || mismatch}>
        Create operator
      </button>
    </form>
  );
}
