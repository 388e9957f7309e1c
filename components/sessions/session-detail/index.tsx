"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { RetentionPanel } from "@/components/archives/retention-panel";
import { useTRPC } from "@/components/trpc/provider";
import { LastActionOutcome, SessionActionScope, onHost } from "../session-actions";
import { sessionsHref } from "../host-href";
import { ActionBar } from "./action-bar";
import { Channels } from "./channels";
import { Contexts } from "./contexts";
import { EventRules } from "./event-rules";
import { SessionHeader } from "./header";
import { Rotation } from "./rotation";
import { SnapshotOutputs } from "./snapshot-outputs";
import { Trackers } from "./trackers";
import { SessionTriggers } from "./triggers";

/**
 * One session: its action bar (guarded by the server's allowed actions, reasons shown), channels
 * with loss counters, event rules, contexts, trackers, rotation schedule, snapshot output and the
 * triggers that act on it. Each section is a file of this folder; their actions report to one
 * outcome line (`useSessionAction`, session-actions.tsx).
 */
export function SessionDetail({ name, host, canOperate }: { name: string; host?: string; canOperate: boolean }) {
  const trpc = useTRPC();
  // A session that is gone stays gone: stop asking (each poll would be another 404).
  const q = useQuery(
    trpc.sessions.get.queryOptions({ name, ...onHost(host) }, { refetchInterval: (query) => (isNotFound(query.state.error) ? false : 2_000), retry: false }),
  );

  if (q.error) {
    return (
      <div className="space-y-2">
        <h1 className="text-lg font-semibold">Session {name}</h1>
        {isNotFound(q.error) ? (
          <p role="alert" className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="session-gone">
            There is no recording session named <code>{name}</code>
            {host ? (
              <>
                {" "}
                on <code>{host}</code>
              </>
            ) : null}
            : it was destroyed, or never existed.
          </p>
        ) : (
          <p role="alert" className="text-sm text-red-600">
            {q.error.message}
          </p>
        )}
        <Link href={sessionsHref(host)} className="td-btn">
          All sessions
        </Link>
      </div>
    );
  }
  if (!q.data)
    return (
      <p className="text-sm text-zinc-500">
        Asking the session daemon{host ? ` of ${host}` : ""} about {name}…
      </p>
    );
  const { session: s, actions, snapshotOutputs } = q.data;
  return (
    <SessionActionScope session={name} host={host}>
      <div className="space-y-4">
        <SessionHeader state={q.data} host={host} />
        {canOperate && <ActionBar actions={actions} />}
        <LastActionOutcome testId="session-outcome" />
        <Channels s={s} actions={actions} canOperate={canOperate} />
        <EventRules s={s} actions={actions} canOperate={canOperate} />
        <div className="grid gap-4 xl:grid-cols-2">
          <Contexts s={s} actions={actions} canOperate={canOperate} />
          <Trackers s={s} canOperate={canOperate} />
          {(s.mode === "local" || s.mode === "network") && <Rotation s={s} actions={actions} canOperate={canOperate} />}
          {s.mode === "snapshot" && <SnapshotOutputs outputs={snapshotOutputs} actions={actions} canOperate={canOperate} />}
          <SessionTriggers name={name} host={host} canOperate={canOperate} guards={q.data.triggerActions} />
          <RetentionPanel session={name} canOperate={canOperate} />
        </div>
      </div>
    </SessionActionScope>
  );
}

/** The server's "no such session" (tRPC NOT_FOUND). */
function isNotFound(error: unknown): boolean {
  return (error as { data?: { code?: string } } | null)?.data?.code === "NOT_FOUND";
}
