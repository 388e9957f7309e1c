"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/provider";

export function UsersPanel({ canOperate }: { canOperate: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const users = useQuery(trpc.auth.users.queryOptions());
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<"viewer" | "operator">("viewer");
  const create = useMutation(
    trpc.auth.createUser.mutationOptions({
      onSuccess: () => {
        setUsername("");
        setPassword("");
        void qc.invalidateQueries({ queryKey: trpc.auth.users.queryKey() });
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ username, password, role });
  };
  const fieldErrors = create.error?.data?.zodError?.fieldErrors as Record<string, string[] | undefined> | undefined;
  return (
    <section className="td-card p-4">
      <h2 className="mb-2 font-semibold">Users</h2>
      {users.error && <p role="alert" className="mb-2 text-sm text-red-600">{users.error.message}</p>}
      <table className="td-table mb-4">
        <thead><tr><th>User</th><th>Role</th><th>Created</th></tr></thead>
        <tbody>
          {users.data?.map((u) => (
            <tr key={u.id}><td>{u.username}</td><td>{u.role}</td><td>{u.createdAt.toISOString().replace("T", " ").slice(0, 19)}</td></tr>
          ))}
        </tbody>
      </table>
      {canOperate && (
        <form onSubmit={submit} className="flex flex-wrap items-end gap-2" aria-label="Add a user">
          <div><label className="td-label" htmlFor="nu-name">User name</label><input id="nu-name" className="td-input" value={username} onChange={(e) => setUsername(e.target.value)} /></div>
          <div><label className="td-label" htmlFor="nu-pw">Password</label><input id="nu-pw" type="password" className="td-input" value={password} onChange={(e) => setPassword(e.target.value)} /></div>
          <div>
            <label className="td-label" htmlFor="nu-role">Role</label>
            <select id="nu-role" className="td-input" value={role} onChange={(e) => setRole(e.target.value === "operator" ? "operator" : "viewer")}>
              <option value="viewer">viewer (read only)</option>
              <option value="operator">operator (controls LTTng)</option>
            </select>
          </div>
          <button className="td-btn-primary" disabled={create.isPending}>Add user</button>
          {create.error && <p role="alert" className="w-full text-sm text-red-600">{fieldErrors ? Object.entries(fieldErrors).map(([k, v]) => `${k}: ${v?.join(" ")}`).join("; ") : create.error.message}</p>}
        </form>
      )}
    </section>
  );
}
