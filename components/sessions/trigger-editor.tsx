"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/provider";
import { ZAddTrigger, readableIssues, type AddTriggerInput } from "@/server/shared/validators";
import { Field, TextField } from "@/components/form/field";
import { ActionButton, Spinner, type ActionState } from "./action-ui";
import { FilterEditor } from "./filter-editor";
import { onHost } from "./session-actions";

type ActionType = "snapshot-session" | "start-session" | "stop-session" | "rotate-session" | "notify";
const ACTIONS: Array<{ type: ActionType; label: string }> = [
  { type: "snapshot-session", label: "record a snapshot of this session" },
  { type: "start-session", label: "start this session" },
  { type: "stop-session", label: "stop this session" },
  { type: "rotate-session", label: "rotate this session" },
  { type: "notify", label: "notify (captured fields to subscribers)" },
];
const RULE_TYPES = [
  { id: "user", label: "user space tracepoint" },
  { id: "kernel", label: "kernel tracepoint" },
  { id: "syscall", label: "system call" },
  { id: "python", label: "Python logger" },
  { id: "jul", label: "JUL logger" },
  { id: "log4j", label: "log4j logger" },
] as const;

/**
 * Creates an event-rule-matches trigger that acts on one session: the condition (rule type,
 * name pattern, filter), the action and its rate policy. Every field is checked as typed with
 * the server's schema; the server then checks the filter and whether the session can do the
 * action (the page's `guards`), and shows the equivalent `lttng add-trigger` command.
 */
export function TriggerEditor({
  session,
  host,
  guards,
  onAdded,
}: {
  session: string;
  /** The session's traced host (absent: this machine): the trigger is added to its session daemon. */
  host?: string;
  guards: Record<ActionType, ActionState>;
  onAdded: (name: string) => void;
}) {
  const trpc = useTRPC();
  const [name, setName] = useState(`${session}-trigger`);
  const [ruleType, setRuleType] = useState<(typeof RULE_TYPES)[number]["id"]>("user");
  const [pattern, setPattern] = useState("");
  const [filter, setFilter] = useState("");
  const firstAllowed = ACTIONS.find((a) => guards[a.type].allowed)?.type ?? "notify";
  const [action, setAction] = useState<ActionType>(firstAllowed);
  const [rateKind, setRateKind] = useState<"every" | "once-after">("every");
  const [rateCount, setRateCount] = useState("1");
  const [captures, setCaptures] = useState("");

  const input = useMemo<AddTriggerInput>(() => {
    const count = /^\d+$/.test(rateCount.trim()) ? Number(rateCount.trim()) : Number.NaN;
    const ratePolicy = { kind: rateKind, count };
    return {
      name: name.trim(),
      ruleType,
      pattern: pattern.trim(),
      filter: filter.trim() || undefined,
      captures: captures.split(/[\s,]+/).filter(Boolean),
      actions: [action === "notify" ? { type: "notify", ratePolicy } : { type: action, session, ratePolicy }],
    };
  }, [name, ruleType, pattern, filter, captures, action, rateKind, rateCount, session]);
  const parsed = ZAddTrigger.safeParse(input);
  const issues = parsed.success ? [] : readableIssues(parsed.error);
  const guard = guards[action];
  // The command preview follows the form once typing pauses.
  const [debounced, setDebounced] = useState(input);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(input), 300);
    return () => clearTimeout(t);
  }, [input]);
  const plan = useQuery(
    trpc.triggers.plan.queryOptions({ ...debounced, ...onHost(host) }, { enabled: ZAddTrigger.safeParse(debounced).success && guard.allowed, retry: false }),
  );
  const add = useMutation(trpc.triggers.add.mutationOptions({ onSuccess: (t) => onAdded(t.name) }));
  const { reset } = add;
  // LTTng's answer was about the form as it was: a change makes it stale.
  useEffect(() => reset(), [debounced, reset]);
  const issue = (path: string, typed: string) =>
    typed === "" ? null : (issues.find((i) => i.path === path || i.path.startsWith(`${path}.`))?.message ?? null);
  const planIssue = plan.data?.issues[0] ?? null;
  const serverMessage = add.error?.message ?? planIssue?.message ?? null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (parsed.success && guard.allowed) add.mutate({ ...input, ...onHost(host) });
  };
  return (
    <form onSubmit={submit} className="mt-3 space-y-2 rounded border border-zinc-200 p-2 dark:border-zinc-800" aria-label="Add a trigger">
      <div className="flex flex-wrap items-start gap-2">
        <TextField label="Trigger name" id="trg-name" inputClassName="td-input w-48 font-mono" value={name} onChange={setName} error={issue("name", name)} />
        <Field label="When" id="trg-type">
          <select id="trg-type" className="td-input" value={ruleType} onChange={(e) => setRuleType(e.target.value as typeof ruleType)}>
            {RULE_TYPES.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </Field>
        <TextField
          label="matches (name or pattern)"
          id="trg-pattern"
          inputClassName="td-input w-64 font-mono"
          value={pattern}
          onChange={setPattern}
          placeholder="provider:event"
          error={issue("pattern", pattern)}
        />
      </div>
      <FilterEditor id="trg-filter" value={filter} onChange={setFilter} error={filter && issue("filter", filter)} />
      <div className="flex flex-wrap items-start gap-2">
        <Field label="then" id="trg-action" error={guard.allowed ? null : guard.reason}>
          <select id="trg-action" className="td-input" value={action} onChange={(e) => setAction(e.target.value as ActionType)}>
            {ACTIONS.map((a) => (
              <option key={a.type} value={a.type} disabled={!guards[a.type].allowed}>
                {a.label}
                {guards[a.type].allowed ? "" : ` (${guards[a.type].reason})`}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Rate" id="trg-rate-kind">
          <select
            id="trg-rate-kind"
            className="td-input"
            value={rateKind}
            onChange={(e) => setRateKind(e.target.value === "once-after" ? "once-after" : "every")}
          >
            <option value="every">every N-th match</option>
            <option value="once-after">once, after N matches</option>
          </select>
        </Field>
        <TextField
          label="N"
          id="trg-rate-count"
          inputClassName="td-input w-20 font-mono"
          value={rateCount}
          onChange={setRateCount}
          error={rateCount.trim() === "" || issues.some((i) => i.path.startsWith("actions.0.ratePolicy")) ? "A whole number from 1" : null}
        />
        {action === "notify" && (
          <TextField
            label="Capture (fields, $ctx.vpid…)"
            id="trg-captures"
            inputClassName="td-input w-64 font-mono"
            value={captures}
            onChange={setCaptures}
            placeholder="id, latency_ns, $ctx.vpid"
            error={issue("captures", captures)}
          />
        )}
      </div>
      <div>
        {!parsed.success || !guard.allowed ? null : plan.isPending || plan.isFetching ? (
          <p className="text-xs text-zinc-500">
            <Spinner /> Asking the server…
          </p>
        ) : plan.data?.command ? (
          <pre data-testid="trigger-command" className="overflow-x-auto rounded bg-zinc-100 p-2 font-mono text-xs dark:bg-zinc-950">
            $ {plan.data.command}
          </pre>
        ) : null}
        {serverMessage && (
          <p role="alert" className="text-xs text-red-600" data-testid="trigger-error">
            {serverMessage}
          </p>
        )}
      </div>
      <ActionButton
        state={
          guard.allowed
            ? { allowed: parsed.success && !planIssue, reason: parsed.success ? (planIssue?.message ?? null) : "Fix the marked fields first." }
            : guard
        }
        pending={add.isPending}
        onClick={() => parsed.success && guard.allowed && add.mutate({ ...input, ...onHost(host) })}
        variant="primary"
      >
        Add trigger
      </ActionButton>
    </form>
  );
}
