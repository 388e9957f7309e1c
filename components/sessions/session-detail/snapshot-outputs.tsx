"use client";

import { useState } from "react";
import { useTRPC } from "@/components/trpc/provider";
import { ZSize } from "@/server/shared/validators";
import { FieldError } from "@/components/form/field";
import { ActionButton, errorField } from "../action-ui";
import { fmtBytes } from "../format";
import { useSessionAction, useSessionName } from "../session-actions";
import { Refused, Section, check, type Actions, type SessionPageState } from "./section";

/** Where a snapshot session's snapshots go; add, delete. */
export function SnapshotOutputs({ outputs, actions, canOperate }: { outputs: SessionPageState["snapshotOutputs"]; actions: Actions; canOperate: boolean }) {
  const trpc = useTRPC();
  const name = useSessionName();
  const [dir, setDir] = useState("");
  const [url, setUrl] = useState("");
  const [outName, setOutName] = useState("");
  const [maxSize, setMaxSize] = useState("");
  const del = useSessionAction(trpc.sessions.snapshotDelOutput, { pending: "Deleting the snapshot output…", ok: () => "Snapshot output deleted." });
  const add = useSessionAction(trpc.sessions.snapshotAddOutput, {
    pending: "Adding the snapshot output…",
    ok: (d) => `Snapshot output set to ${d.ctrlUrl ?? "?"}.`,
  });
  const field = errorField(add.error);
  return (
    <Section title="Snapshot output">
      {outputs.length === 0 ? (
        <p className="text-sm text-zinc-500">No snapshot output: snapshots cannot be recorded.</p>
      ) : (
        <table className="td-table" data-testid="snapshot-outputs">
          <thead>
            <tr>
              <th>Id</th>
              <th>Name</th>
              <th>Destination</th>
              <th className="text-right">Max size</th>
              {canOperate && <th />}
            </tr>
          </thead>
          <tbody>
            {outputs.map((o) => (
              <tr key={o.id ?? o.name}>
                <td>{o.id}</td>
                <td className="font-mono text-xs">{o.name}</td>
                <td className="font-mono text-xs">
                  {o.ctrlUrl}
                  {o.dataUrl ? ` + ${o.dataUrl}` : ""}
                </td>
                <td className="text-right text-xs">{o.maxSizeBytes ? fmtBytes(o.maxSizeBytes) : "unlimited"}</td>
                {canOperate && (
                  <td className="text-right">
                    <ActionButton state={actions.snapshotDelOutput} pending={del.isPending} onClick={() => del.mutate({ name, output: o.id ?? 1 })}>
                      Delete
                    </ActionButton>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canOperate &&
        (actions.snapshotAddOutput.allowed ? (
          <form
            className="mt-2 flex flex-wrap items-start gap-2"
            aria-label="Add a snapshot output"
            onSubmit={(e) => {
              e.preventDefault();
              add.mutate({
                session: name,
                name: outName.trim() || undefined,
                maxSize: maxSize.trim() || undefined,
                ...(url.trim() ? { url: url.trim() } : { outputDir: dir.trim() }),
              });
            }}
          >
            <div>
              <input
                aria-label="Output directory"
                className="td-input w-48 font-mono"
                placeholder="directory (under traces)"
                value={dir}
                onChange={(e) => setDir(e.target.value)}
                disabled={!!url}
              />
              <FieldError message={field === "outputDir" ? add.error?.message : null} />
            </div>
            <div>
              <input
                aria-label="Output relay URL"
                className="td-input w-56 font-mono"
                placeholder="or net://127.0.0.1"
                value={url}
                onChange={(e) => setUrl(e.target.value)}
              />
              <FieldError message={field === "url" ? add.error?.message : null} />
            </div>
            <input
              aria-label="Output name"
              className="td-input w-28 font-mono"
              placeholder="name"
              value={outName}
              onChange={(e) => setOutName(e.target.value)}
            />
            <div>
              <input
                aria-label="Snapshot max size"
                className="td-input w-24 font-mono"
                placeholder="max size"
                value={maxSize}
                onChange={(e) => setMaxSize(e.target.value)}
              />
              <FieldError message={check(ZSize, maxSize) ?? (field === "maxSize" ? add.error?.message : null)} />
            </div>
            <button type="submit" className="td-btn" disabled={add.isPending || (!dir.trim() && !url.trim())}>
              Add output
            </button>
          </form>
        ) : (
          <Refused state={actions.snapshotAddOutput} />
        ))}
    </Section>
  );
}
