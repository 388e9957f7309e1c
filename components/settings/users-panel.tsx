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
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
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
      {users.error && (
        <p role="alert" className="mb-2 text-sm text-red-600">
          {users.error.message}
        </p>
      )}
      <table className="td-table mb-4" data-testid="users">
        <thead>
          <tr>
            <th>User</th>
            <th>Role</th>
            <th>State</th>
            <th>Created</th>
            {canOperate && <th className="text-right">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {users.data?.map((u) => (
            <UserRow
              key={u.id}
              user={u}
              canOperate={canOperate}
              onChanged={(outcome) => {
                setOutcome(outcome);
                void qc.invalidateQueries({ queryKey: trpc.auth.users.queryKey() });
              }}
            />
          ))}
        </tbody>
      </table>
      {outcome && (
        <p
          role={outcome.ok ? "status" : "alert"}
          className={`mb-3 text-xs ${outcome.ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-600"}`}
          data-testid="user-outcome"
        >
          {outcome.text}
        </p>
      )}
      {canOperate && (
        <form onSubmit={submit} className="flex flex-wrap items-end gap-2" aria-label="Add a user">
          <div>
            <label className="td-label" htmlFor="nu-name">
              User name
            </label>
            <input id="nu-name" className="td-input" value={username} onChange={(e) => setUsername(e.target.value)} />
          </div>
          <div>
            <label className="td-label" htmlFor="nu-pw">
              Password
            </label>
            <input id="nu-pw" type="password" className="td-input" value={password} onChange={(e) => setPassword(e.target.value)} />
          </div>
          <div>
            <label className="td-label" htmlFor="nu-role">
              Role
            </label>
            <select id="nu-role" className="td-input" value={role} onChange={(e) => setRole(e.target.value === "operator" ? "operator" : "viewer")}>
              <option value="viewer">viewer (read only)</option>
              <option value="operator">operator (controls LTTng)</option>
            </select>
          </div>
          <button className="td-btn-primary" disabled={create.isPending}>
            Add user
          </button>
          {create.error && (
            <p role="alert" className="w-full text-sm text-red-600">
              {fieldErrors
                ? Object.entries(fieldErrors)
                    .map(([k, v]) => `${k}: ${v?.join(" ")}`)
                    .join("; ")
                : create.error.message}
            </p>
          )}
        </form>
      )}
    </section>
  );
}

type UserView = { id: number; username: string; role: string; createdAt: Date; disabledAt: Date | null };

/** One user, with an operator's role change, disable/enable and delete (with confirmation). */
function UserRow({ user: u, canOperate, onChanged }: { user: UserView; canOperate: boolean; onChanged: (o: { ok: boolean; text: string }) => void }) {
  const trpc = useTRPC();
  const [confirming, setConfirming] = useState(false);
  const done = (text: string) => ({
    onSuccess: () => onChanged({ ok: true, text }),
    onError: (e: { message: string }) => onChanged({ ok: false, text: e.message }),
  });
  const setRole = useMutation(trpc.auth.setUserRole.mutationOptions(done(`${u.username} is now ${u.role === "operator" ? "a viewer" : "an operator"}.`)));
  const setDisabled = useMutation(
    trpc.auth.setUserDisabled.mutationOptions(done(u.disabledAt ? `${u.username} is enabled again.` : `${u.username} is disabled and logged out.`)),
  );
  const del = useMutation(trpc.auth.deleteUser.mutationOptions(done(`${u.username} deleted; their audit entries stay.`)));
  const pending = setRole.isPending || setDisabled.isPending || del.isPending;
  return (
    <tr data-testid={`user-${u.username}`}>
      <td>{u.username}</td>
      <td>{u.role}</td>
      <td>{u.disabledAt ? <span className="text-zinc-500">disabled</span> : "enabled"}</td>
      <td>{u.createdAt.toISOString().replace("T", " ").slice(0, 19)}</td>
      {canOperate && (
        <td className="whitespace-nowrap text-right">
          <span className="inline-flex gap-1">
            <button
              type="button"
              className="td-btn"
              disabled={pending}
              onClick={() => setRole.mutate({ id: u.id, role: u.role === "operator" ? "viewer" : "operator" })}
            >
              {u.role === "operator" ? "Make viewer" : "Make operator"}
            </button>
            <button type="button" className="td-btn" disabled={pending} onClick={() => setDisabled.mutate({ id: u.id, disabled: !u.disabledAt })}>
              {u.disabledAt ? "Enable" : "Disable"}
            </button>
            {confirming ? (
              <>
                <button
                  type="button"
                  className="td-btn-danger"
                  disabled={pending}
                  onClick={() => {
                    setConfirming(false);
                    del.mutate({ id: u.id });
                  }}
                >
                  Confirm delete
                </button>
                <button type="button" className="td-btn" onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </>
            ) : (
              <button type="button" className="td-btn-danger" disabled={pending} onClick={() => setConfirming(true)}>
                Delete
              </button>
            )}
          </span>
        </td>
      )}
    </tr>
  );
}
