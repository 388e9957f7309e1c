"use client";

import type { UseMutationResult } from "@tanstack/react-query";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/provider";
import type { SessionSetupDraft } from "@/server/shared/validators";
import type { RouterOutputs } from "@/server/trpc/router-types";
import { Spinner } from "../action-ui";
import { MODES, type SetupIssue, type WizardState } from "./wizard-state";

export type SetupMutation = UseMutationResult<RouterOutputs["sessions"]["setup"], { message: string }, SessionSetupDraft>;

/**
 * Step 5: a summary, the problems left, or the equivalent `lttng` commands computed by the
 * server from the same validated input it will run; then create.
 */
export function ReviewStep({
  state,
  draft,
  issues,
  setup,
  create,
  serverField,
  host,
}: {
  state: WizardState;
  draft: SessionSetupDraft;
  issues: readonly SetupIssue[];
  setup: SetupMutation;
  /** Runs the setup (on the chosen host). */
  create: (draft: SessionSetupDraft) => void;
  serverField: string | null;
  host: string | undefined;
}) {
  const trpc = useTRPC();
  const { mode, channels, events, contexts } = state;
  const plan = useQuery(trpc.sessions.plan.queryOptions({ ...draft, ...(host ? { host } : {}) }, { enabled: issues.length === 0 }));
  return (
    <section className="td-card space-y-3 p-4" aria-label="Review">
      <p className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="wizard-summary">
        <b>{MODES.find((m) => m.id === mode)?.label}</b>: {MODES.find((m) => m.id === mode)?.useCase} {channels.length} channel
        {channels.length === 1 ? "" : "s"}, {events.length} event rule{events.length === 1 ? "" : "s"}, {contexts.length} context set
        {contexts.length === 1 ? "" : "s"}.{events.length === 0 && " Without an event rule nothing is recorded; rules can be added later on the session page."}
      </p>
      {issues.length > 0 ? (
        <div role="alert" data-testid="wizard-issues">
          <h3 className="text-sm font-semibold text-red-600">Fix these before creating the session:</h3>
          <ul className="ml-4 list-disc text-xs text-red-600">
            {issues.map((x, i) => (
              <li key={i}>
                <code>{x.path}</code>: {x.message}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <div>
          <h3 className="mb-1 text-sm font-semibold">
            Equivalent <code>lttng</code> commands
          </h3>
          {plan.isPending ? (
            <p className="text-xs text-zinc-500">
              <Spinner /> Asking the server…
            </p>
          ) : plan.error ? (
            <p role="alert" className="text-xs text-red-600">
              {plan.error.message}
            </p>
          ) : plan.data.issues.length > 0 ? (
            <ul role="alert" className="ml-4 list-disc text-xs text-red-600">
              {plan.data.issues.map((x, i) => (
                <li key={i}>
                  <code>{x.path}</code>: {x.message}
                </li>
              ))}
            </ul>
          ) : (
            <pre data-testid="equivalent-commands" className="overflow-x-auto rounded bg-zinc-100 p-2 font-mono text-xs dark:bg-zinc-950">
              {plan.data.commands.map((c) => `$ ${c}`).join("\n")}
            </pre>
          )}
        </div>
      )}
      {setup.error && (
        <div
          role="alert"
          className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-700 dark:border-red-900 dark:bg-red-950/40 dark:text-red-300"
          data-testid="wizard-error"
        >
          <b>LTTng refused{serverField ? ` (${serverField})` : ""}:</b> {setup.error.message}
          <div className="text-xs">Nothing was left behind: a partly made session is destroyed again.</div>
        </div>
      )}
      <div className="flex items-center gap-2">
        <button
          type="button"
          className="td-btn-primary"
          disabled={issues.length > 0 || setup.isPending || !plan.data || plan.data.issues.length > 0}
          onClick={() => create(draft)}
        >
          {setup.isPending ? (
            <>
              <Spinner /> Creating…
            </>
          ) : (
            "Create session"
          )}
        </button>
        {setup.isPending && (
          <span role="status" className="text-xs text-zinc-500">
            Running {plan.data?.commands.length ?? ""} lttng commands…
          </span>
        )}
      </div>
    </section>
  );
}
