"use client";

import Link from "next/link";
import { fmtRotation } from "../format";
import { ModeBadge } from "../mode-badge";
import { HostBadge } from "../links";
import { sessionsHref } from "../host-href";
import type { SessionPageState } from "./section";

/** Name, mode, state and output of the session, and what keeps it from recording well (relay gone, disk full). */
export function SessionHeader({ state, host }: { state: SessionPageState; host?: string }) {
  const { session: s, output, relay, disk } = state;
  return (
    <>
      <div className="flex flex-wrap items-center gap-3">
        <Link href={sessionsHref(host)} className="text-xs text-sky-600 hover:underline">
          ← Sessions
        </Link>
        <h1 className="font-mono text-lg font-semibold">{s.name}</h1>
        <HostBadge host={host} />
        <ModeBadge mode={s.mode} liveTimerUs={s.liveTimerUs} rotation={fmtRotation(s.rotation)} />
        <span data-testid="session-state">
          {s.active ? <span className="text-emerald-600">● recording</span> : <span className="text-zinc-500">○ stopped</span>}
        </span>
        <span className="truncate font-mono text-xs text-zinc-500" title={output} data-testid="session-output">
          {output}
        </span>
      </div>
      {relay && !relay.ok && (
        <p
          role="alert"
          data-testid="relay-link"
          className="td-card border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
        >
          {relay.message}
        </p>
      )}
      {disk?.message && (
        <p
          role="alert"
          data-testid="disk-space"
          className="td-card border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          {disk.message}
        </p>
      )}
    </>
  );
}
