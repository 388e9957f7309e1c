"use client";

import type { ReactNode } from "react";

/** What the server says about one action in the session's current state (guards.ts). */
export interface ActionState {
  allowed: boolean;
  reason: string | null;
}

/**
 * A button for a session action. When the server's guards refuse the action it is disabled and
 * says why (tooltip and accessible description) before anyone tries.
 */
export function ActionButton({
  state,
  pending,
  onClick,
  children,
  variant = "default",
  testId,
}: {
  state: ActionState | undefined;
  pending?: boolean;
  onClick: () => void;
  children: ReactNode;
  variant?: "default" | "primary" | "danger";
  testId?: string;
}) {
  const cls = variant === "primary" ? "td-btn-primary" : variant === "danger" ? "td-btn-danger" : "td-btn";
  const disabled = !state?.allowed || pending;
  return (
    <button
      type="button"
      className={cls}
      disabled={disabled}
      onClick={onClick}
      title={state && !state.allowed ? (state.reason ?? undefined) : undefined}
      aria-description={state && !state.allowed ? (state.reason ?? undefined) : undefined}
      data-testid={testId}
      data-reason={state && !state.allowed ? (state.reason ?? "") : undefined}
    >
      {pending ? <Spinner /> : null}
      {children}
    </button>
  );
}

export function Spinner() {
  return <span aria-hidden className="inline-block h-3 w-3 animate-spin rounded-full border-2 border-current border-t-transparent" />;
}

/** The last answer of an action: progress, LTTng's success message, or its error. Never silent. */
export function Outcome({
  pending,
  pendingText,
  error,
  success,
  testId,
}: {
  pending: boolean;
  pendingText: string;
  error: { message: string } | null;
  success: ReactNode | null;
  testId?: string;
}) {
  if (pending)
    return (
      <p role="status" className="flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400" data-testid={testId} data-state="pending">
        <Spinner /> {pendingText}
      </p>
    );
  if (error)
    return (
      <p role="alert" className="whitespace-pre-wrap text-xs text-red-600 dark:text-red-400" data-testid={testId} data-state="error">
        {error.message}
      </p>
    );
  if (success)
    return (
      <p role="status" className="text-xs text-emerald-700 dark:text-emerald-400" data-testid={testId} data-state="ok">
        {success}
      </p>
    );
  return null;
}

/** The input field an LTTng error is about (server/trpc/init.ts puts it in `data.lttng.field`). */
export function errorField(error: unknown): string | null {
  const d = (error as { data?: { lttng?: { field?: string | null } | null } } | null)?.data;
  return d?.lttng?.field ?? null;
}

/**
 * The question before an action that cannot be undone, and its two answers. `group` names a
 * block of its own (a line under the toolbar); without it the question sits inline, in place
 * of the button that asked.
 */
export function Confirm({
  question,
  confirm,
  cancel = "Cancel",
  onConfirm,
  onCancel,
  group,
  tone = "danger",
  disabled,
}: {
  question?: ReactNode;
  confirm: string;
  cancel?: string;
  onConfirm: () => void;
  onCancel: () => void;
  group?: string;
  tone?: "danger" | "warning";
  disabled?: boolean;
}) {
  const body = (
    <>
      {question && <span className={`text-xs ${tone === "danger" ? "text-red-600" : "text-amber-700 dark:text-amber-400"}`}>{question}</span>}
      <button type="button" className="td-btn-danger" disabled={disabled} onClick={onConfirm}>
        {confirm}
      </button>
      <button type="button" className="td-btn" onClick={onCancel}>
        {cancel}
      </button>
    </>
  );
  if (!group) return body;
  return (
    <div className="mt-2 flex flex-wrap items-center gap-2" role="group" aria-label={group}>
      {body}
    </div>
  );
}
