"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/provider";
import { ActionButton, Confirm } from "./action-ui";
import { fmtCount, fmtRotation } from "./format";
import { ModeBadge } from "./mode-badge";
import { sessionHref, sessionsHref } from "./host-href";
import { HostSelect } from "./links";
import { LastActionOutcome, SessionActionScope, useHasActionOutcome, useLifecycleActions, useSessionAction } from "./session-actions";

type Row = NonNullable<ReturnType<typeof useOverview>["data"]>[number];
function useOverview(host: string | undefined) {
  const trpc = useTRPC();
  return useQuery(trpc.sessions.overview.queryOptions(host ? { host } : undefined, { refetchInterval: 3_000 }));
}

/**
 * Every recording session with its per-channel loss counters and quick actions, refreshed
 * every 3 s. One request brings every row's state (sessions.overview): no request per row.
 * `host` chooses whose sessions (absent: this machine); the choice lives in the URL.
 */
export function SessionsList({ canOperate, host, destroyed: destroyedElsewhere = null }: { canOperate: boolean; host?: string; destroyed?: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  // Rows appear with `lttng list`; each row's counters and actions fill in from the overview.
  const sessions = useQuery(trpc.sessions.list.queryOptions(host ? { host } : undefined, { refetchInterval: 3_000 }));
  const overview = useOverview(host);
  const rowOf = (summary: Row["summary"]): Row => overview.data?.find((r) => r.summary.name === summary.name) ?? { summary, state: null, error: null };
  // A destroyed session's row disappears with its outcome line: its answer is kept here
  // (also for a session destroyed from its own page, which comes back here).
  const [destroyed, setDestroyed] = useState<string | null>(destroyedElsewhere);
  return (
    <section className="td-card p-4" aria-labelledby="sessions-list-title">
      <div className="mb-2 flex items-center gap-3">
        <h2 id="sessions-list-title" className="font-semibold">
          Recording sessions
        </h2>
        <span className="text-xs text-zinc-500">
          as <code>lttng list</code> reports them; refreshed every 3 s
        </span>
        <span className="ml-auto" />
        <HostSelect value={host} onChange={(h) => router.replace(sessionsHref(h))} />
      </div>
      {destroyed && (
        <p role="status" className="mb-2 text-xs text-emerald-700 dark:text-emerald-400" data-testid="destroyed-outcome">
          Session {destroyed} destroyed.
        </p>
      )}
      {sessions.error ? (
        <p role="alert" className="text-sm text-red-600">
          {sessions.error.message}
        </p>
      ) : sessions.isPending ? (
        <p className="text-sm text-zinc-500">Asking the session daemon{host ? ` of ${host}` : ""}…</p>
      ) : sessions.data.length === 0 ? (
        <p className="text-sm text-zinc-500">
          No recording session.
          {canOperate && (
            <>
              {" "}
              <Link className="text-sky-600 hover:underline" href={`/sessions/new${host ? `?host=${encodeURIComponent(host)}` : ""}`}>
                Create one
              </Link>
              .
            </>
          )}
        </p>
      ) : (
        <table className="td-table" data-testid="sessions-list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Mode</th>
              <th>State</th>
              <th>Output</th>
              <th className="text-right">Channels</th>
              <th className="whitespace-nowrap" title="Per channel: events discarded (discard mode) / packets lost (overwrite mode or relay)">
                Discarded / lost
              </th>
              {canOperate && <th className="text-right">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {sessions.data.map((s) => (
              <SessionRow key={s.name} row={rowOf(s)} host={host} canOperate={canOperate} onDestroyed={setDestroyed} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

type RowProps = { row: Row; host: string | undefined; canOperate: boolean; onDestroyed: (name: string) => void };

/** A session's row; its actions answer on a line of their own under it. */
function SessionRow(props: RowProps) {
  return (
    <SessionActionScope session={props.row.summary.name} host={props.host}>
      <SessionRowBody {...props} />
    </SessionActionScope>
  );
}

function SessionRowBody(props: RowProps) {
  const { canOperate } = props;
  const { summary, state: st, error: stateError } = props.row;
  const name = summary.name;
  const trpc = useTRPC();
  const { start, stop, snapshot, rotate } = useLifecycleActions();
  const destroy = useSessionAction(trpc.sessions.destroy, {
    pending: "Destroying…",
    ok: () => `Session ${name} destroyed.`,
    after: () => props.onDestroyed(name),
    ends: true,
  });
  const hasOutcome = useHasActionOutcome();
  const [confirming, setConfirming] = useState(false);

  const channels = st?.session.domains.flatMap((d) => d.channels.map((c) => ({ ...c, domain: d.type }))) ?? [];
  const actions = st?.actions;
  const rotation = fmtRotation(st?.session.rotation);
  const output = st?.output ?? (summary.path || "—");
  const anyPending = start.isPending || stop.isPending || snapshot.isPending || rotate.isPending || destroy.isPending;
  return (
    <>
      <tr data-testid={`session-${name}`} data-active={summary.active}>
        <td className="whitespace-nowrap">
          <Link prefetch={false} className="font-medium text-sky-700 hover:underline dark:text-sky-400" href={sessionHref(name, props.host)}>
            {name}
          </Link>
        </td>
        <td className="whitespace-nowrap">
          <ModeBadge mode={summary.mode} liveTimerUs={summary.liveTimerUs} rotation={rotation} />
        </td>
        <td className="whitespace-nowrap">
          {summary.active ? <span className="text-emerald-600">● recording</span> : <span className="text-zinc-500">○ stopped</span>}
        </td>
        <td className="max-w-[260px] truncate font-mono text-xs" title={output}>
          {output}
        </td>
        <td className="text-right">{st ? channels.length : "…"}</td>
        <td className="whitespace-nowrap font-mono text-xs">
          {stateError ? (
            <span className="text-red-600">{stateError}</span>
          ) : channels.length === 0 ? (
            "—"
          ) : (
            channels.map((c) => {
              const d = c.attributes?.discardedEvents ?? 0;
              const l = c.attributes?.lostPackets ?? 0;
              return (
                <div key={`${c.domain}-${c.name}`} data-testid={`loss-${c.name}`} className={d + l > 0 ? "text-amber-700 dark:text-amber-400" : ""}>
                  {c.name}: {fmtCount(d)} / {fmtCount(l)}
                </div>
              );
            })
          )}
        </td>
        {canOperate && (
          <td className="whitespace-nowrap text-right">
            <span className="inline-flex justify-end gap-1">
              <ActionButton state={actions?.start} pending={start.isPending} onClick={() => start.mutate({ name })}>
                Start
              </ActionButton>
              <ActionButton state={actions?.stop} pending={stop.isPending} onClick={() => stop.mutate({ name })}>
                Stop
              </ActionButton>
              {/* Shown in every mode: where the mode forbids them, the server's reason is on the disabled button. */}
              <ActionButton state={actions?.snapshotRecord} pending={snapshot.isPending} onClick={() => snapshot.mutate({ session: name })}>
                Snapshot
              </ActionButton>
              <ActionButton state={actions?.rotate} pending={rotate.isPending} onClick={() => rotate.mutate({ name })}>
                Rotate
              </ActionButton>
              {confirming ? (
                <Confirm
                  confirm="Confirm destroy"
                  disabled={anyPending}
                  onConfirm={() => {
                    setConfirming(false);
                    destroy.mutate({ name });
                  }}
                  onCancel={() => setConfirming(false)}
                />
              ) : (
                <ActionButton state={actions?.destroy} pending={destroy.isPending} variant="danger" onClick={() => setConfirming(true)}>
                  Destroy
                </ActionButton>
              )}
            </span>
          </td>
        )}
      </tr>
      {hasOutcome && (
        <tr>
          <td colSpan={canOperate ? 7 : 6} className="border-b-0 pt-0">
            <LastActionOutcome testId={`outcome-${name}`} />
          </td>
        </tr>
      )}
    </>
  );
}
