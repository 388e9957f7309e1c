"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useReducer, useState } from "react";
import { useTRPC } from "@/components/trpc/provider";
import { checkSessionSetup, type SessionSetupDraft } from "@/server/shared/validators";
import { sessionHref, sessionsHref } from "../host-href";
import { HostSelect } from "../links";
import { errorField } from "../action-ui";
import { ChannelsStep } from "./channels-step";
import { ContextsStep } from "./contexts-step";
import { EventsStep } from "./events-step";
import { ModeStep } from "./mode-step";
import { ReviewStep } from "./review-step";
import type { StepProps } from "./step";
import { STEPS, REVIEW_STEP, fieldIssue, initialWizardState, stepHasIssue, stepIssues, toSetupDraft, wizardReducer, type WizardMode } from "./wizard-state";

/**
 * The session creation wizard: mode (with what each is for), channels with presets, event
 * rules (from the available-events browser or typed, with a filter editor), contexts, and a
 * review of the equivalent `lttng` commands computed by the server from the same validated
 * input it will run. Every field is checked as it is typed with the server's own schemas. The
 * state is one reducer (wizard-state.ts); each step is a component of this folder.
 */
export function CreateWizard({ host: initialHost, mode }: { host?: string; mode?: WizardMode }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  // Where the session is created: this machine unless a traced host is chosen (Settings → Hosts).
  const [host, setHost] = useState(initialHost);
  const [state, dispatch] = useReducer(wizardReducer, mode, (m) =>
    m === undefined ? initialWizardState() : wizardReducer(initialWizardState(), { type: "setMode", mode: m }),
  );
  const draft = useMemo(() => toSetupDraft(state), [state]);
  const issues = useMemo(() => checkSessionSetup(draft), [draft]);
  const setup = useMutation(
    trpc.sessions.setup.mutationOptions({
      onSettled: () => qc.invalidateQueries({ queryKey: trpc.sessions.list.pathKey() }),
    }),
  );
  // The host goes with the draft; the draft itself (and its checks) is the same for every host.
  const create = (d: SessionSetupDraft) => setup.mutate({ ...d, ...(host ? { host } : {}) });
  const server = { field: setup.error ? errorField(setup.error) : null, message: setup.error?.message ?? null };
  const { step } = state;
  const blockedHere = state.blocked.includes(step) ? stepIssues(issues, step).length : 0;

  if (setup.isSuccess) {
    return (
      <section className="td-card space-y-3 p-4" aria-label="Session created" data-testid="wizard-done">
        <h2 className="font-semibold text-emerald-700 dark:text-emerald-400">Session {setup.data.name} created</h2>
        <ol className="space-y-1 text-xs">
          {setup.data.steps.map((s, i) => (
            <li key={i}>
              <code className="text-zinc-600 dark:text-zinc-400">$ {s.command}</code>
              <br />
              <span className="text-emerald-700 dark:text-emerald-400">✓ {s.answer}</span>
            </li>
          ))}
        </ol>
        <div className="flex gap-2">
          <Link className="td-btn-primary" href={sessionHref(setup.data.name, host)}>
            Open session
          </Link>
          <Link className="td-btn" href={sessionsHref(host)}>
            All sessions
          </Link>
        </div>
      </section>
    );
  }

  const props: StepProps = { state, dispatch, issues, issue: (path, typed) => fieldIssue(state, issues, server, path, typed), server, host };
  return (
    <div className="space-y-3">
      <div className="flex items-center gap-2">
        <HostSelect id="wizard-host" value={host} onChange={setHost} />
        {host && (
          <span className="text-xs text-zinc-500">Over SSH; a streaming, live or snapshot session records to this machine&apos;s relay daemon by default.</span>
        )}
      </div>
      <nav aria-label="Wizard steps" className="flex flex-wrap gap-1">
        {STEPS.map((s, i) => (
          <button
            key={s}
            type="button"
            onClick={() => dispatch({ type: "go", step: i })}
            aria-current={step === i ? "step" : undefined}
            className={`rounded px-3 py-1 text-[13px] font-medium ${step === i ? "bg-sky-600 text-white" : "bg-zinc-200 text-zinc-700 hover:bg-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:hover:bg-zinc-700"}`}
          >
            {i + 1}. {s}
            {stepHasIssue(state, issues, server.field, i) ? " ⚠" : ""}
          </button>
        ))}
      </nav>

      {step === 0 && <ModeStep {...props} />}
      {step === 1 && <ChannelsStep {...props} />}
      {step === 2 && <EventsStep {...props} />}
      {step === 3 && <ContextsStep {...props} />}
      {step === REVIEW_STEP && <ReviewStep state={state} draft={draft} issues={issues} setup={setup} create={create} serverField={server.field} host={host} />}

      <div className="flex gap-2">
        <button type="button" className="td-btn" disabled={step === 0} onClick={() => dispatch({ type: "go", step: step - 1 })}>
          Back
        </button>
        {step < REVIEW_STEP && (
          <button type="button" className="td-btn-primary" onClick={() => dispatch({ type: "next" })}>
            Next
          </button>
        )}
        {blockedHere > 0 && (
          <p role="alert" className="self-center text-xs text-red-600" data-testid="wizard-blocked">
            Fix {blockedHere === 1 ? "the marked field" : `the ${blockedHere} marked fields`} before going on.
          </p>
        )}
      </div>
    </div>
  );
}
