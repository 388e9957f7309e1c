"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { TextField } from "@/components/form/field";
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
      <TextField
        label="Operator user name"
        id="username"
        inputClassName="td-input w-full"
        value={username}
        onChange={setUsername}
        required
        error={fieldErrors?.username?.join(" ")}
      />
      <TextField
        label="Password (8 characters or more)"
        id="password"
        type="password"
        inputClassName="td-input w-full"
        autoComplete="new-password"
        value={password}
        onChange={setPassword}
        required
        error={fieldErrors?.password?.join(" ")}
      />
      <TextField
        label="Repeat the password"
        id="confirm"
        type="password"
        inputClassName="td-input w-full"
        autoComplete="new-password"
        value={confirm}
        onChange={setConfirm}
        required
        error={mismatch ? "The passwords differ." : null}
      />
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
