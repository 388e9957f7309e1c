"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/provider";
import { ActionButton, Confirm } from "../action-ui";
import { useLifecycleActions, useOnHost, useSessionAction, useSessionName } from "../session-actions";
import type { Actions } from "./section";

/** The session's actions, each enabled or refused by the server's guards, with the reasons listed. */
export function ActionBar({ actions }: { actions: Actions }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { start, stop, snapshot, rotate } = useLifecycleActions();
  const name = useSessionName();
  const { host } = useOnHost();
  const clear = useSessionAction(trpc.sessions.clear, { pending: "Clearing…", ok: () => "Buffers and trace data cleared." });
  const regen = useSessionAction(trpc.sessions.regenerate, { pending: "Regenerating the state dump…", ok: () => "State dump regenerated." });
  // A first save never overwrites: when a profile of that name exists the server answers
  // CONFLICT and the operator is asked before a second, forced save.
  const [askOverwrite, setAskOverwrite] = useState(false);
  const save = useSessionAction(trpc.sessions.save, {
    pending: "Saving the profile…",
    ok: (d) => (
      <>
        Profile saved to <code data-testid="profile-path">{d.path}</code>
      </>
    ),
  });
  const saveNew = () => {
    setAskOverwrite(false);
    save.mutate({ name }, { onError: (e) => setAskOverwrite(e.data?.code === "CONFLICT") });
  };
  // After a destroy this page has nothing left to show: the list says it was destroyed.
  const destroy = useSessionAction(trpc.sessions.destroy, {
    pending: "Destroying…",
    ok: () => `Session ${name} destroyed.`,
    after: () => router.push(`/sessions?destroyed=${encodeURIComponent(name)}${host ? `&host=${encodeURIComponent(host)}` : ""}`),
    ends: true,
  });
  const [confirming, setConfirming] = useState<"destroy" | "clear" | null>(null);
  const buttons: Array<{ label: string; key: keyof Actions; run: () => void; pending: boolean; variant?: "primary" }> = [
    { label: "Start", key: "start", run: () => start.mutate({ name }), pending: start.isPending, variant: "primary" },
    { label: "Stop", key: "stop", run: () => stop.mutate({ name }), pending: stop.isPending },
    { label: "Record snapshot", key: "snapshotRecord", run: () => snapshot.mutate({ session: name }), pending: snapshot.isPending },
    { label: "Rotate", key: "rotate", run: () => rotate.mutate({ name }), pending: rotate.isPending },
    { label: "Clear", key: "clear", run: () => setConfirming("clear"), pending: clear.isPending },
    { label: "Regenerate state dump", key: "regenerateStatedump", run: () => regen.mutate({ name, what: "statedump" }), pending: regen.isPending },
    // Profiles are files of this machine: a traced host's session is not saved here.
    ...(host ? [] : [{ label: "Save profile", key: "save" as const, run: saveNew, pending: save.isPending }]),
  ];
  const refused = buttons.filter((b) => !actions[b.key].allowed);
  return (
    <div className="td-card p-3" role="toolbar" aria-label="Session actions">
      <div className="flex flex-wrap items-center gap-1.5">
        {buttons.map((b) => (
          <ActionButton key={b.key} state={actions[b.key]} pending={b.pending} variant={b.variant} onClick={b.run}>
            {b.label}
          </ActionButton>
        ))}
        <span className="ml-auto" />
        {confirming === "destroy" ? (
          <Confirm
            question={`Destroy ${name}? Recorded data stays on disk.`}
            confirm="Confirm destroy"
            onConfirm={() => {
              setConfirming(null);
              destroy.mutate({ name });
            }}
            onCancel={() => setConfirming(null)}
          />
        ) : (
          <ActionButton state={actions.destroy} pending={destroy.isPending} variant="danger" onClick={() => setConfirming("destroy")}>
            Destroy
          </ActionButton>
        )}
      </div>
      {confirming === "clear" && (
        <Confirm
          group="Confirm clear"
          question={`Clear ${name}? This deletes the trace data it recorded so far (on disk or at the relay) and empties its buffers. It cannot be undone.`}
          confirm="Confirm clear"
          onConfirm={() => {
            setConfirming(null);
            clear.mutate({ name, confirm: true });
          }}
          onCancel={() => setConfirming(null)}
        />
      )}
      {askOverwrite && (
        <Confirm
          group="Confirm overwrite"
          tone="warning"
          question={`A profile named ${name} already exists. Overwrite it with this session's current configuration?`}
          confirm="Overwrite profile"
          cancel="Keep the existing profile"
          onConfirm={() => {
            setAskOverwrite(false);
            save.mutate({ name, force: true });
          }}
          onCancel={() => setAskOverwrite(false)}
        />
      )}
      {refused.length > 0 && (
        <ul className="mt-2 space-y-0.5 text-[11px] text-zinc-500" data-testid="refused-actions">
          {refused.map((b) => (
            <li key={b.key}>
              <b>{b.label}</b>: {actions[b.key].reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
