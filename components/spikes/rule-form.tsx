"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/provider";
import { ZSpikeRuleInput, readableIssues } from "@/server/shared/validators";
import type { RouterInputs, RouterOutputs } from "@/server/trpc/router-types";

export type StoredRule = RouterOutputs["spikeRules"]["list"][number];
type RuleInput = RouterInputs["spikeRules"]["add"];
type Source = RouterOutputs["spikeRules"]["sources"][number];

/** Integer ns as the shortest exact spelling the threshold field takes back ("50ms", "1500us"). */
function latencyText(ns: number): string {
  for (const [unit, per] of [
    ["s", 1e9],
    ["ms", 1e6],
    ["us", 1e3],
  ] as const)
    if (ns % per === 0) return `${ns / per}${unit}`;
  return `${ns}ns`;
}

function formOf(r: StoredRule | null) {
  return {
    name: r?.name ?? "",
    sourceId: r ? String(r.sourceId) : "",
    detection: r?.detection ?? "live",
    thresholdKind: r?.threshold.kind ?? "absolute",
    threshold: r?.threshold.kind === "absolute" ? latencyText(r.threshold.ns) : "50ms",
    factor: r?.threshold.kind === "p99" ? String(r.threshold.factor) : "3",
    windowMin: r?.threshold.kind === "p99" ? String(r.threshold.windowMin) : "10",
    snapshotSession: r?.snapshotSession ?? "",
    hostGroup: r?.hostGroup ?? "",
    otherAction: r?.other.action ?? "none",
    otherSession: r?.other.session ?? "",
    triggerFilter: r?.triggerFilter ?? "",
    cooldownMs: String(r?.cooldownMs ?? 5000),
    maxPerHour: String(r?.maxPerHour ?? 60),
  };
}
type Form = ReturnType<typeof formOf>;

/** Only the fields the chosen path reads: the schema refuses a trigger filter on the live path, and so on. */
function inputOf(f: Form, enabled: boolean): RuleInput {
  const live = f.detection === "live";
  return {
    name: f.name,
    enabled,
    sourceId: Number(f.sourceId),
    detection: f.detection,
    threshold:
      live && f.thresholdKind === "p99" ? { kind: "p99", factor: Number(f.factor), windowMin: Number(f.windowMin) } : { kind: "absolute", ns: f.threshold },
    snapshotSession: f.snapshotSession,
    other: f.otherAction === "none" ? { action: "none" } : { action: f.otherAction, session: f.otherSession || undefined },
    ...(live && f.hostGroup ? { hostGroup: f.hostGroup } : {}),
    ...(!live && f.triggerFilter ? { triggerFilter: f.triggerFilter } : {}),
    cooldownMs: Number(f.cooldownMs),
    maxPerHour: Number(f.maxPerHour),
  };
}

/**
 * Adds a spike rule, or edits `rule`: everything the rule API takes, the fields shown for the
 * detection path chosen. The snapshot session is picked from this host's snapshot sessions
 * (or typed: it may be created later, or live on a host group's hosts).
 */
export function RuleForm({ sources, rule, onDone }: { sources: Source[]; rule: StoredRule | null; onDone: () => void }) {
  const trpc = useTRPC();
  const [form, setForm] = useState(() => formOf(rule));
  const [issues, setIssues] = useState<string[]>([]);
  const sessions = useQuery(trpc.sessions.list.queryOptions(undefined, { refetchInterval: 10_000 }));
  const snapshotSessions = (sessions.data ?? []).filter((s) => s.mode === "snapshot");
  const groups = useQuery(trpc.fleet.groups.queryOptions());
  const done = () => {
    if (rule === null) setForm(formOf(null));
    onDone();
  };
  const add = useMutation(trpc.spikeRules.add.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.spikeRules.update.mutationOptions({ onSuccess: done }));
  const save = rule === null ? add : update;
  const set = (k: keyof Form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm({ ...form, [k]: e.target.value });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const input = inputOf(form, rule?.enabled ?? true);
    const r = ZSpikeRuleInput.safeParse(input);
    if (!r.success) return setIssues(readableIssues(r.error).map((i) => `${i.path}: ${i.message}`));
    setIssues([]);
    if (rule === null) add.mutate(input);
    else update.mutate({ id: rule.id, rule: input });
  };
  const live = form.detection === "live";
  const listId = rule === null ? "spike-snapshot-sessions" : `spike-snapshot-sessions-${rule.id}`;
  return (
    <form
      className="mt-3 flex flex-wrap items-end gap-2 text-sm"
      onSubmit={submit}
      aria-label={rule === null ? "Add a spike rule" : `Edit the spike rule ${rule.name}`}
    >
      <label className="flex flex-col">
        Name
        <input className="td-input" value={form.name} onChange={set("name")} disabled={rule !== null} />
      </label>
      <label className="flex flex-col">
        Source
        <select className="td-input" value={form.sourceId} onChange={set("sourceId")}>
          <option value="">—</option>
          {sources.map((s) => (
            <option key={s.id} value={s.id}>
              {s.sessionName ? `${s.sessionName}: ` : ""}
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col">
        Detection
        <select className="td-input" value={form.detection} onChange={set("detection")}>
          <option value="live">live stream</option>
          <option value="trigger">LTTng trigger</option>
        </select>
      </label>
      <label className="flex flex-col">
        Threshold
        <select className="td-input" value={live ? form.thresholdKind : "absolute"} onChange={set("thresholdKind")} disabled={!live}>
          <option value="absolute">absolute</option>
          <option value="p99">× the recent p99</option>
        </select>
      </label>
      {!live || form.thresholdKind === "absolute" ? (
        <label className="flex flex-col">
          Latency over
          <input className="td-input w-24" value={form.threshold} onChange={set("threshold")} />
        </label>
      ) : (
        <>
          <label className="flex flex-col">
            Factor
            <input className="td-input w-16" value={form.factor} onChange={set("factor")} inputMode="decimal" />
          </label>
          <label className="flex flex-col">
            p99 of the last (min)
            <input className="td-input w-20" value={form.windowMin} onChange={set("windowMin")} inputMode="numeric" />
          </label>
        </>
      )}
      <label className="flex flex-col">
        Snapshot session
        <input className="td-input" value={form.snapshotSession} onChange={set("snapshotSession")} list={listId} />
        <datalist id={listId}>
          {snapshotSessions.map((s) => (
            <option key={s.name} value={s.name}>
              {s.active ? "recording" : "stopped"}
            </option>
          ))}
        </datalist>
      </label>
      {live && (
        <label className="flex flex-col">
          On host group (optional)
          <input
            className="td-input w-32"
            placeholder="this machine"
            value={form.hostGroup}
            onChange={set("hostGroup")}
            maxLength={32}
            list={`${listId}-groups`}
          />
          <datalist id={`${listId}-groups`}>
            {(groups.data ?? []).map((g) => (
              <option key={g} value={g} />
            ))}
          </datalist>
        </label>
      )}
      {!live && (
        <label className="flex flex-col">
          Trigger filter (optional)
          <input
            className="td-input w-56 font-mono"
            placeholder="$ctx.vpid == 42"
            value={form.triggerFilter}
            onChange={set("triggerFilter")}
            maxLength={1024}
          />
        </label>
      )}
      <label className="flex flex-col">
        Then
        <select className="td-input" value={form.otherAction} onChange={set("otherAction")}>
          <option value="none">nothing more</option>
          <option value="rotate">rotate another session</option>
          <option value="stop">stop another session</option>
        </select>
      </label>
      {form.otherAction !== "none" && (
        <label className="flex flex-col">
          Session to {form.otherAction}
          <input className="td-input" value={form.otherSession} onChange={set("otherSession")} />
        </label>
      )}
      <label className="flex flex-col">
        Cooldown (ms)
        <input className="td-input w-24" value={form.cooldownMs} onChange={set("cooldownMs")} />
      </label>
      <label className="flex flex-col">
        Max per hour
        <input className="td-input w-20" value={form.maxPerHour} onChange={set("maxPerHour")} />
      </label>
      <button type="submit" className="td-btn" disabled={save.isPending}>
        {rule === null ? "Add rule" : "Save"}
      </button>
      {rule !== null && (
        <button type="button" className="td-btn" onClick={onDone}>
          Cancel
        </button>
      )}
      {sessions.isSuccess && snapshotSessions.length === 0 && !(live && form.hostGroup) && (
        <p className="w-full text-zinc-500" data-testid="no-snapshot-session">
          No snapshot session on this host yet: a rule snapshots one (
          <Link className="text-sky-600 hover:underline" href="/sessions/new?mode=snapshot">
            New snapshot session
          </Link>
          ).
        </p>
      )}
      {[...issues, ...(save.error ? [save.error.message] : [])].map((m) => (
        <p key={m} role="alert" className="w-full text-red-600">
          {m}
        </p>
      ))}
    </form>
  );
}
