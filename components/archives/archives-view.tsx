"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/provider";
import { KIND_LABEL, REPORT_LABEL, formatBytes, formatCount, formatSpan, formatWhen } from "./format";

type Kind = "snapshot" | "rotation" | "session";
type State = "open" | "complete" | "missing" | "corrupt";
type Sort = "createdAt" | "bytes" | "events" | "discarded";

interface Filter {
  session?: string;
  host?: string;
  kind?: Kind;
  cause?: string;
  state?: State;
  from?: Date;
  to?: Date;
}

const GROUPS_PER_PAGE = 10;
const ARCHIVES_PER_PAGE = 10;

function Pager({ page, pages, onPage, label }: { page: number; pages: number; onPage: (p: number) => void; label: string }) {
  if (pages <= 1) return null;
  return (
    <nav className="flex items-center gap-2 text-xs" aria-label={label}>
      <button type="button" className="td-btn" disabled={page === 0} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span>
        page {page + 1} of {pages}
      </span>
      <button type="button" className="td-btn" disabled={page + 1 >= pages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}

function SessionArchives({ session, filter, sort, dir }: { session: string; filter: Filter; sort: Sort; dir: "asc" | "desc" }) {
  const trpc = useTRPC();
  const [page, setPage] = useState(0);
  const list = useQuery(trpc.archives.list.queryOptions({ ...filter, session, sort, dir, page, pageSize: ARCHIVES_PER_PAGE }, { refetchInterval: 3_000 }));
  if (list.error)
    return (
      <p role="alert" className="text-sm text-red-600">
        {list.error.message}
      </p>
    );
  if (!list.data) return <p className="text-sm text-zinc-500">Loading…</p>;
  const pages = Math.ceil(list.data.total / ARCHIVES_PER_PAGE);
  return (
    <div className="space-y-2">
      <div className="overflow-x-auto">
        <table className="td-table" data-testid="archives">
          <thead>
            <tr>
              <th>Written (UTC)</th>
              <th>Kind</th>
              <th>Cause</th>
              <th>Host</th>
              <th className="text-right">Size</th>
              <th className="text-right">Span</th>
              <th className="text-right">Events</th>
              <th className="text-right">Discarded</th>
              <th>State</th>
              <th>Report</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.archives.map((a) => (
              <tr key={a.id} data-id={a.id} data-kind={a.kind} data-state={a.state} data-report={a.reportState} title={a.path}>
                <td className="whitespace-nowrap text-xs">
                  <Link className="underline" href={`/archives/${a.id}`}>
                    {formatWhen(a.createdAt)}
                  </Link>
                </td>
                <td className="text-xs">{KIND_LABEL[a.kind] ?? a.kind}</td>
                <td className="text-xs">{a.cause}</td>
                <td className="text-xs">{a.host}</td>
                <td className="text-right text-xs">{formatBytes(a.bytes)}</td>
                <td className="text-right text-xs">{formatSpan(a.firstEventNs, a.lastEventNs)}</td>
                <td className="text-right text-xs">{formatCount(a.events)}</td>
                <td className={`text-right text-xs ${a.discarded ? "text-amber-600" : ""}`}>{formatCount(a.discarded)}</td>
                <td className={`text-xs ${a.state === "corrupt" || a.state === "missing" ? "text-red-600" : ""}`} title={a.error ?? undefined}>
                  {a.state}
                </td>
                <td className={`text-xs ${a.reportState === "failed" ? "text-red-600" : ""}`} title={a.reportError ?? undefined}>
                  {REPORT_LABEL[a.reportState] ?? a.reportState}
                </td>
                <td className="whitespace-nowrap text-right">
                  <Link className="td-btn" href={`/archives/${a.id}`}>
                    Open
                  </Link>{" "}
                  {a.state !== "missing" && (
                    <a className="td-btn" href={`/api/archives/download?id=${a.id}`} download>
                      Download
                    </a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager page={page} pages={pages} onPage={setPage} label={`Archives of ${session}`} />
    </div>
  );
}

function ReportQueueLine() {
  const trpc = useTRPC();
  const q = useQuery(trpc.archives.queue.queryOptions(undefined, { refetchInterval: 2_000 }));
  if (!q.data) return null;
  const { running, queued, failed } = q.data;
  return (
    <p className="text-xs text-zinc-500" data-testid="report-queue">
      Reports: {running.length === 0 ? "none being built" : `building ${running.map((r) => `#${r.id} (${r.session})`).join(", ")}`} · {queued} queued
      {failed > 0 && <span className="text-red-600"> · {failed} failed</span>}
    </p>
  );
}

const text = (v: string) => (v.trim() === "" ? undefined : v.trim().slice(0, 255));
const date = (v: string) => (v === "" ? undefined : new Date(`${v}Z`));

/** The archive index: sessions (newest first, paged), each with its archives (paged), filters and sort. */
export function ArchivesView() {
  const trpc = useTRPC();
  const [filter, setFilter] = useState<Filter>({});
  const [sort, setSort] = useState<Sort>("createdAt");
  const [dir, setDir] = useState<"asc" | "desc">("desc");
  const [page, setPage] = useState(0);
  const groups = useQuery(trpc.archives.groups.queryOptions({ ...filter, page, pageSize: GROUPS_PER_PAGE }, { refetchInterval: 3_000 }));
  const set = (patch: Filter) => {
    setFilter((f) => ({ ...f, ...patch }));
    setPage(0);
  };
  const pages = groups.data ? Math.ceil(groups.data.totalGroups / GROUPS_PER_PAGE) : 0;
  return (
    <section className="space-y-3" aria-label="Archives by session">
      <div className="td-card flex flex-wrap items-end gap-2 p-3 text-xs">
        <label className="flex flex-col">
          Session
          <input className="td-input" aria-label="Session" onChange={(e) => set({ session: text(e.target.value) })} />
        </label>
        <label className="flex flex-col">
          Host
          <input className="td-input" aria-label="Host" onChange={(e) => set({ host: text(e.target.value) })} />
        </label>
        <label className="flex flex-col">
          Kind
          <select className="td-input" aria-label="Kind" onChange={(e) => set({ kind: (e.target.value || undefined) as Kind | undefined })}>
            <option value="">all</option>
            <option value="snapshot">snapshots</option>
            <option value="rotation">rotation archives</option>
            <option value="session">session traces</option>
          </select>
        </label>
        <label className="flex flex-col">
          Cause
          <select className="td-input" aria-label="Cause" onChange={(e) => set({ cause: e.target.value || undefined })}>
            <option value="">all</option>
            <option value="manual">manual</option>
            <option value="trigger">trigger</option>
            <option value="spike">spike</option>
            <option value="rotation">rotation timer/size</option>
            <option value="unknown">unknown</option>
          </select>
        </label>
        <label className="flex flex-col">
          State
          <select className="td-input" aria-label="State" onChange={(e) => set({ state: (e.target.value || undefined) as State | undefined })}>
            <option value="">all</option>
            <option value="complete">complete</option>
            <option value="open">open</option>
            <option value="corrupt">corrupt</option>
            <option value="missing">missing</option>
          </select>
        </label>
        <label className="flex flex-col">
          From (UTC)
          <input type="datetime-local" className="td-input" aria-label="From" onChange={(e) => set({ from: date(e.target.value) })} />
        </label>
        <label className="flex flex-col">
          To (UTC)
          <input type="datetime-local" className="td-input" aria-label="To" onChange={(e) => set({ to: date(e.target.value) })} />
        </label>
        <label className="flex flex-col">
          Sort
          <select className="td-input" aria-label="Sort" value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
            <option value="createdAt">written</option>
            <option value="bytes">size</option>
            <option value="events">events</option>
            <option value="discarded">discarded</option>
          </select>
        </label>
        <button type="button" className="td-btn" aria-label="Sort direction" onClick={() => setDir((d) => (d === "desc" ? "asc" : "desc"))}>
          {dir === "desc" ? "↓ descending" : "↑ ascending"}
        </button>
      </div>
      <ReportQueueLine />
      {groups.error ? (
        <p role="alert" className="text-sm text-red-600">
          {groups.error.message}
        </p>
      ) : !groups.data ? (
        <p className="text-sm text-zinc-500">Loading the archive index…</p>
      ) : groups.data.groups.length === 0 ? (
        <p className="td-card p-4 text-sm text-zinc-500">
          No archive matches. Snapshots and rotation archives appear here as soon as LTTng writes them under the trace directories.
        </p>
      ) : (
        groups.data.groups.map((g) => (
          <details key={g.session} open className="td-card p-3" data-testid="archive-group" data-session={g.session}>
            <summary className="cursor-pointer">
              <span className="font-semibold">{g.session}</span>
              <span className="ml-3 text-xs text-zinc-500">
                {formatCount(g.count)} archive{g.count === 1 ? "" : "s"} · {formatBytes(g.bytes)} · {formatCount(g.events)} events
                {g.latest ? ` · latest ${formatWhen(g.latest)} UTC` : ""}
              </span>
            </summary>
            <div className="mt-2">
              <SessionArchives session={g.session} filter={filter} sort={sort} dir={dir} />
            </div>
          </details>
        ))
      )}
      <Pager page={page} pages={pages} onPage={setPage} label="Sessions" />
    </section>
  );
}
