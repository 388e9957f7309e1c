"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/provider";
import { ActionButton } from "../action-ui";
import { onHost } from "../session-actions";
import { TriggerEditor } from "../trigger-editor";
import { Section, type SessionPageState } from "./section";

/**
 * The triggers whose actions act on this session, and the notify-only ones (they act on no
 * session: shown here too, or one added here would vanish); remove, add.
 */
export function SessionTriggers({
  name,
  host,
  canOperate,
  guards,
}: {
  name: string;
  host?: string;
  canOperate: boolean;
  guards: SessionPageState["triggerActions"];
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  // The triggers of the session's host: a trigger lives in the session daemon it acts through.
  const where = onHost(host);
  const q = useQuery(trpc.triggers.list.queryOptions(host ? where : undefined, { refetchInterval: 5_000 }));
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.triggers.list.pathKey() });
  const remove = useMutation(
    trpc.triggers.remove.mutationOptions({
      onSuccess: (t) => setOutcome({ ok: true, text: `Trigger ${t.name} removed.` }),
      onError: (e) => setOutcome({ ok: false, text: e.message }),
      onSettled: refresh,
    }),
  );
  const all = q.data ?? [];
  const mine = all.filter((t) => t.actions.some((a) => a.sessionName === name));
  // Notify-only triggers act on no session: shown here too, or one added here would vanish.
  const notifyOnly = all.filter((t) => t.actions.every((a) => a.type === "notify"));
  const table = (rows: typeof all, testId: string) => (
    <table className="td-table" data-testid={testId}>
      <thead>
        <tr>
          <th>Trigger</th>
          <th>When</th>
          <th>Then</th>
          {canOperate && <th />}
        </tr>
      </thead>
      <tbody>
        {rows.map((t) => (
          <tr key={t.name} data-testid={`trigger-${t.name}`}>
            <td className="font-mono text-xs">{t.name}</td>
            <td className="font-mono text-xs">
              {t.condition.eventRule.type} {t.condition.eventRule.namePattern}
              {t.condition.eventRule.filter ? ` if ${t.condition.eventRule.filter}` : ""}
            </td>
            <td className="text-xs">
              {t.actions
                .map(
                  (a) =>
                    `${a.type}${a.sessionName ? ` ${a.sessionName}` : ""}${a.ratePolicy.kind === "once-after" ? ` (once after ${a.ratePolicy.count})` : a.ratePolicy.count > 1 ? ` (every ${a.ratePolicy.count})` : ""}`,
                )
                .join("; ")}
            </td>
            {canOperate && (
              <td className="text-right">
                <ActionButton
                  state={{ allowed: true, reason: null }}
                  pending={remove.isPending && remove.variables?.name === t.name}
                  onClick={() => remove.mutate({ name: t.name, ...where })}
                >
                  Remove
                </ActionButton>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <Section title="Triggers on this session">
      {q.error ? (
        <p role="alert" className="text-xs text-red-600">
          {q.error.message}
        </p>
      ) : mine.length === 0 ? (
        <p className="text-xs text-zinc-500">{q.isPending ? "Loading…" : "No trigger acts on this session."}</p>
      ) : (
        table(mine, "session-triggers")
      )}
      {notifyOnly.length > 0 && (
        <>
          <h3 className="mt-2 text-xs font-semibold text-zinc-600 dark:text-zinc-400">Notify-only triggers (they act on no session)</h3>
          {table(notifyOnly, "notify-triggers")}
        </>
      )}
      {outcome && (
        <p
          role={outcome.ok ? "status" : "alert"}
          className={`mt-2 text-xs ${outcome.ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-600"}`}
          data-testid="trigger-outcome"
        >
          {outcome.text}
        </p>
      )}
      {canOperate && (
        <TriggerEditor
          session={name}
          host={host}
          guards={guards}
          onAdded={(t) => {
            setOutcome({ ok: true, text: `Trigger ${t} added.` });
            refresh();
          }}
        />
      )}
    </Section>
  );
}
